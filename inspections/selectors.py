"""Reads of stage 1 and the ledger; every one starts from the access policy."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from campaign import access
from campaign.models import Campaign, Region, User
from enterprises.models import Enterprise
from inspections.models import Area, CheckItem, Evidence, Problem, SelfCheck, SelfCheckAnswer


def self_check_list(*, user: User, campaign: Campaign) -> QuerySet[SelfCheck]:
    return (
        access.visible(user, SelfCheck.objects.filter(campaign=campaign))
        .select_related("enterprise", "reviewed_by")
        .prefetch_related(
            # regions come in two small queries: joining them twice into a long list's query
            # misleads the planner (and they are the same 200 rows every time)
            "enterprise__county",
            "enterprise__city",
        )
    )


def self_check_get(*, user: User, pk: int) -> SelfCheck:
    answers = (
        SelfCheckAnswer.objects.select_related("item")
        .prefetch_related("evidence")
        .order_by("item__area", "item__order", "item__code")
    )
    queryset = SelfCheck.objects.select_related(
        "enterprise",
        "enterprise__county",
        "enterprise__city",
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


def evidence_get(*, user: User, pk: int) -> Evidence:
    return access.get_visible_or_404(user, Evidence.objects.all(), pk=pk)


def problem_list(*, user: User) -> QuerySet[Problem]:
    return (
        access.visible(user, Problem.objects.all())
        .select_related("enterprise", "item", "found_by")
        .prefetch_related(
            # regions come in two small queries: joining them twice into a long list's query
            # misleads the planner (and they are the same 200 rows every time)
            "enterprise__county",
            "enterprise__city",
        )
    )


def check_items(*, campaign_version) -> QuerySet[CheckItem]:
    return CheckItem.objects.filter(version=campaign_version)


@dataclass
class CoverageRow:
    region: Region
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


def coverage(*, user: User, campaign: Campaign, by: str = "county") -> list[CoverageRow]:
    """Self-check coverage per county (or city) in the user's reach: one grouped query per table."""
    from django.db.models import Count, Q

    region_field = "county" if by == "county" else "city"
    enterprises = access.visible(user, Enterprise.objects.all())
    expected = enterprises.values(region_field).annotate(
        key=Count("pk", filter=Q(is_key_unit=True)), other=Count("pk", filter=Q(is_key_unit=False))
    )
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


@dataclass
class ProblemCountRow:
    region: Region | None  # None: the total of every row
    by_area: dict = field(default_factory=lambda: defaultdict(int))
    by_status: dict = field(default_factory=lambda: defaultdict(int))
    self_found: int = 0

    @property
    def total(self) -> int:
        return sum(self.by_status.values())

    @property
    def area_counts(self) -> list[int]:
        return [self.by_area.get(area, 0) for area in Area.values]

    @property
    def status_counts(self) -> list[int]:
        return [self.by_status.get(status, 0) for status in Problem.Status.values]

    @property
    def area_links(self) -> list[tuple[str, int]]:
        return list(zip(Area.values, self.area_counts, strict=True))

    @property
    def status_links(self) -> list[tuple[str, int]]:
        return list(zip(Problem.Status.values, self.status_counts, strict=True))

    def add(self, area: str, status: str, n: int, own: int) -> None:
        self.by_area[area] += n
        self.by_status[status] += n
        self.self_found += own


def problem_counts(
    *, user: User, campaign: Campaign, by: str = "county"
) -> tuple[list[ProblemCountRow], ProblemCountRow]:
    """Problems of the campaign per county (or city) × area and status: one grouped query."""
    from django.db.models import Count, Q

    region_field = f"enterprise__{'city' if by == 'city' else 'county'}"
    grouped = (
        access.visible(user, Problem.objects.filter(campaign=campaign))
        .order_by()
        .values_list(region_field, "item__area", "status")
        .annotate(n=Count("pk"), own=Count("pk", filter=Q(self_found=True)))
    )
    rows: dict[int, ProblemCountRow] = {}
    total = ProblemCountRow(None)
    for region_id, area, status, n, own in grouped:
        rows.setdefault(region_id, ProblemCountRow(None)).add(area, status, n, own)
        total.add(area, status, n, own)
    regions = Region.objects.select_related("parent").in_bulk(list(rows))
    for region_id, row in rows.items():
        row.region = regions[region_id]
    return sorted(rows.values(), key=lambda r: r.region.code), total
