"""Writes to the campaign calendar."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from campaign.models import Campaign, HolidayDate, HolidayYear, Region, StageWindow, User


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
    if not actor.has_perm("campaign.set_city_window"):
        return False
    own_city = city_id is not None and actor.region_id == city_id
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


def _shift(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@transaction.atomic
def campaign_create_from(*, actor: User, source: Campaign, year: int, name: str) -> Campaign:
    """Set up a new campaign year from an earlier one: windows moved to the new year, the roster
    structure (bodies, duties, members) and the published integrity texts copied; pools, liaisons,
    assignments and complaints start empty. The new year becomes the current one."""
    from campaign.models import IntegrityDocument, RosterGroup, RosterMember

    if not _may_manage(actor):
        raise PermissionDenied("只有系统管理员可以新建执法行动年度。")
    if Campaign.objects.filter(year=year).exists():
        raise ValidationError({"year": f"{year} 年度已存在。"})
    if not name.strip():
        raise ValidationError({"name": "请填写名称。"})
    years = year - source.year
    Campaign.objects.filter(is_current=True).update(is_current=False)
    campaign = Campaign.objects.create(
        year=year,
        name=name.strip(),
        is_current=True,
        liaison_deadline=source.liaison_deadline.replace(year=source.liaison_deadline.year + years)
        if source.liaison_deadline
        else None,
        weekly_report_weekday=source.weekly_report_weekday,
        weekly_report_time=source.weekly_report_time,
        complaint_phone=source.complaint_phone,
        complaint_email=source.complaint_email,
    )
    for window in source.windows.filter(city__isnull=True):
        StageWindow.objects.create(
            campaign=campaign,
            stage=window.stage,
            starts_on=_shift(window.starts_on, years),
            ends_on=_shift(window.ends_on, years),
        )
    for group in source.roster_groups.prefetch_related("members"):
        copy = RosterGroup.objects.create(
            campaign=campaign,
            kind=group.kind,
            name=group.name,
            duties=group.duties,
            order=group.order,
        )
        for member in group.members.all():
            RosterMember.objects.create(
                group=copy,
                name=member.name,
                position=member.position,
                unit=member.unit,
                user=member.user,
                order=member.order,
            )
    current = {}
    for document in source.integrity_documents.order_by("kind", "-version"):
        current.setdefault(document.kind, document)
    for document in current.values():
        IntegrityDocument.objects.create(
            campaign=campaign,
            kind=document.kind,
            version=1,
            title=document.title,
            body=document.body.replace(str(source.year), str(year)),
            published_by=actor,
        )
    return campaign


@transaction.atomic
def holiday_year_save(
    *,
    actor: User,
    year: int,
    source: str,
    holidays: list[tuple[dt.date, str]],
    workdays: list[tuple[dt.date, str]],
) -> HolidayYear:
    """Enter (or correct) a year's holidays for a year the holiday package does not know. The
    year's dates are replaced as a whole; the history keeps what they were."""
    from campaign.workdays import package_years

    if not _may_manage(actor):
        raise PermissionDenied("只有系统管理员可以录入法定节假日安排。")
    if year in package_years():
        raise ValidationError(
            {
                "year": f"{year} 年的安排已由系统内置数据提供（更新 chinesecalendar 即可），无需录入。"
            }
        )
    if not holidays:
        raise ValidationError({"holidays": "请填写放假日期。"})
    entry, _created = HolidayYear.objects.update_or_create(
        year=year, defaults={"source": source, "entered_by": actor}
    )
    entry.dates.all().delete()
    # one by one (a year has a few dozen), so the history records every date added or removed
    for kind, dates in ((HolidayDate.Kind.HOLIDAY, holidays), (HolidayDate.Kind.WORKDAY, workdays)):
        for day, name in dates:
            HolidayDate.objects.create(year=entry, date=day, kind=kind, name=name)
    from campaign.workdays import calendar_changed

    transaction.on_commit(lambda: calendar_changed.send(sender=HolidayYear, year=year))
    return entry
