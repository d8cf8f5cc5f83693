"""The daily work on statutory clocks: recompute what was computed on an older calendar, and write
a reminder for each open clock that comes due within the horizon or is overdue."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from campaign.workdays import WorkingCalendar
from cases import clocks
from cases.models import Case, Deadline, DeadlineReminder
from cases.rules import Against
from cases.selectors.case import reminder_horizon


def _open():
    return Deadline.objects.filter(done_on__isnull=True).exclude(case__status__in=Case.FINISHED)


BATCH = 500


def deadlines_recompute_stale(*, calendar: WorkingCalendar | None = None) -> int:
    """Open clocks computed on other holiday data than today's (an administrator entered a year,
    the package was upgraded): computed again, a batch per transaction. A clock whose date moved is
    saved (its history shows the move); the rest only get the new calendar version, in one UPDATE
    per batch. Returns how many due dates moved."""
    calendar = calendar or WorkingCalendar()
    version = calendar.version
    stale = (
        _open()
        .exclude(calendar_version=version)
        .select_related("case")
        .prefetch_related("case__pauses")
        .order_by("pk")
    )
    moved = 0
    while batch := list(stale[:BATCH]):
        with transaction.atomic():
            unmoved = []
            for deadline in batch:
                if clocks.recompute_one(deadline, calendar=calendar):
                    moved += 1
                else:
                    unmoved.append(deadline.pk)
            Deadline.objects.filter(pk__in=unmoved).update(
                calendar_version=version, computed_at=timezone.now()
            )
    return moved


@transaction.atomic
def deadlines_remind(*, today: dt.date) -> int:
    """One reminder per clock and kind (即将到期, 已逾期), written once: a job run twice on the same
    day, or caught up after downtime, writes nothing twice. Returns how many were written."""
    horizon = reminder_horizon(today, settings.CASE_REMINDER_WORKING_DAYS)
    due = _open().filter(due_date__lte=horizon)
    written = 0
    rows = due.values_list("pk", "due_date", "against").iterator(chunk_size=2000)
    for deadline_id, due_date, against in rows:
        if due_date < today and against == Against.PARTY:
            continue  # a party's window that ran out has lapsed: nobody is late
        kind = DeadlineReminder.Kind.OVERDUE if due_date < today else DeadlineReminder.Kind.DUE_SOON
        _, created = DeadlineReminder.objects.get_or_create(
            deadline_id=deadline_id, kind=kind, defaults={"written_on": today}
        )
        written += created
    return written
