"""Every list page, export and API list reads with a fixed number of queries, however many rows.

The page is fetched once with a handful of rows and again after more units, self-checks,
inspections (with teams and record lines), problems and cases (with their clocks) were added in
several counties; the number of SQL statements must not change. benchmarks/RESULTS.md shows the same at Henan scale.
"""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from campaign.models import User
from cases.models import Case, ViolationType
from cases.services import case as case_services
from inspections.models import (
    Inspection,
    InspectionFinding,
    InspectionMember,
    SelfCheck,
    SelfCheckAnswer,
)
from inspections.services import ledger
from tests import org_factories
from tests.cases.factories import catalogue, staff
from tests.factories import EnterpriseFactory, UserFactory, region
from tests.inspections.factories import use_catalogue

LISTS = [
    "/enterprises/",
    "/enterprises/export.xlsx",
    "/self-checks/",
    "/self-checks/export.xlsx",
    "/self-checks/coverage/",
    "/self-checks/coverage/?by=city",
    "/self-checks/missing/",
    "/self-checks/missing.xlsx",
    "/inspections/",
    "/inspections/export.xlsx",
    "/problems/",
    "/problems/export.xlsx",
    "/problems/counts/",
    "/problems/counts.xlsx",
    "/api/v1/enterprises/",
    "/api/v1/self-checks/",
    "/api/v1/inspections/",
    "/api/v1/problems/",
    "/api/v1/check-items/",
    "/cases/",
    "/cases/export.xlsx",
    "/cases/deadlines/?within=",
    "/cases/deadlines/export.xlsx?within=",
    "/api/v1/cases/",
    "/api/v1/case-deadlines/",
]
COUNTIES = ["410105", "410102", "410305"]  # 金水, 中原 (郑州) and 涧西 (洛阳)


def _add_rows(cast, version, n: int) -> None:
    """n more units in each county, each with a self-check, an inspection and problems, and a
    case on each problem (one filed, with its decision clock)."""
    campaign = org_factories.campaign()
    catalogue()
    items = list(version.items.all())
    for code in COUNTIES:
        county = region(code)
        inspector = User.objects.filter(role="county", region=county).first() or UserFactory(
            role="county", region=county
        )
        # the county's 负责人 and a second certified investigator open and file the cases
        head, second = (
            staff(f"qc-{code}-head", head=True, county=code),
            staff(f"qc-{code}-2", county=code),
        )
        for _ in range(n):
            unit = EnterpriseFactory(county=county, is_key_unit=True, key_air=True)
            check = SelfCheck.objects.create(
                campaign=campaign,
                enterprise=unit,
                county_id=unit.county_id,
                city_id=unit.city_id,
                version=version,
                status="submitted",
                submitted_at=timezone.now(),
                reviewed_by=inspector,
            )
            for item in items:
                SelfCheckAnswer.objects.create(self_check=check, item=item, result="compliant")
            inspection = Inspection.objects.create(
                campaign=campaign,
                enterprise=unit,
                county_id=unit.county_id,
                city_id=unit.city_id,
                version=version,
                source="special",
                planned_on=timezone.localdate() + dt.timedelta(days=1),
                status="in_progress",
                started_at=timezone.now(),
                recorder=inspector,
                created_by=inspector,
            )
            InspectionMember.objects.create(inspection=inspection, user=inspector, role="lead")
            for item in items:
                InspectionFinding.objects.create(inspection=inspection, item=item, result="ok")
            for index, item in enumerate(items[:2]):
                found = ledger.problem_record(
                    actor=inspector,
                    campaign=campaign,
                    enterprise=unit,
                    item=item,
                    source="inspection",
                    kind="violation",
                    description="查询次数测试",
                    found_at=timezone.now(),
                    found_by=inspector,
                    inspection=inspection,
                )
                case = case_services.case_open(
                    actor=head,
                    enterprise=unit,
                    title="查询次数测试案",
                    source=Case.Source.LEDGER,
                    discovered_on=timezone.localdate(),
                    violation_type=ViolationType.objects.order_by("code").first(),
                    problems=[found],
                    investigators=[head, second],
                )
                if index:
                    case_services.case_step(actor=head, case=case, to=Case.Status.INVESTIGATING)


def _queries(client, url: str) -> int:
    cache.clear()  # the same path each time: counts computed, not taken from the count cache
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


@pytest.mark.parametrize("role", ["province", "city", "county"])
def test_list_queries_do_not_grow_with_rows(client, cast, role):
    version = use_catalogue()
    client.force_login(getattr(cast, role))
    _add_rows(cast, version, 1)
    few = {url: _queries(client, url) for url in LISTS}
    _add_rows(cast, version, 4)
    many = {url: _queries(client, url) for url in LISTS}
    grew = {url: (few[url], many[url]) for url in LISTS if many[url] != few[url]}
    assert not grew, f"queries grew with the rows (few → many): {grew}"


# --- stage 4: the 整改台账, its export, the plans, one plan and one item ---------------------------
RECTIFICATION_LISTS = ["/rectification/", "/rectification/export.xlsx", "/rectification/plans/"]


def _grow(cast, item, n: int) -> None:
    """n more measures, milestones and progress reports (each with a photo) on one item."""
    from rectification.services import plan as plan_services
    from tests.rectification import factories as rf

    found = timezone.localdate(item.problem.found_at)
    plan_services.item_update(
        actor=cast.county,
        item=item,
        values={"supervisor": cast.county},
        measures=[m.text for m in item.measures.all()] + [f"措施{i}" for i in range(n)],
        milestones=[(m.title, m.due_on) for m in item.milestones.all()]
        + [(f"节点{i}", found + dt.timedelta(days=30 + i)) for i in range(n)],
    )
    for i in range(n):
        plan_services.progress_report(
            actor=cast.enterprise_user,
            item=item,
            text=f"第{i}次进展",
            uploads=[("photo", rf.jpeg(), {"note": "现场"})],
        )


def _add_plans(cast, n: int) -> None:
    """n more 金水 units with two problems each gathered into their plans, every item grown."""
    from rectification.services import plan as plan_services
    from tests.rectification import factories as rf

    for _ in range(n):
        unit = EnterpriseFactory(county=region("410105"))
        unit.users.add(cast.enterprise_user)  # its items are grown by the enterprise's account
        for code in ("GL-01", "GL-02"):
            rf.problem(cast, code=code, enterprise=unit)
        for item in plan_services.plan_build(actor=cast.county, enterprise=unit).items.all():
            _grow(cast, item, 1)


@pytest.mark.parametrize("role", ["province", "city", "county", "enterprise_user"])
def test_rectification_queries_do_not_grow_with_rows(client, cast, role):
    from tests.rectification import factories as rf

    plan = rf.plan(cast, "GL-01", "GL-02")
    item = plan.items.order_by("number").first()
    _grow(cast, item, 1)
    urls = [*RECTIFICATION_LISTS, f"/rectification/plans/{plan.pk}/"]
    urls.append(f"/rectification/items/{item.pk}/")
    client.force_login(getattr(cast, role))
    _add_plans(cast, 1)
    few = {url: _queries(client, url) for url in urls}
    _add_plans(cast, 4)
    rf.problem(cast, code="GL-03")  # one more item in the same plan
    rf.plan(cast)
    _grow(cast, item, 4)  # and four more measures, milestones and reports on the item shown
    many = {url: _queries(client, url) for url in urls}
    grew = {url: (few[url], many[url]) for url in urls if many[url] != few[url]}
    assert not grew, f"queries grew with the rows (few → many): {grew}"
