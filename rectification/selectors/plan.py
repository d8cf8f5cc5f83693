"""Reads of stage 4, each starting from the access policy."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from campaign import access
from campaign.models import Campaign, Region, User
from cases.models import CaseProblem
from inspections.models import Problem
from rectification.models import (
    Extension,
    FacilityProposal,
    ItemCheck,
    ItemEvent,
    ItemEvidence,
    RectificationItem,
    RectificationPlan,
)

S = RectificationItem.Status


def plans(*, user: User, campaign: Campaign | None) -> QuerySet[RectificationPlan]:
    rows = RectificationPlan.objects.filter(campaign=campaign).select_related(
        "enterprise", "county", "city"
    )
    return access.visible(user, rows).annotate(
        item_count=Count("items", filter=Q(items__status__in=RectificationItem.COUNTED)),
        closed_count=Count("items", filter=Q(items__status=S.CLOSED)),
        overdue_count=Count("items", filter=Q(items__status=S.OVERDUE)),
        applied_count=Count("items", filter=Q(items__status=S.APPLIED)),
    )


def items(*, user: User, campaign: Campaign | None) -> QuerySet[RectificationItem]:
    """The 整改台账: every item the user may see, with what its row prints."""
    rows = RectificationItem.objects.filter(plan__campaign=campaign).select_related(
        "plan",
        "plan__enterprise",
        "plan__county",
        "plan__city",
        "problem",
        "problem__item",
        "supervisor",
    )
    return access.visible(user, rows).order_by("plan__enterprise__name", "plan_id", "number")


def items_for_export(*, user: User, queryset: QuerySet[RectificationItem]):
    """What the 整改台账 prints per row, read in a few queries whatever its length."""
    checks = access.visible(user, ItemCheck.objects.prefetch_related("officers")).order_by(
        "-checked_on", "-pk"
    )
    return queryset.prefetch_related(
        "measures",
        "milestones",
        Prefetch("evidence", queryset=ItemEvidence.objects.select_related("evidence")),
        Prefetch("checks", queryset=checks, to_attr="visible_checks"),
        # the cases behind an item, as far as the user sees them (the enterprise: none)
        Prefetch(
            "problem__case_links",
            queryset=access.visible(user, CaseProblem.objects.select_related("case")),
        ),
    )


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
