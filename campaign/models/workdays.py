"""Statutory holidays and 调休 working days for a year the holiday package does not know yet,
entered by an administrator from the State Council's notice."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from campaign.access import AccessPaths


class HolidayYear(models.Model):
    """One year's holiday arrangement as entered (the package's own years need no row)."""

    year = models.PositiveSmallIntegerField("年份", unique=True)
    source = models.CharField(
        "依据", max_length=200, help_text="国务院办公厅通知的文号或标题，如 国办发明电〔2026〕X号"
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="录入人",
        on_delete=models.PROTECT,
        related_name="+",
    )
    entered_at = models.DateTimeField("录入时间", auto_now=True)

    access_paths = AccessPaths(public=True)  # everyone's deadlines are computed on it

    class Meta:
        verbose_name = verbose_name_plural = "法定节假日安排"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year} 年法定节假日安排"


class HolidayDate(models.Model):
    """One day that differs from the ordinary week: a holiday on a weekday, or a 调休 weekend
    that is worked."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", "放假"
        WORKDAY = "workday", "调休上班"

    year = models.ForeignKey(HolidayYear, on_delete=models.CASCADE, related_name="dates")
    date = models.DateField("日期", unique=True)
    kind = models.CharField("类别", max_length=10, choices=Kind.choices)
    name = models.CharField("节日", max_length=20, blank=True)

    access_paths = AccessPaths(public=True)

    class Meta:
        verbose_name = verbose_name_plural = "节假日与调休日期"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}"
