"""The discretion record (罚款裁量): how a case's proposed fine was computed, line by line."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from campaign.access import AccessPaths
from cases.models.case import Case


class DiscretionRecord(models.Model):
    """One computation of a case's fine by the discretion calculator (`cases.discretion`): the
    formula and the day it was chosen for, the factor levels, the base, the adjustment, the
    computed amount and the amount the handler chose, with the explanation lines as a decision
    prints them. A new computation becomes the case's current record and keeps the earlier ones.

    The handler may choose another amount than the computed one only with a written reason; such a
    record is flagged (宽松软 check for the reviewer and for the stage-5 cross-region verification).
    """

    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.CASCADE, related_name="discretion_records"
    )
    current = models.BooleanField("当前有效", default=True)
    formula = models.CharField("计算方法", max_length=40)
    applied_on = models.DateField("计算方法适用日期")
    # factor key → level, as the handler gave them (factors not given took their lowest level:
    # the lines say which)
    inputs = models.JSONField("裁量等级", default=dict, blank=True)
    base_amount = models.PositiveBigIntegerField("计算基数（元）", null=True, blank=True)
    range_low = models.DecimalField("法定罚款下限（元）", max_digits=16, decimal_places=2)
    range_high = models.DecimalField("法定罚款上限（元）", max_digits=16, decimal_places=2)
    adjustments = models.JSONField("从轻、减轻、从重或免予处罚", default=list, blank=True)
    computed_amount = models.PositiveBigIntegerField("计算罚款（元）")
    chosen_amount = models.PositiveBigIntegerField("拟处罚款（元）")
    override_reason = models.TextField("另定金额的理由", blank=True)
    flagged = models.BooleanField("金额与计算结果不一致（提示审查）", default=False)
    lines = models.JSONField("裁量说明", default=list, blank=True)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="计算人", on_delete=models.PROTECT, related_name="+"
    )
    computed_at = models.DateTimeField("计算时间", default=timezone.now)

    access_paths = AccessPaths(
        county="case__county",
        city="case__city",
        enterprise="case__enterprise",
        enterprise_users=False,
    )

    class Meta:
        verbose_name = verbose_name_plural = "罚款裁量记录"
        ordering = ["-computed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(current=True), name="discretion_one_current"
            ),
            # another amount than the computed one only with a written reason, and flagged
            models.CheckConstraint(
                condition=Q(chosen_amount=F("computed_amount"), flagged=False)
                | (
                    ~Q(chosen_amount=F("computed_amount"))
                    & Q(flagged=True)
                    & ~Q(override_reason="")
                ),
                name="discretion_override_reasoned",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}：{self.chosen_amount}元"

    @property
    def differs(self) -> bool:
        return self.chosen_amount != self.computed_amount
