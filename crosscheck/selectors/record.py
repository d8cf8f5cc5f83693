"""Reads of the verification records and accountability, starting from the access policy."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Q, QuerySet

from campaign import access
from campaign.models import User
from crosscheck.models import (
    Accountability,
    Finding,
    SampledUnit,
    VerificationRecord,
    VerificationRound,
)


def findings(record: VerificationRecord) -> QuerySet[Finding]:
    """A record's findings (the caller has fetched the record through the policy)."""
    return record.findings.select_related(
        "self_check__enterprise", "inspection__enterprise", "case", "item", "problem__enterprise"
    ).prefetch_related("people__user")


def accountabilities_all() -> QuerySet[Accountability]:
    return Accountability.objects.select_related(
        "person",
        "city",
        "county",
        "finding__record__unit__enterprise",
        "finding__record__team__round",
    )


def accountabilities(*, user: User) -> QuerySet[Accountability]:
    return access.visible(user, accountabilities_all()).order_by("response_due", "pk")


def accountability_tasks(*, user: User, today: dt.date, limit: int = 10) -> dict:
    """What waits for the user in 问责: a city's answers (its people, not the user's own), the
    province's decisions (answered, or past the city's time), the person's own open records."""
    rows = accountabilities(user=user)
    A = Accountability.Status
    found: dict = {}
    if user.has_perm("crosscheck.respond_accountability"):
        answer = rows.filter(status=A.PROPOSED).exclude(person=user)
        found["answer"] = list(answer[:limit])
        found["answer_count"] = answer.count()
        found["answer_overdue"] = answer.filter(response_due__lt=today).count()
    if user.has_perm("crosscheck.decide_accountability"):
        decide = rows.filter(Q(status=A.RESPONDED) | Q(status=A.PROPOSED, response_due__lt=today))
        found["decide"] = list(decide[:limit])
        found["decide_count"] = decide.count()
    mine = rows.filter(person=user).exclude(status=A.DECIDED)
    found["mine"] = list(mine[:limit])
    found["today"] = today
    return found


def findings_list(*, user: User) -> QuerySet[Finding]:
    rows = Finding.objects.select_related(
        "record__unit__enterprise",
        "record__unit__city",
        "record__unit__county",
        "record__team",
        # what `Finding.about` prints
        "self_check__enterprise",
        "inspection__enterprise",
        "case",
        "item",
        "problem__enterprise",
    ).prefetch_related("people__user")
    return access.visible(user, rows).order_by("record__unit__city__code", "record_id", "number")


def round_summary(*, user: User, row: VerificationRound) -> tuple[list[dict], dict]:
    """Per city visited: units sampled, records signed, findings of signed records by code,
    accountability by status — each counted from the rows the user may see. And the 合计 row."""
    units = access.visible(user, SampledUnit.objects.filter(draw__round=row))
    records = access.visible(
        user, VerificationRecord.objects.filter(unit__draw__round=row, status="signed")
    )
    found = access.visible(
        user, Finding.objects.filter(record__unit__draw__round=row, record__status="signed")
    )
    accounts = access.visible(
        user, Accountability.objects.filter(finding__record__unit__draw__round=row)
    )
    cities: dict[str, dict] = {}

    def city(code: str, name: str = "") -> dict:
        return cities.setdefault(
            code,
            {
                "code": code,
                "name": name,
                "sampled": 0,
                "verified": 0,
                "codes": defaultdict(int),
                "accountability": defaultdict(int),
            },
        )

    for code, name, n in (
        units.order_by().values_list("city__code", "city__name").annotate(n=Count("pk"))
    ):
        city(code, name)["sampled"] = n
    for code, n in records.order_by().values_list("unit__city__code").annotate(n=Count("pk")):
        city(code)["verified"] = n
    for code, finding_code, n in (
        found.order_by().values_list("record__unit__city__code", "code").annotate(n=Count("pk"))
    ):
        city(code)["codes"][finding_code] += n
    for code, status, n in (
        accounts.order_by()
        .values_list("finding__record__unit__city__code", "status")
        .annotate(n=Count("pk"))
    ):
        city(code)["accountability"][status] += n
    rows = [cities[code] for code in sorted(cities)]
    total = {
        "sampled": sum(r["sampled"] for r in rows),
        "verified": sum(r["verified"] for r in rows),
        "codes": defaultdict(int),
        "accountability": defaultdict(int),
    }
    for r in rows:
        for k, v in r["codes"].items():
            total["codes"][k] += v
        for k, v in r["accountability"].items():
            total["accountability"][k] += v
    return rows, total
