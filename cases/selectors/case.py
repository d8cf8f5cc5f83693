"""Reads of stage 3, each starting from the access policy."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, QuerySet

from campaign import access
from campaign.models import User
from campaign.workdays import WorkingCalendar
from cases.models import (
    Case,
    Classification,
    Deadline,
    DeadlineReminder,
    Notice,
    Reply,
    ViolationType,
)
from cases.rules import Against
from inspections.models import Problem


def case_list(*, user: User) -> QuerySet[Case]:
    overdue = Deadline.objects.filter(
        case=OuterRef("pk"), done_on__isnull=True, against=Against.BUREAU
    )
    return (
        access.visible(user, Case.objects.all())
        .select_related("enterprise", "county", "violation_type")
        .annotate(has_overdue=Exists(overdue.filter(due_date__lt=_today())))
        .order_by("-opened_at", "-pk")
    )


def case_get(*, user: User, pk: int) -> Case:
    return access.get_visible_or_404(
        user,
        Case.objects.select_related(
            "enterprise", "county", "city", "violation_type", "reviewer", "opened_by", "campaign"
        ),
        pk=pk,
    )


def case_deadlines(*, case: Case) -> list[Deadline]:
    return list(case.deadlines.order_by("start_date", "pk"))


def case_events(*, case: Case):
    return case.events.select_related("by").order_by("at", "pk")


def case_problems(*, user: User, case: Case) -> QuerySet[Problem]:
    return access.visible(user, Problem.objects.filter(case_links__case=case)).select_related(
        "item"
    )


def deadline_list(*, user: User) -> QuerySet[Deadline]:
    """到期提醒: the open clocks of the cases this user sees, soonest first."""
    cases = access.visible(user, Case.objects.all())
    return (
        access.visible(user, Deadline.objects.filter(done_on__isnull=True, case__in=cases))
        .exclude(case__status__in=Case.FINISHED)
        .select_related("case", "case__enterprise", "case__county")
        .order_by("due_date", "pk")
    )


def reminder_horizon(today: dt.date, working_days: int) -> dt.date:
    """The last day of the next `working_days` working days: what "due soon" means."""
    return WorkingCalendar().add_working_days(today, working_days).date


def classification_queue(*, user: User) -> QuerySet[Problem]:
    """The primary problems still to be put on a path (open, or rectifying on the enterprise's
    own measure), oldest first."""
    classified = Classification.objects.filter(problem=OuterRef("pk"))
    return (
        access.visible(user, Problem.objects.all())
        .filter(primary__isnull=True, status__in=(Problem.Status.OPEN, Problem.Status.RECTIFYING))
        .exclude(Exists(classified))
        .select_related("enterprise", "county", "item")
        .order_by("found_at", "pk")
    )


def classification_list(*, user: User) -> QuerySet[Classification]:
    return access.visible(user, Classification.objects.all()).select_related(
        "problem", "problem__item", "enterprise", "classified_by"
    )


def violation_types() -> QuerySet[ViolationType]:
    return ViolationType.objects.all()


def _today() -> dt.date:
    from django.utils import timezone

    return timezone.localdate()


def reminders_written(*, user: User, on: dt.date) -> QuerySet[DeadlineReminder]:
    """The reminders the daily job wrote on `on` for the cases this user sees."""
    return (
        access.visible(user, DeadlineReminder.objects.filter(written_on=on))
        .select_related("deadline", "deadline__case")
        .order_by("deadline__due_date", "pk")
    )


def notice_list(*, user: User) -> QuerySet[Notice]:
    return (
        access.visible(user, Notice.objects.all())
        .select_related("enterprise", "county", "city", "supplements")
        .order_by("-drafted_at", "-pk")
    )


def notice_get(*, user: User, pk: int) -> Notice:
    return access.get_visible_or_404(
        user,
        Notice.objects.select_related("enterprise", "county", "city", "supplements", "drafted_by"),
        pk=pk,
    )


def notice_replies(*, user: User, notice: Notice) -> QuerySet[Reply]:
    return access.visible(user, notice.replies.select_related("submitted_by"))


def notice_rules(notice: Notice):
    """The rules the notice's windows follow: its first case's (a guidance-only notice: today's)."""
    from django.utils import timezone

    from cases.rules import rules_for

    item = notice.items.filter(case__isnull=False).select_related("case").first()
    return item.case.rule_set if item else rules_for(timezone.localdate())


def case_notices(*, user: User, case: Case) -> QuerySet[Notice]:
    return access.visible(user, Notice.objects.filter(items__case=case)).distinct()


def problem_handling(*, user: User, problem: Problem) -> dict | None:
    """A problem's classification and cases, as far as this user may see them (the enterprise:
    nothing of the bureau's handling, its notices are on its own page)."""
    classification = access.visible(user, Classification.objects.filter(problem=problem)).first()
    cases = list(
        access.visible(user, Case.objects.filter(case_problems__problem=problem)).order_by("pk")
    )
    if classification is None and not cases:
        return None
    return {"classification": classification, "cases": cases}


# the MEE's 五类案件 (facts §7): each counted once per case, a cancelled measure not at all
FIVE_KINDS = (
    ("daily", "按日连续处罚", ("daily",)),
    ("seal", "查封、扣押", ("seal",)),
    ("restrict", "限产、停产", ("restrict", "suspend")),
    ("detention", "移送行政拘留", ("detention",)),
    ("crime", "移送涉嫌犯罪", ("crime",)),
)


def five_kinds(*, user: User, campaign) -> tuple[list[dict], dict]:
    """Per city: cases opened, decided, fines (元) and the 五类案件; and the total row."""
    from django.db.models import Count, Q, Sum

    from cases.models import Measure

    cases = access.visible(user, Case.objects.filter(campaign=campaign))
    live = ~Q(measures__status=Measure.Status.CANCELLED)
    figures = {
        key: Count("pk", filter=Q(measures__kind__in=kinds) & live, distinct=True)
        for key, _label, kinds in FIVE_KINDS
    }
    rows = list(
        cases.values("city__code", "city__name")
        .annotate(
            opened=Count("pk", distinct=True),
            decided=Count("pk", filter=Q(decided_on__isnull=False), distinct=True),
            **figures,
        )
        .order_by("city__code")
    )
    # fines summed apart: the measures join would count a fine once per measure
    fines = dict(
        cases.values("city__code").annotate(total=Sum("fine")).values_list("city__code", "total")
    )
    total = {"opened": 0, "decided": 0, "fines": 0, **{key: 0 for key, *_ in FIVE_KINDS}}
    for row in rows:
        row["fines"] = fines.get(row["city__code"]) or 0
        for key in total:
            total[key] += row[key]
    for row in (*rows, total):
        row["fines_wan"] = round(row["fines"] / 10_000, 2)
    return rows, total
