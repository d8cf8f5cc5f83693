"""Reads of stage 1: the self-check tables, coverage, units that have not submitted; every one
starts from the access policy."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from campaign import access
from campaign.models import Campaign, Region, User
from enterprises.models import Enterprise
from inspections.models import SelfCheck, SelfCheckAnswer
from inspections.models.catalogue import area_rank


def self_check_list(*, user: User, campaign: Campaign | None = None) -> QuerySet[SelfCheck]:
    """The tables this user may open: of one campaign (the pages), or of every year (the API)."""
    rows = SelfCheck.objects.filter(campaign=campaign) if campaign else SelfCheck.objects.all()
    return (
        access.visible(user, rows)
        .select_related("enterprise", "reviewed_by")
        .prefetch_related(
            # regions come in two small queries: joining them twice into a long list's query
            # misleads the planner (and they are the same 200 rows every time)
            "county",
            "city",
        )
    )


def self_check_get(*, user: User, pk: int) -> SelfCheck:
    answers = (
        SelfCheckAnswer.objects.select_related("item")
        .prefetch_related("evidence")
        .order_by(area_rank("item__area"), "item__order", "item__code")
    )
    queryset = SelfCheck.objects.select_related(
        "enterprise",
        "county",
        "city",
        "enterprise__industry",
        "campaign",
        "version",
        "reviewed_by",
    )
    return access.get_visible_or_404(
        user,
        queryset.prefetch_related(
            Prefetch("answers", queryset=answers), "submissions__submitted_by"
        ),
        pk=pk,
    )


def answer_get(*, user: User, self_check: SelfCheck, item_id: int) -> SelfCheckAnswer:
    return access.get_visible_or_404(
        user,
        SelfCheckAnswer.objects.filter(self_check=self_check).select_related(
            "self_check__enterprise", "item"
        ),
        item_id=item_id,
    )


@dataclass
class CoverageRow:
    region: Region | None  # None on the 合计 row
    expected_key: int = 0
    expected_other: int = 0
    counts: dict = field(default_factory=lambda: defaultdict(int))  # status/late → number

    @property
    def expected(self) -> int:
        return self.expected_key + self.expected_other

    @property
    def submitted(self) -> int:  # submitted at least once (now awaiting, filed or returned)
        return self.counts["submitted"] + self.counts["filed"] + self.counts["returned"]

    @property
    def not_submitted(self) -> int:
        return self.expected - self.submitted


def coverage_total(rows: list[CoverageRow]) -> CoverageRow:
    """The 合计 row: every figure summed over the regions shown."""
    total = CoverageRow(region=None)
    for row in rows:
        total.expected_key += row.expected_key
        total.expected_other += row.expected_other
        for key, n in row.counts.items():
            total.counts[key] += n
    return total


def coverage(*, user: User, campaign: Campaign, by: str = "county") -> list[CoverageRow]:
    """Self-check coverage per county (or city) in the user's reach: one grouped query per table."""
    from django.db.models import Count, Q

    region_field = "county" if by == "county" else "city"
    enterprises = access.visible(user, Enterprise.objects.all())
    expected = enterprises.values(region_field).annotate(
        key=Count("pk", filter=Q(is_key_unit=True)), other=Count("pk", filter=Q(is_key_unit=False))
    )
    # a live figure of the registry as it is now: tables are counted where their unit is now,
    # on the same basis as the units expected
    checks = (
        access.visible(user, SelfCheck.objects.filter(campaign=campaign))
        .values(f"enterprise__{region_field}", "status")
        .annotate(n=Count("pk"), late=Count("pk", filter=Q(is_late=True)))
    )
    rows: dict[int, CoverageRow] = {}
    regions = {
        r.pk: r
        for r in Region.objects.filter(pk__in=[e[region_field] for e in expected]).select_related(
            "parent"
        )
    }
    for e in expected:
        rows[e[region_field]] = CoverageRow(regions[e[region_field]], e["key"], e["other"])
    for c in checks:
        row = rows.get(c[f"enterprise__{region_field}"])
        if row is None:
            continue
        row.counts[c["status"]] += c["n"]
        row.counts["late"] += c["late"]
    return sorted(rows.values(), key=lambda r: r.region.code)


def enterprises_without_submission(*, user: User, campaign: Campaign) -> QuerySet[Enterprise]:
    """In-scope enterprises that have not submitted (key units first)."""
    submitted = SelfCheck.objects.filter(campaign=campaign).exclude(status=SelfCheck.Status.DRAFT)
    return (
        access.visible(user, Enterprise.objects.all())
        .exclude(pk__in=submitted.values("enterprise_id"))
        .select_related("county", "city", "industry")
        .order_by("-is_key_unit", "city__code", "county__code", "name")
    )
