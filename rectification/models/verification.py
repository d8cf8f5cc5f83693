"""核查销号: the bureau's check of an item (two officers, a 核查结论), and the proposals to handle an
unfinished 攻坚 facility task as "未建设污染防治设施" at the end of the rectification window."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from campaign.access import AccessPaths
from campaign.transitions import StatusEvent
from rectification.models.plan import RectificationItem

_BUREAU = AccessPaths(
    county="item__plan__county",
    city="item__plan__city",
    enterprise="item__plan__enterprise",
    enterprise_users=False,
)


class ItemCheck(models.Model):
    """One verification of an item, on site or on paper, by two officers; it closes the item
    (销号) or returns it. A closing that skipped a condition keeps the written reason and is
    flagged for the cross-region verification (stage 5)."""

    class Method(models.TextChoices):
        SITE = "site", "现场核查"
        PAPER = "paper", "书面核查"

    class Outcome(models.TextChoices):
        CLOSED = "closed", "予以销号"
        RETURNED = "returned", "退回整改"

    # the conditions of 销号 (facts §4: every measure done, the violation 处罚到位, evidence kept)
    class Condition(models.TextChoices):
        MEASURES = "measures", "整改措施全部完成"
        CASE = "case", "案件已执行或结案"
        EVIDENCE = "evidence", "佐证材料齐全"

    item = models.ForeignKey(RectificationItem, on_delete=models.PROTECT, related_name="checks")
    method = models.CharField("核查方式", max_length=10, choices=Method.choices)
    checked_on = models.DateField("核查日期")
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="核查人员", related_name="+"
    )
    conclusion = models.TextField("核查结论")
    outcome = models.CharField("核查结果", max_length=10, choices=Outcome.choices)
    unmet = models.JSONField("未满足的销号条件", default=list, blank=True)
    skip_reason = models.TextField("未满足条件仍予销号的理由", blank=True)
    flagged = models.BooleanField("提请异地核查关注", default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    access_paths = _BUREAU

    class Meta:
        verbose_name = verbose_name_plural = "整改核查"
        ordering = ["-checked_on", "-pk"]

    def __str__(self) -> str:
        return (
            f"{self.get_method_display()} {self.checked_on:%Y-%m-%d} {self.get_outcome_display()}"
        )

    @property
    def unmet_labels(self) -> list[str]:
        return [str(self.Condition(code).label) for code in self.unmet]


class FacilityProposal(models.Model):
    """At the end of the rectification window an unfinished 攻坚 facility task becomes a proposal to
    handle it as "未建设污染防治设施" (seed plan 四(四)); only the bureau's confirmation records the
    violation in the ledger and opens its case: never a silent automatic penalty."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "待确认"
        CONFIRMED = "confirmed", "已确认立案"
        DISMISSED = "dismissed", "不予处理"

    TRANSITIONS = {
        Status.PROPOSED: {Status.CONFIRMED, Status.DISMISSED},
        Status.CONFIRMED: set(),
        Status.DISMISSED: set(),
    }
    STATUS_EVENTS = "events"

    item = models.OneToOneField(
        RectificationItem, on_delete=models.PROTECT, related_name="facility_proposal"
    )
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    window_ended_on = models.DateField("整改阶段截止日期")
    proposed_at = models.DateTimeField("提出时间", auto_now_add=True)
    problem = models.ForeignKey(
        "inspections.Problem",
        verbose_name="登记的违法问题",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    case = models.ForeignKey(
        "cases.Case",
        verbose_name="立案",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    access_paths = _BUREAU

    class Meta:
        verbose_name = verbose_name_plural = "按未建设污染防治设施处理建议"
        ordering = ["-proposed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.item}（{self.get_status_display()}）"


class ProposalEvent(StatusEvent):
    proposal = models.ForeignKey(FacilityProposal, on_delete=models.CASCADE, related_name="events")
    RECORD = "proposal"

    access_paths = AccessPaths(
        county="proposal__item__plan__county",
        city="proposal__item__plan__city",
        enterprise="proposal__item__plan__enterprise",
        enterprise_users=False,
    )

    class Meta(StatusEvent.Meta):
        verbose_name = verbose_name_plural = "处理建议记录"
