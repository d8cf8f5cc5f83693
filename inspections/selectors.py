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
            "county",
            "city",
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


def evidence_get(*, user: User, pk: int) -> Evidence:
    return access.get_visible_or_404(user, Evidence.objects.all(), pk=pk)


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
            Prefetch("confirmations", queryset=Problem.objects.only("pk", "primary_id", "source")),
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


def plannable_inspectors(*, user: User) -> QuerySet[User]:
    """Law-enforcement staff with 执法证号 that this user may put on a team: a bureau teams up its
    own inspectors and those of the counties under it; the province anyone's."""
    inspectors = User.objects.filter(
        is_active=True, role__in=[User.Role.PROVINCE, User.Role.CITY, User.Role.COUNTY]
    ).exclude(badge_no="")
    reach = access.jurisdiction(user).reach
    if reach is access.Reach.ALL:
        return inspectors
    if reach in (access.Reach.CITY, access.Reach.COUNTY):
        return inspectors.filter(region__in=access.regions_in_reach(user, Region.objects.all()))
    return inspectors.none()


def plannable_experts() -> QuerySet[User]:
    """Experts are a province-wide pool (专家咨询组): any active expert may be asked."""
    return User.objects.filter(is_active=True, role=User.Role.EXPERT)


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
        .values(region_field, "status")
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
        row = rows.get(c[region_field])
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


@dataclass
class KeyUnitProgress:
    county_code: str
    county_name: str
    total: int = 0
    planned: int = 0
    done: int = 0
    postponed: int = 0

    @property
    def unplanned(self) -> int:
        return self.total - self.planned


def key_unit_progress(*, user: User, campaign: Campaign) -> list[KeyUnitProgress]:
    """Key units per county: in reach, with an inspection planned, done, postponed.

    Counted from the inspections the user may open, never from the units' relations: an
    enterprise user never learns of an unannounced visit from a figure.
    """
    from django.db.models import Count, Q

    from campaign import counting
    from inspections.models import Inspection

    units = (
        access.visible(user, Enterprise.objects.filter(is_key_unit=True))
        .values_list("county__code", "county__name")
        .annotate(n=Count("pk"))
        .order_by("county__code")
    )
    rows = {code: KeyUnitProgress(code, name, n) for code, name, n in counting.rows(units)}
    visits = (
        access.visible(
            user, Inspection.objects.filter(campaign=campaign, enterprise__is_key_unit=True)
        )
        .values_list("enterprise__county__code")
        .annotate(
            planned=Count("enterprise", distinct=True),
            done=Count("enterprise", filter=Q(status="submitted"), distinct=True),
            postponed=Count("enterprise", filter=Q(status="postponed"), distinct=True),
        )
        .order_by()
    )
    for code, planned, done, postponed in counting.rows(visits):
        row = rows.get(code)
        if row is not None:
            row.planned, row.done, row.postponed = planned, done, postponed
    return list(rows.values())
