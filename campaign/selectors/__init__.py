"""Reads for the campaign app."""

from __future__ import annotations

from django.db.models import QuerySet

from campaign import access
from campaign.models import Industry, Region
from campaign.selectors.calendar import (  # noqa: F401  (the calendar reads are used everywhere)
    StageStatus,
    campaign_current,
    campaign_stage_statuses,
)


def region_list() -> QuerySet[Region]:
    """Reference data: every region is public knowledge to signed-in users."""
    return Region.objects.select_related("parent")


def region_choices_for(user) -> QuerySet[Region]:
    """County-level areas a user may pick (filters and forms)."""
    return access.regions_in_reach(user, Region.objects.filter(level=Region.Level.COUNTY))


def city_choices_for(user) -> QuerySet[Region]:
    return access.regions_in_reach(user, Region.objects.filter(level=Region.Level.CITY))


def industry_list() -> QuerySet[Industry]:
    return Industry.objects.all()
