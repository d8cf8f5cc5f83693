"""System checks of the campaign app."""

from __future__ import annotations

from django.core.checks import Warning, register
from django.db import DatabaseError
from django.utils import timezone


@register("calendar", "database")
def holiday_years(app_configs, databases=None, **kwargs):
    """A year whose statutory clocks would run on weekends alone (no holiday data) is said, so that
    an administrator enters it before deadlines fall in it. It reads the entered years, so it runs
    where checks may use the database: `migrate`, and `check --database default`."""
    from campaign import workdays

    if not databases:
        return []
    try:
        missing = workdays.missing_now(timezone.localdate())
    except (DatabaseError, RuntimeError):  # before migrate, or where the database is closed
        return []
    return [
        Warning(
            f"尚无 {year} 年的法定节假日和调休安排：落在该年的法定期限只能按周末推算。",
            hint="系统管理员请在 组织与廉洁 → 法定节假日 按国务院办公厅的通知录入，"
            "或升级 chinesecalendar（pip 包）。",
            id="campaign.W001",
        )
        for year in missing
    ]
