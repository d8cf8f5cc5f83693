"""Reads of the problem ledger: primaries with their confirmations, events, the ledger as of a
past moment, and the counts of 问题统计; every one starts from the access policy."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from campaign import access
from campaign.models import Campaign, Region, User
from inspections.models import Area, Problem


def problem_list(*, user: User) -> QuerySet[Problem]:
    """The ledger: primary problems only; a problem found again is shown under its primary."""
    return (
        access.visible(user, Problem.objects.filter(primary__isnull=True))
        .select_related("enterprise", "item", "found_by")
        .prefetch_related(
            # regions come in two small queries: joining them twice into a long list's query
            # misleads the planner (and they are the same 200 rows every time)
            "county",
            "city",
            # only the confirmations this user may open (a unit moved, an expert's grant)
            Prefetch(
                "confirmations",
                queryset=access.visible(user, Problem.objects.only("pk", "primary_id", "source")),
            ),
        )
    )


def problems_as_of(*, user: User, at, primaries_only: bool = True) -> QuerySet[Problem]:
    """The ledger as it stood at `at`, re-derived from the event rows: the problems recorded by
    then, each with `status_then`, the status it had at that moment. (Primary links never change
    after recording, so "primary" is as it was too.) The weekly report freezes and re-derives
    its figures with this."""
    from django.db.models import OuterRef, Subquery

    from inspections.models import ProblemEvent

    last = (
        ProblemEvent.objects.filter(problem=OuterRef("pk"), at__lte=at)
        .order_by("-at", "-pk")
        .values("to_status")[:1]
    )
    rows = Problem.objects.filter(primary__isnull=True) if primaries_only else Problem.objects
    return (
        access.visible(user, rows.all())
        .annotate(status_then=Subquery(last))
        .filter(status_then__isnull=False)
    )


def problem_get(*, user: User, pk: int) -> Problem:
    return access.get_visible_or_404(
        user,
        Problem.objects.select_related(
            "enterprise", "item", "found_by", "county", "city", "primary", "self_check_answer"
        ),
        pk=pk,
    )


def problem_confirmations(*, user: User, problem: Problem) -> QuerySet[Problem]:
    return access.visible(user, problem.confirmations.all()).select_related(
        "found_by", "inspection"
    )


def problem_events(*, user: User, problem: Problem):
    from inspections.models import ProblemEvent

    return (
        access.visible(user, ProblemEvent.objects.filter(problem=problem))
        .select_related("by", "ref_type")
        .order_by("at", "pk")
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
        return [self.by_status.get(status, 0) for status in Problem.COUNTED]

    @property
    def area_links(self) -> list[tuple[str, int]]:
        return list(zip(Area.values, self.area_counts, strict=True))

    @property
    def status_links(self) -> list[tuple[str, int]]:
        return [(str(s), n) for s, n in zip(Problem.COUNTED, self.status_counts, strict=True)]

    def add(self, area: str, status: str, n: int, own: int) -> None:
        self.by_area[area] += n
        self.by_status[status] += n
        self.self_found += own


def problem_counts(
    *, user: User, campaign: Campaign, by: str = "county"
) -> tuple[list[ProblemCountRow], ProblemCountRow]:
    """Problems of the campaign per county (or city) × area and status: one grouped query.

    Primaries only (a confirmation is the same problem) and real ones only (not withdrawn)."""
    from django.db.models import Count, Q

    region_field = "city" if by == "city" else "county"
    counted = Problem.objects.filter(
        campaign=campaign, primary__isnull=True, status__in=Problem.COUNTED
    )
    grouped = (
        access.visible(user, counted)
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
