"""Writes to the campaign calendar."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from campaign.models import Campaign, Region, StageWindow, User


def _may_manage(actor: User) -> bool:
    return actor.has_perm("campaign.manage_platform")


@transaction.atomic
def campaign_update(
    *, actor: User, campaign: Campaign, values: dict, windows: dict[str, tuple[dt.date, dt.date]]
) -> Campaign:
    """Save a campaign year's settings and its province-wide stage windows."""
    if not _may_manage(actor):
        raise PermissionDenied("只有系统管理员可以设置执法行动日历。")
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    for name, value in values.items():
        setattr(campaign, name, value)
    campaign.full_clean()
    if campaign.is_current:
        Campaign.objects.exclude(pk=campaign.pk).filter(is_current=True).update(is_current=False)
    campaign.save()
    for stage, (starts_on, ends_on) in windows.items():
        window = StageWindow.objects.filter(
            campaign=campaign, stage=stage, city__isnull=True
        ).first()
        window = window or StageWindow(campaign=campaign, stage=stage)
        window.starts_on, window.ends_on = starts_on, ends_on
        window.full_clean()
        window.save()
    return campaign


def may_set_city_window(actor: User, city_id: int | None) -> bool:
    """Administrators for any city; a city bureau for its own city only."""
    own_city = actor.role == User.Role.CITY and city_id is not None and actor.region_id == city_id
    return _may_manage(actor) or own_city


@transaction.atomic
def city_window_set(
    *,
    actor: User,
    campaign: Campaign,
    city: Region,
    stage: str,
    starts_on: dt.date,
    ends_on: dt.date,
) -> StageWindow:
    """Give one city its own window for a stage; the other cities keep the province-wide one."""
    if not may_set_city_window(actor, city.pk):
        raise PermissionDenied("只有系统管理员或该市生态环境局可以调整本市的阶段时间。")
    if city.level != Region.Level.CITY:
        raise ValidationError({"city": "只能为省辖市（含济源示范区）单独设置时间。"})
    window = StageWindow.objects.filter(campaign=campaign, stage=stage, city=city).first()
    window = window or StageWindow(campaign=campaign, stage=stage, city=city)
    window.starts_on, window.ends_on = starts_on, ends_on
    window.full_clean()
    window.save()
    return window


@transaction.atomic
def city_window_delete(*, actor: User, window: StageWindow) -> None:
    if window.city_id is None:
        raise ValidationError("全省统一的阶段时间不能删除，只能修改。")
    if not may_set_city_window(actor, window.city_id):
        raise PermissionDenied("只有系统管理员或该市生态环境局可以恢复本市的阶段时间。")
    window.delete()
