"""Reads of stage 4, each starting from the access policy."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from campaign import access
from campaign.models import Campaign, Region, User
from cases.models import CaseProblem
from enterprises.models import Enterprise
from inspections.models import Problem
from inspections.selectors.onsite import plannable_inspectors
from rectification.models import (
    Extension,
    FacilityProposal,
    ItemCheck,
    ItemEvent,
    ItemEvidence,
    ItemMeasure,
    Milestone,
    RectificationItem,
    RectificationPlan,
)

S = RectificationItem.Status


# The order of 一企一案 and the 整改台账: by city and county (their ids, which follow the GB/T 2260
# codes the regions are loaded in), then the unit's name. The plans' index on (campaign, city,
# county) serves it for every reach: a page walks the plans in that order and sorts one county's
# units by name (an incremental sort), never every plan or item of the province.
PLAN_ORDER = ("city_id", "county_id", "enterprise__name", "pk")
ITEM_ORDER = ("plan__city_id", "plan__county_id", "plan__enterprise__name", "plan_id", "number")


def plans(*, user: User, campaign: Campaign | None) -> QuerySet[RectificationPlan]:
    """一企一案: the plans the user may see in `PLAN_ORDER`, without their figures: `with_figures`
    counts the items of a page's plans (counting every plan before paging took 0.8 s for the
    province), `with_all_figures` those of every row (an export)."""
    rows = RectificationPlan.objects.filter(campaign=campaign).select_related(
        "enterprise", "county", "city"
    )
    return access.visible(user, rows).order_by(*PLAN_ORDER)


def _figures(prefix: str = "") -> dict[str, Count]:
    """A plan's figures over its items: counted (a withdrawn problem's item is not), closed,
    overdue, applied for 销号. `prefix` is the path from the counted rows to the item."""

    def status(condition: str, value: Any) -> Q:
        return Q(**{f"{prefix}status{condition}": value})

    return {
        "item_count": Count(f"{prefix}pk", filter=status("__in", RectificationItem.COUNTED)),
        "closed_count": Count(f"{prefix}pk", filter=status("", S.CLOSED)),
        "overdue_count": Count(f"{prefix}pk", filter=status("", S.OVERDUE)),
        "applied_count": Count(f"{prefix}pk", filter=status("", S.APPLIED)),
    }


def with_figures(rows: Iterable[RectificationPlan]) -> list[RectificationPlan]:
    """These plans (a page) with their figures, counted in one grouped query over their items."""
    found = list(rows)
    counts = {
        row.pop("plan_id"): row
        for row in RectificationItem.objects.filter(plan_id__in=[p.pk for p in found])
        .order_by()
        .values("plan_id")
        .annotate(**_figures())
    }
    none = dict.fromkeys(_figures(), 0)
    for plan in found:
        for name, value in counts.get(plan.pk, none).items():
            setattr(plan, name, value)
    return found


def with_all_figures(rows: QuerySet[RectificationPlan]) -> QuerySet[RectificationPlan]:
    """Every plan of the queryset with its figures (an export prints them all)."""
    return rows.annotate(**_figures("items__"))


def items(*, user: User, campaign: Campaign | None) -> QuerySet[RectificationItem]:
    """The 整改台账: every item the user may see, with what its row prints, in `ITEM_ORDER`."""
    # only what a row prints: each join more costs the planner more than the page's rows (the
    # plan's city, unprinted, doubled the planning time)
    rows = RectificationItem.objects.filter(plan__campaign=campaign).select_related(
        "plan", "plan__enterprise", "plan__county", "problem", "problem__item", "supervisor"
    )
    return access.visible(user, rows).order_by(*ITEM_ORDER)


# the 整改台账's own columns of an item, read as plain values: building a model object per item and
# per related row (prefetch) made the province's export 3.75× the bare write of the same rows
EXPORT_COLUMNS = (
    "id",
    "problem_id",
    "requirement",
    "requirement_source",
    "funds",
    "responsible",
    "supervisor_id",
    "deadline",
    "original_deadline",
    "status",
    "progress",
    "closed_on",
    "closing_flagged",
    "overdue_since",
    "escalated_on",
)
EXPORT_RELATED = {
    "enterprise": F("plan__enterprise__name"),
    "credit_code": F("plan__enterprise__credit_code"),
    "county": F("plan__county__name"),
    "source": F("problem__source"),
    "kind": F("problem__kind"),
    "item_code": F("problem__item__code"),
    "item_title": F("problem__item__title"),
    "description": F("problem__description"),
    "legal_basis": F("problem__legal_basis"),
    "supervisor_name": F("supervisor__full_name"),
    "supervisor_username": F("supervisor__username"),
}
EXPORT_CHUNK = 1000


def items_for_export(
    *, user: User, queryset: QuerySet[RectificationItem]
) -> Iterator[dict[str, Any]]:
    """What the 整改台账 prints per item, as plain values in the queryset's order: the item's
    columns streamed, and for each chunk of items one query per related table, grouped here.
    Checks and case links only as far as the user sees them (the enterprise: neither)."""
    checks = access.visible(user, ItemCheck.objects.all())
    links = access.visible(user, CaseProblem.objects.all())
    rows = queryset.values(*EXPORT_COLUMNS, **EXPORT_RELATED).iterator(chunk_size=EXPORT_CHUNK)
    while chunk := list(islice(rows, EXPORT_CHUNK)):
        yield from _export_related(chunk, checks, links)


def _export_related(chunk: list[dict], checks: QuerySet, links: QuerySet) -> list[dict]:
    ids = [row["id"] for row in chunk]
    measures = _grouped(
        ItemMeasure.objects.filter(item_id__in=ids)
        .order_by("item_id", "number")
        .values_list("item_id", "number", "text", "done_on")
    )
    milestones = _grouped(
        Milestone.objects.filter(item_id__in=ids)
        .order_by("item_id", "number")
        .values_list("item_id", "due_on", "title", "done_on")
    )
    evidence = _grouped(
        ItemEvidence.objects.filter(item_id__in=ids)
        .values_list("item_id", "kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    # the latest check first, as the item's page lists them
    found = _grouped(
        checks.filter(item_id__in=ids)
        .order_by("item_id", "-checked_on", "-pk")
        .values_list("item_id", "pk", "checked_on", "conclusion", "outcome", "skip_reason")
    )
    officers = _grouped(
        ItemCheck.officers.through.objects.filter(
            itemcheck_id__in=[item_checks[0][0] for item_checks in found.values()]
        )
        .order_by("itemcheck_id", "user_id")
        .values_list("itemcheck_id", "user__full_name", "user__username")
    )
    cases = _grouped(
        links.filter(problem_id__in=[row["problem_id"] for row in chunk])
        .order_by("problem_id", "case_id")
        .values_list("problem_id", "case_id", "case__status")
    )
    for row in chunk:
        item_checks = found.get(row["id"], [])
        row["measures"] = measures.get(row["id"], [])
        row["milestones"] = milestones.get(row["id"], [])
        row["evidence"] = dict(evidence.get(row["id"], []))
        row["checks"] = item_checks
        row["officers"] = officers.get(item_checks[0][0], []) if item_checks else []
        row["cases"] = cases.get(row["problem_id"], [])
    return chunk


def _grouped(rows) -> dict[int, list[tuple]]:
    """Rows of (key, *values) as lists of their values by key, in the order read."""
    grouped: dict[int, list[tuple]] = defaultdict(list)
    for key, *values in rows:
        grouped[key].append(tuple(values))
    return grouped


def plan_detail(*, user: User, pk: int) -> RectificationPlan:
    return access.get_visible_or_404(
        user,
        RectificationPlan.objects.select_related("enterprise", "county", "city", "campaign"),
        pk=pk,
    )


def plan_items(*, user: User, plan: RectificationPlan) -> list[RectificationItem]:
    rows = (
        access.visible(user, plan.items.all())
        .select_related("problem", "problem__item", "supervisor")
        .prefetch_related(
            "measures",
            "milestones",
            Prefetch("evidence", queryset=ItemEvidence.objects.select_related("evidence")),
            Prefetch(
                "extensions",
                queryset=Extension.objects.filter(status=Extension.Status.REQUESTED),
                to_attr="waiting_extensions",
            ),
        )
        .order_by("number")
    )
    return list(rows)


def item_detail(*, user: User, pk: int) -> RectificationItem:
    return access.get_visible_or_404(
        user,
        RectificationItem.objects.select_related(
            "plan", "plan__enterprise", "plan__county", "problem", "problem__item", "supervisor"
        ),
        pk=pk,
    )


def item_history(*, user: User, item: RectificationItem) -> dict[str, Any]:
    """What the item's page shows beside its plan: reports, evidence, extensions, checks, events
    (the enterprise sees its own reports and the decisions on it, not the bureau's checks)."""
    return {
        "reports": list(
            access.visible(user, item.reports.all())
            .select_related("milestone", "by")
            .prefetch_related("evidence__evidence")
        ),
        "evidence": list(
            access.visible(user, item.evidence.all()).select_related("evidence", "added_by")
        ),
        "extensions": list(
            access.visible(user, item.extensions.all()).select_related("requested_by")
        ),
        "checks": list(
            access.visible(user, item.checks.all())
            .select_related("recorded_by")
            .prefetch_related("officers")
        ),
        "events": list(
            access.visible(user, ItemEvent.objects.filter(item=item)).select_related("by")
        ),
        "proposal": access.visible(
            user, FacilityProposal.objects.filter(item=item).select_related("problem", "case")
        ).first(),
    }


def item_for_problem(*, user: User, problem: Problem) -> RectificationItem | None:
    return (
        access.visible(user, RectificationItem.objects.filter(problem=problem))
        .select_related("plan")
        .first()
    )


def due_items(*, user: User, campaign: Campaign | None, days: int = 7):
    """For the home pages: the user's items overdue, and those due within `days`. A bureau's
    officer sees the items they supervise; the enterprise its own; a city its escalated ones."""
    today = timezone.localdate()
    rows = items(user=user, campaign=campaign).filter(status__in=RectificationItem.WORKING)
    if user.has_perm("rectification.handle_rectification"):
        reach = access.jurisdiction(user).reach
        mine = Q(supervisor=user)
        if reach is access.Reach.CITY:
            mine |= Q(escalated_on__isnull=False)
        rows = rows.filter(mine)
    overdue = rows.filter(status=S.OVERDUE).order_by("deadline", "pk")
    soon = rows.exclude(status=S.OVERDUE).filter(
        deadline__gte=today, deadline__lte=today + timezone.timedelta(days=days)
    )
    return {
        "overdue": list(overdue[:20]),
        "overdue_count": overdue.count(),
        "soon": list(soon.order_by("deadline", "pk")[:20]),
    }


def proposals(*, user: User, campaign: Campaign | None) -> QuerySet[FacilityProposal]:
    rows = FacilityProposal.objects.filter(item__plan__campaign=campaign).select_related(
        "item", "item__plan", "item__plan__enterprise", "item__problem", "problem", "case"
    )
    return access.visible(user, rows)


def completion(*, user: User, campaign: Campaign | None, level: str) -> list[dict[str, Any]]:
    """完成率 per county or city: items counted, closed, overdue, and the share closed."""
    column = "plan__county" if level == Region.Level.COUNTY else "plan__city"
    rows = (
        items(user=user, campaign=campaign)
        .filter(status__in=RectificationItem.COUNTED)
        .order_by()
        .values(column, f"{column}__name", f"{column}__code")
        .annotate(
            total=Count("pk"),
            closed=Count("pk", filter=Q(status=S.CLOSED)),
            overdue=Count("pk", filter=Q(status=S.OVERDUE)),
            flagged=Count("pk", filter=Q(closing_flagged=True)),
        )
        .order_by(f"{column}__code")
    )
    result = []
    for row in rows:
        result.append(
            {
                "region_id": row[column],
                "name": row[f"{column}__name"],
                "code": row[f"{column}__code"],
                "total": row["total"],
                "closed": row["closed"],
                "overdue": row["overdue"],
                "flagged": row["flagged"],
                "rate": rate(row["closed"], row["total"]),
            }
        )
    return result


def rate(closed: int, total: int) -> str:
    return f"{closed * 100 / total:.1f}%" if total else "—"


def problems_without_item(*, user: User, campaign: Campaign | None) -> QuerySet[Problem]:
    """Open primaries not yet in any plan: what 登记造册 still has to gather."""
    rows = Problem.objects.filter(
        campaign=campaign, primary__isnull=True, status__in=Problem.ACTIVE
    ).filter(~Exists(RectificationItem.objects.filter(problem=OuterRef("pk"))))
    return access.visible(user, rows)


def units_waiting(*, user: User, campaign: Campaign | None, limit: int = 20) -> QuerySet:
    """The first units by name with problems waiting for 登记造册 (`pk`, `name`).

    The waiting problems' units are found first, in one pass over the campaign's problems (a hash
    anti-join with the items; DISTINCT keeps that subquery whole, PostgreSQL does not flatten
    it), then their names are sorted. Asked as one join with the order and the limit, the planner
    walked every unit in name order looking for a waiting problem (2.4 s for the province when
    nothing waits, the usual state once the plans are made)."""
    waiting = (
        problems_without_item(user=user, campaign=campaign)
        .order_by()
        .values("enterprise_id")
        .distinct()
    )
    rows = Enterprise.objects.filter(pk__in=waiting).order_by("name", "pk")
    return rows.values("pk", "name")[:limit]


def assignable_inspectors(*, user: User, item: RectificationItem) -> QuerySet[User]:
    """Who the item's page offers as its supervisor or check officers: the inspectors this user
    may assign (`plannable_inspectors`) of the item's county and its city, as a county bureau
    sees them, and the item's current supervisor. The province is not offered every inspector
    of Henan; the services still check whoever is sent."""
    county = item.plan.county
    return plannable_inspectors(user=user).filter(
        Q(region_id__in=[county.pk, county.parent_id]) | Q(pk=item.supervisor_id)
    )
