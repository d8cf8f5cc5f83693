"""Stage-3 objects around the shared cast: 金水 staff (a second inspector, the bureau's 负责人, a
reviewer), a violation problem of the 金水 unit, and a case opened on it."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from campaign.models import User
from cases.catalogue import load_violation_types
from cases.models import Case, ViolationType
from cases.services import case as case_services
from inspections.models import CatalogueVersion
from inspections.services import ledger
from tests import org_factories
from tests.factories import UserFactory, region
from tests.inspections.factories import use_catalogue


def staff(username: str, *, head: bool = False, county: str = "410105") -> User:
    found = User.objects.filter(username=username).first()
    if found:
        return found
    return UserFactory(
        username=username,
        role=User.Role.COUNTY,
        region=region(county),
        badge_no=f"4101052{len(username):04d}{username[-1]}",
        full_name=f"测试{username}",
        approves_cases=head,
    )


def catalogue() -> None:
    if not ViolationType.objects.exists():
        load_violation_types()


def problem(cast, *, code: str = "HF-01", severity: str = "serious", **extra):
    catalogue()
    version = CatalogueVersion.objects.filter(code="test-v1").first() or use_catalogue()
    item = version.items.get(code=code)
    return ledger.problem_record(
        actor=cast.county,
        campaign=org_factories.campaign(),
        enterprise=extra.pop("enterprise", cast.ent),
        item=item,
        source=extra.pop("source", "inspection"),
        kind=item.problem_kind,
        severity=severity,
        description=extra.pop("description", f"案件测试问题 {code}"),
        found_at=extra.pop("found_at", timezone.now()),
        found_by=cast.county,
        **extra,
    )


def case(cast, *, discovered_on: dt.date | None = None, **extra) -> Case:
    """A case of the 金水 unit registered by the 金水 inspector with js2, awaiting 立案."""
    catalogue()
    found = problem(cast)
    return case_services.case_open(
        actor=cast.county,
        enterprise=cast.ent,
        title="涉嫌未批先建案",
        source=Case.Source.LEDGER,
        discovered_on=discovered_on or timezone.localdate(),
        violation_type=ViolationType.objects.get(code="EIA-01"),
        problems=[found],
        investigators=[cast.county, staff("js2")],
        **extra,
    )
