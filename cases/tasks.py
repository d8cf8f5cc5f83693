from celery import shared_task
from django.utils import timezone

from cases.services import reminders


@shared_task(name="cases.tasks.deadlines_daily")
def deadlines_daily() -> dict:
    """Every morning: clocks on today's calendar, then the reminders they call for."""
    moved = reminders.deadlines_recompute_stale()
    written = reminders.deadlines_remind(today=timezone.localdate())
    return {"moved": moved, "reminders": written}


@shared_task(name="cases.tasks.deadlines_recompute")
def deadlines_recompute() -> int:
    return reminders.deadlines_recompute_stale()
