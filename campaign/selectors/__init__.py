"""Reads for the campaign app."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from campaign import access
from campaign.models import Campaign, Industry, Region, StageWindow


def campaign_current() -> Campaign | None:
    return Campaign.objects.filter(is_current=True).first() or Campaign.objects.first()


@dataclass(frozen=True)
class StageStatus:
    window: StageWindow
    state: str  # upcoming / open / closed
    days_left: int
    days_to_start: int

    @property
    def label(self) -> str:
        return self.window.get_stage_display()


def campaign_stage_statuses(
    campaign: Campaign | None, *, on: dt.date | None = None
) -> list[StageStatus]:
    """Every stage window of the campaign with its state on a day (Asia/Shanghai today by default)."""
    if campaign is None:
        return []
    day = on or timezone.localdate()
    return [
        StageStatus(
            window=w,
            state=w.state_on(day),
            days_left=w.days_left(day),
            days_to_start=(w.starts_on - day).days,
        )
        for w in campaign.windows.all()
    ]


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
