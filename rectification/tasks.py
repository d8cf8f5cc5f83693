"""Stage 4's background work: the daily overdue run (idempotent)."""

from __future__ import annotations

from celery import shared_task

from rectification.services import verification


@shared_task
def overdue_daily() -> dict[str, int]:
    return verification.overdue_run()
