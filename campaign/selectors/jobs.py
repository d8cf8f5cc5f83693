"""Reads of background jobs: a user's own, never anyone else's (the access policy's owner_only)."""

from __future__ import annotations

from django.db.models import QuerySet

from campaign import access
from campaign.models import Job, User


def job_list(*, user: User) -> QuerySet[Job]:
    return access.visible(user, Job.objects.all())
