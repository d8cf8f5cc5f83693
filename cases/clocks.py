"""A case's statutory clocks: each `Deadline` row computed from its rule on the working calendar.

The rule (basis, unit, length, start event) comes from `cases.rules`, chosen by the case's 立案
date; the date from `campaign.workdays.WorkingCalendar`. A pausable clock (the decision period)
leaves out every interval in which it does not run (中止, 听证, 监测鉴定, 移送). A clock is started
when its start event happens, done when its step is taken, and recomputed when a pause starts or
ends or the holiday data change.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from campaign.workdays import Due, WorkingCalendar
from cases.models import Case, Deadline
from cases.rules import Clock, Unit, find_clock


def _due(clock: Clock, start: dt.date, extension: int, paused, calendar: WorkingCalendar):
    length = clock.length + extension
    if clock.unit == Unit.WORKING_DAYS:
        return calendar.add_working_days(start, length, paused=paused)
    if clock.unit == Unit.MONTHS:
        return calendar.add_days(start, months=length, paused=paused)
    if clock.unit == Unit.HOURS:  # hours run through rest days: the day the last hour falls on
        return Due(start + dt.timedelta(days=-(-length // 24)))
    return calendar.add_days(start, length, paused=paused)


def _paused(case: Case, clock: Clock, today: dt.date) -> list[tuple[dt.date, dt.date]]:
    if not clock.pausable:
        return []
    return [pause.days(today) for pause in case.pauses.all()]


def _fill(deadline: Deadline, clock: Clock, case: Case, calendar: WorkingCalendar) -> Deadline:
    today = timezone.localdate()
    due = _due(
        clock, deadline.start_date, deadline.extension, _paused(case, clock, today), calendar
    )
    deadline.due_date = due.date
    deadline.unknown_years = list(due.unknown_years)
    deadline.calendar_version = calendar.version
    deadline.computed_at = timezone.now()
    return deadline


def start(
    case: Case, key: str, start_date: dt.date, *, calendar: WorkingCalendar | None = None
) -> Deadline:
    """Start (or restart) the case's clock `key` from `start_date` under the case's rules (a
    measure's clock: "<clock>:<measure id>")."""
    clock = find_clock(case.rule_set, key)
    deadline = Deadline.objects.filter(case=case, key=key).first() or Deadline(case=case, key=key)
    deadline.label = clock.label
    deadline.basis = clock.basis
    deadline.unit = clock.unit
    deadline.length = clock.length
    deadline.against = clock.against
    deadline.start_event = clock.start_event
    deadline.start_date = start_date
    deadline.pausable = clock.pausable
    deadline.done_on = None
    deadline.done_note = ""
    _fill(deadline, clock, case, calendar or WorkingCalendar())
    deadline.save()
    return deadline


def done(case: Case, key: str, on: dt.date, note: str) -> None:
    """The step the clock `key` waits for was taken on `on`."""
    for deadline in Deadline.objects.filter(case=case, key=key, done_on__isnull=True):
        deadline.done_on = on
        deadline.done_note = note
        deadline.save(update_fields=["done_on", "done_note"])


def close_all(case: Case, on: dt.date, note: str) -> None:
    """A finished case (closed, not filed, revoked) leaves no clock running."""
    for deadline in case.deadlines.filter(done_on__isnull=True):
        deadline.done_on = on
        deadline.done_note = note
        deadline.save(update_fields=["done_on", "done_note"])


def extend(case: Case, key: str) -> Deadline:
    """The one extension the rule allows (approved by the 负责人)."""
    clock = find_clock(case.rule_set, key)
    deadline = Deadline.objects.get(case=case, key=key)
    deadline.extension = clock.extension
    _fill(deadline, clock, case, WorkingCalendar())
    deadline.save()
    return deadline


def recompute_one(deadline: Deadline, *, calendar: WorkingCalendar) -> bool:
    """Compute one open clock again; saved (and audited) only if its due date or the years it
    lacks data for changed. Returns whether it moved."""
    case = deadline.case
    before = (deadline.due_date, list(deadline.unknown_years))
    _fill(deadline, find_clock(case.rule_set, deadline.key), case, calendar)
    if (deadline.due_date, list(deadline.unknown_years)) == before:
        return False
    deadline.save(update_fields=["due_date", "unknown_years", "calendar_version", "computed_at"])
    return True


def recompute(deadlines, *, calendar: WorkingCalendar | None = None) -> int:
    """Compute the open deadlines again (a pause started or ended, the holidays changed);
    returns how many due dates moved."""
    calendar = calendar or WorkingCalendar()
    moved = 0
    for deadline in deadlines:
        case = deadline.case
        before = deadline.due_date
        _fill(deadline, find_clock(case.rule_set, deadline.key), case, calendar)
        deadline.save(
            update_fields=["due_date", "unknown_years", "calendar_version", "computed_at"]
        )
        moved += deadline.due_date != before
    return moved
