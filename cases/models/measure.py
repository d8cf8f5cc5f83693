"""Special measures and transfers of a case (facts §3): each with its own clocks on the case."""

from __future__ import annotations

from django.db import models

from campaign.access import AccessPaths
from campaign.transitions import StatusEvent
from cases.models.case import Case

_BUREAU_ONLY = AccessPaths(
    county="case__county", city="case__city", enterprise="case__enterprise", enterprise_users=False
)


class Measure(models.Model):
    """按日连续处罚, 查封扣押, 限制生产, 停产整治, 停业关闭, 移送行政拘留, 移送涉嫌犯罪 on one case."""

    class Kind(models.TextChoices):
        DAILY = "daily", "按日连续处罚"
        SEAL = "seal", "查封、扣押"
        RESTRICT = "restrict", "限制生产"
        SUSPEND = "suspend", "停产整治"
        CLOSE = "close", "停业、关闭（报政府批准）"
        DETENTION = "detention", "移送公安机关行政拘留"
        CRIME = "crime", "移送涉嫌环境犯罪"

    class Status(models.TextChoices):
        ACTIVE = "active", "实施中"
        ENDED = "ended", "已解除（完成）"
        CANCELLED = "cancelled", "已撤销"

    TRANSITIONS = {
        Status.ACTIVE: {Status.ENDED, Status.CANCELLED},
        Status.ENDED: set(),
        Status.CANCELLED: set(),
    }
    STATUS_EVENTS = "events"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="measures")
    kind = models.CharField("措施", max_length=10, choices=Kind.choices)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.ACTIVE)
    started_on = models.DateField("起始日期")
    detail = models.TextField("内容（查封扣押物品、限产范围、移送对象等）", blank=True)
    original_fine = models.PositiveBigIntegerField("原处罚款（元）", null=True, blank=True)
    total_days = models.PositiveIntegerField("计罚日数", default=0)
    total_amount = models.PositiveBigIntegerField("按日连续处罚金额（元）", default=0)
    approved_on = models.DateField("批准日期", null=True, blank=True)
    ended_on = models.DateField("解除（完成）日期", null=True, blank=True)

    access_paths = _BUREAU_ONLY

    class Meta:
        verbose_name = verbose_name_plural = "案件措施"
        ordering = ["started_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}（{self.case_id}）"


class MeasureEvent(StatusEvent):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="events")
    RECORD = "measure"

    access_paths = AccessPaths(
        county="measure__case__county",
        city="measure__case__city",
        enterprise="measure__case__enterprise",
        enterprise_users=False,
    )

    class Meta(StatusEvent.Meta):
        verbose_name = verbose_name_plural = "措施办理记录"


class DailyCycle(models.Model):
    """One cycle of 按日连续处罚 (令28号): an order served, a covert re-check within 30 days; if the
    violation goes on, the days from the day after service to the re-check are fined."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="cycles")
    order_served_on = models.DateField("责令改正决定书送达日期")
    rechecked_on = models.DateField("复查日期", null=True, blank=True)
    refused = models.BooleanField("拒不改正", null=True)
    days = models.PositiveIntegerField("计罚日数", default=0)
    amount = models.PositiveBigIntegerField("罚款金额（元）", default=0)

    access_paths = AccessPaths(
        county="measure__case__county",
        city="measure__case__city",
        enterprise="measure__case__enterprise",
        enterprise_users=False,
    )

    class Meta:
        verbose_name = verbose_name_plural = "按日连续处罚周期"
        ordering = ["order_served_on", "pk"]

    def __str__(self) -> str:
        return f"{self.measure_id}：{self.order_served_on:%Y-%m-%d}"
