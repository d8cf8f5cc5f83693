"""Reads of 指导, starting from the access policy."""

from __future__ import annotations

from django.db.models import QuerySet

from campaign import access
from campaign.models import Campaign, User
from rectification.models import GuidanceActivity


def activities(*, user: User, campaign: Campaign | None) -> QuerySet[GuidanceActivity]:
    rows = (
        GuidanceActivity.objects.filter(campaign=campaign)
        .select_related("county", "city", "recorded_by")
        .prefetch_related("enterprises", "officers")
    )
    return access.visible(user, rows)
