"""The campaign calendar: one campaign per year, its stage windows, and city-specific windows."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models

from campaign.access import AccessPaths
from campaign.models.core import Region
from campaign.validators import validate_phone


class Campaign(models.Model):
    """One campaign year; every date of it is data, not code."""

    year = models.PositiveSmallIntegerField("年度", unique=True)
    name = models.CharField("名称", max_length=100)
    is_current = models.BooleanField("当前年度", default=False)
    liaison_deadline = models.DateTimeField("联络人员信息报送截止时间", null=True, blank=True)
    weekly_report_weekday = models.PositiveSmallIntegerField(
        "周报告日",
        default=4,
        choices=[(i, d) for i, d in enumerate("一二三四五六日")],
        help_text="每周哪一天报送（执法检查阶段）",
    )
    weekly_report_time = models.TimeField("周报告截止时刻", default=dt.time(17, 30))
    complaint_phone = models.CharField(
        "巡查组举报电话", max_length=30, blank=True, validators=[validate_phone]
    )
    complaint_email = models.EmailField("举报邮箱", blank=True)

    access_paths = AccessPaths(public=True)

    class Meta:
        verbose_name = verbose_name_plural = "执法行动年度"
        ordering = ["-year"]
        permissions = [
            ("manage_platform", "管理平台（日历、名册、人员库、目录）"),
            ("set_city_window", "设置本市阶段时间"),
            ("view_organisation", "查看组织机构与人员库"),
            ("view_liaisons", "查看联络人员（附件7）"),
            ("oversee_integrity", "督查廉洁承诺与群众举报"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=models.Q(is_current=True),
                name="only_one_current_campaign",
            ),
            models.CheckConstraint(
                condition=models.Q(weekly_report_weekday__lte=6), name="weekday_in_week"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def weekly_report_rule(self) -> str:
        day = self.get_weekly_report_weekday_display()
        return f"执法检查阶段每周{day} {self.weekly_report_time:%H:%M} 前（北京时间）报送"


class StageWindow(models.Model):
    """The window of one stage in a campaign: province-wide, or a city's own (city set).

    A city's own window replaces the province-wide one for that city only
    (the plan lets each city shift its inspection window for the epidemic).
    """

    class Stage(models.TextChoices):
        SELF_CHECK = "self_check", "企业自查"
        INSPECTION = "inspection", "执法检查"
        HANDLING = "handling", "依法处理"
        RECTIFICATION = "rectification", "指导整改"
        CROSSCHECK = "crosscheck", "异地核查"
        OUTCOME = "outcome", "成果应用"
        NON_KEY = "non_key", "非重点排污单位检查"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="windows")
    stage = models.CharField("阶段", max_length=20, choices=Stage.choices)
    city = models.ForeignKey(
        Region,
        verbose_name="省辖市（仅该市适用）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": Region.Level.CITY},
    )
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")

    access_paths = AccessPaths(public=True)

    class Meta:
        verbose_name = verbose_name_plural = "阶段时间"
        ordering = ["starts_on", "stage"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "stage"],
                condition=models.Q(city__isnull=True),
                name="one_province_window_per_stage",
            ),
            models.UniqueConstraint(
                fields=["campaign", "stage", "city"],
                condition=models.Q(city__isnull=False),
                name="one_city_window_per_stage",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="window_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        where = f"（{self.city.name}）" if self.city_id else ""
        return (
            f"{self.get_stage_display()}{where} {self.starts_on:%Y-%m-%d}—{self.ends_on:%Y-%m-%d}"
        )

    def clean(self) -> None:
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "结束日期不能早于开始日期。"})
        if self.city_id and self.city.level != Region.Level.CITY:
            raise ValidationError({"city": "只能为省辖市（含济源示范区）单独设置时间。"})

    def state_on(self, day: dt.date) -> str:
        if day < self.starts_on:
            return "upcoming"
        if day > self.ends_on:
            return "closed"
        return "open"

    def days_left(self, day: dt.date) -> int:
        return (self.ends_on - day).days
