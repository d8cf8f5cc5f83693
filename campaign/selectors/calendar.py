"""Reads of the campaign calendar: which windows apply to whom, and what is late."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from campaign.models import Campaign, Region, StageWindow, User


def campaign_current() -> Campaign | None:
    return Campaign.objects.filter(is_current=True).first() or Campaign.objects.first()


def user_city_id(user: Any) -> int | None:
    """The city whose calendar applies to a user (their own, or their enterprise's)."""
    if not getattr(user, "is_authenticated", False):
        return None
    if user.role == User.Role.CITY:
        return user.region_id
    if user.role == User.Role.COUNTY and user.region_id:
        return user.region.parent_id
    if user.role == User.Role.ENTERPRISE:
        return user.enterprises.values_list("city_id", flat=True).first()
    return None


def windows_for(campaign: Campaign, *, city_id: int | None = None) -> list[StageWindow]:
    """One window per stage: the city's own where it has one, else the province-wide one."""
    windows = list(campaign.windows.filter(city__isnull=True))
    if city_id:
        own = {w.stage: w for w in campaign.windows.filter(city_id=city_id).select_related("city")}
        windows = [own.get(w.stage, w) for w in windows]
    return sorted(windows, key=lambda w: (w.starts_on, w.stage))


def window_for(campaign: Campaign, stage: str, *, city_id: int | None = None) -> StageWindow | None:
    if city_id:
        own = campaign.windows.filter(stage=stage, city_id=city_id).first()
        if own:
            return own
    return campaign.windows.filter(stage=stage, city__isnull=True).first()


def is_late(campaign: Campaign, stage: str, *, at: dt.datetime, city_id: int | None = None) -> bool:
    """Work done after its stage window (Asia/Shanghai dates) is late; it is never refused."""
    window = window_for(campaign, stage, city_id=city_id)
    return bool(window) and timezone.localdate(at) > window.ends_on


@dataclass(frozen=True)
class StageStatus:
    window: StageWindow
    state: str  # upcoming / open / closed
    days_left: int
    days_to_start: int

    @property
    def label(self) -> str:
        return self.window.get_stage_display()

    @property
    def is_city_window(self) -> bool:
        return self.window.city_id is not None


def campaign_stage_statuses(
    campaign: Campaign | None, *, on: dt.date | None = None, city_id: int | None = None
) -> list[StageStatus]:
    """Every stage of the campaign with its state on a day (today in Asia/Shanghai by default)."""
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
        for w in windows_for(campaign, city_id=city_id)
    ]


def city_windows(campaign: Campaign) -> list[StageWindow]:
    return list(
        campaign.windows.filter(city__isnull=False)
        .select_related("city")
        .order_by("city__code", "stage")
    )


def cities() -> list[Region]:
    return list(Region.objects.filter(level=Region.Level.CITY).order_by("code"))
