"""一企一案: one rectification plan per enterprise and campaign, one item per primary problem.

The item is what stage 4 tracks (the enterprise's declaration in its self-check stays on the
problem as declared): the requirement (a case's 责令改正 order where there is one), numbered
measures, milestones, funds, the enterprise's responsible person, the supervising officer, the
deadline and the evidence. Its status moves through `campaign.transitions`; the problem follows
through the ledger service, naming the item.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from campaign.access import AccessPaths
from campaign.models import Campaign
from campaign.transitions import StatusEvent
from enterprises.models import Enterprise
from inspections.models import Evidence, Problem
from inspections.models.base import RECORD_PATHS, region_fields

# every record under a plan: visible where its plan is; the enterprise sees its own plan
_UNDER_PLAN = AccessPaths(
    county="item__plan__county", city="item__plan__city", enterprise="item__plan__enterprise"
)


class RectificationPlan(models.Model):
    """一企一案整改方案: every open primary problem of one enterprise in one campaign, so that
    nothing is rectified twice. County and city are copied when the plan is made."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="rectification_plans"
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name="企业",
        on_delete=models.PROTECT,
        related_name="rectification_plans",
    )
    county, city = region_fields()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    note = models.TextField("指导意见", blank=True)

    access_paths = RECORD_PATHS

    class Meta:
        verbose_name = verbose_name_plural = "一企一案整改方案"
        ordering = ["-created_at", "-pk"]
        permissions = [
            ("handle_rectification", "指导整改、核查销号"),
            ("report_rectification", "报送整改进展和佐证材料（企业）"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "enterprise"], name="one_rectification_plan_per_enterprise"
            )
        ]
        indexes = [
            models.Index(fields=["campaign", "county"], name="plan_county_idx"),
            # a city's plans, and the order of 一企一案 and the 整改台账 (city, county, unit)
            models.Index(fields=["campaign", "city", "county"], name="plan_city_county_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise.name} 一企一案（{self.campaign.year}）"


class RectificationItem(models.Model):
    """One problem's rectification in the plan (整改台账 row)."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "未启动"
        IN_PROGRESS = "in_progress", "整改中"
        APPLIED = "applied", "申请销号"
        RETURNED = "returned", "已退回"
        OVERDUE = "overdue", "逾期"
        CLOSED = "closed", "已销号"
        # the problem was withdrawn on review: nothing to rectify
        CANCELLED = "cancelled", "已撤销"

    S = Status
    TRANSITIONS = {
        S.NOT_STARTED: {S.IN_PROGRESS, S.APPLIED, S.OVERDUE, S.CLOSED, S.CANCELLED},
        S.IN_PROGRESS: {S.APPLIED, S.OVERDUE, S.CLOSED, S.CANCELLED},
        S.APPLIED: {S.CLOSED, S.RETURNED, S.CANCELLED},
        S.RETURNED: {S.IN_PROGRESS, S.APPLIED, S.OVERDUE, S.CLOSED, S.CANCELLED},
        # an extension granted gives an overdue item back its work; a late application is taken
        S.OVERDUE: {S.IN_PROGRESS, S.APPLIED, S.CLOSED, S.CANCELLED},
        # stage 5 finds the rectification missing or false: reopened
        S.CLOSED: {S.IN_PROGRESS},
        # the problem restored after a withdrawal
        S.CANCELLED: {S.NOT_STARTED},
    }
    STATUS_EVENTS = "events"
    # still to be rectified: what 完成率 counts as not done, and what can fall overdue
    OPEN = (S.NOT_STARTED, S.IN_PROGRESS, S.APPLIED, S.RETURNED, S.OVERDUE)
    # the enterprise still works on it (an applied item waits for the bureau)
    WORKING = (S.NOT_STARTED, S.IN_PROGRESS, S.RETURNED, S.OVERDUE)
    # what the 完成率 counts (a withdrawn problem is not a problem)
    COUNTED = (*OPEN, S.CLOSED)

    plan = models.ForeignKey(RectificationPlan, on_delete=models.PROTECT, related_name="items")
    problem = models.OneToOneField(
        Problem, verbose_name="问题", on_delete=models.PROTECT, related_name="rectification_item"
    )
    number = models.PositiveSmallIntegerField("序号")
    requirement = models.TextField("整改要求")
    requirement_source = models.CharField("整改要求依据", max_length=200, blank=True)
    funds = models.DecimalField(
        "整改资金（万元）", max_digits=12, decimal_places=2, null=True, blank=True
    )
    responsible = models.CharField("企业责任人", max_length=30, blank=True)
    responsible_phone = models.CharField("责任人电话", max_length=30, blank=True)
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="监管责任人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervised_items",
    )
    deadline = models.DateField("整改时限", null=True, blank=True)
    # the deadline first set, kept when an extension moves `deadline`
    original_deadline = models.DateField("原整改时限", null=True, blank=True)
    facility_task = models.BooleanField(
        "攻坚污染防治设施任务",
        default=False,
        help_text="逾期未完成的，按照未建设污染防治设施处理",
    )
    status = models.CharField(
        "整改状态", max_length=12, choices=Status.choices, default=Status.NOT_STARTED
    )
    progress = models.TextField("整改情况", blank=True)
    applied_at = models.DateTimeField("申请销号时间", null=True, blank=True)
    closed_on = models.DateField("销号日期", null=True, blank=True)
    # the bureau's reason for the last return, shown to the enterprise
    return_reason = models.TextField("退回原因", blank=True)
    # closed although a condition was not met: the written reason, for the cross-region check
    closing_flagged = models.BooleanField("销号条件未全部满足", default=False)
    overdue_since = models.DateField("逾期日期", null=True, blank=True)
    escalated_on = models.DateField("提请市级督办日期", null=True, blank=True)
    created_at = models.DateTimeField("列入时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    access_paths = AccessPaths(
        county="plan__county", city="plan__city", enterprise="plan__enterprise"
    )

    class Meta:
        verbose_name = verbose_name_plural = "整改事项"
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="item_number_in_plan"),
            models.CheckConstraint(
                condition=Q(funds__isnull=True) | Q(funds__gte=0), name="item_funds_not_negative"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "deadline"], name="item_status_deadline_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.plan.enterprise.name} 第{self.number}项"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN


class ItemEvent(StatusEvent):
    """One step of an item (and notes that leave its status, e.g. an extension granted)."""

    item = models.ForeignKey(RectificationItem, on_delete=models.CASCADE, related_name="events")
    RECORD = "item"

    access_paths = AccessPaths(
        county="item__plan__county",
        city="item__plan__city",
        enterprise="item__plan__enterprise",
    )

    class Meta(StatusEvent.Meta):
        verbose_name = verbose_name_plural = "整改事项记录"


class ItemMeasure(models.Model):
    """One numbered 整改措施 of an item; closing needs every one done."""

    item = models.ForeignKey(RectificationItem, on_delete=models.CASCADE, related_name="measures")
    number = models.PositiveSmallIntegerField("序号")
    text = models.TextField("整改措施")
    done_on = models.DateField("完成日期", null=True, blank=True)

    access_paths = _UNDER_PLAN

    class Meta:
        verbose_name = verbose_name_plural = "整改措施"
        ordering = ["item", "number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="measure_number_in_item")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:30]}"


class Milestone(models.Model):
    """A 工程进度节点 with its planned date; the enterprise reports progress against it."""

    item = models.ForeignKey(RectificationItem, on_delete=models.CASCADE, related_name="milestones")
    number = models.PositiveSmallIntegerField("序号")
    title = models.CharField("进度节点", max_length=200)
    due_on = models.DateField("计划完成日期")
    done_on = models.DateField("实际完成日期", null=True, blank=True)

    access_paths = _UNDER_PLAN

    class Meta:
        verbose_name = verbose_name_plural = "工程进度节点"
        ordering = ["item", "number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="milestone_number_in_item")
        ]

    def __str__(self) -> str:
        return self.title


class ProgressReport(models.Model):
    """What the enterprise reports: on one milestone or the item as a whole, with evidence."""

    item = models.ForeignKey(RectificationItem, on_delete=models.CASCADE, related_name="reports")
    milestone = models.ForeignKey(
        Milestone,
        verbose_name="进度节点",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
    )
    on = models.DateField("进展日期")
    text = models.TextField("进展情况")
    milestone_done = models.BooleanField("节点已完成", default=False)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="报送人", on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField("报送时间", auto_now_add=True)

    access_paths = _UNDER_PLAN

    class Meta:
        verbose_name = verbose_name_plural = "整改进展"
        ordering = ["-on", "-pk"]

    def __str__(self) -> str:
        return f"{self.on:%Y-%m-%d} {self.text[:20]}"


class ItemEvidence(models.Model):
    """An evidence file (checked by content, with the photo's own time and place) proving one
    item's rectification: photos, monitoring reports, acceptance documents."""

    class Kind(models.TextChoices):
        PHOTO = "photo", "整改照片"
        MONITORING = "monitoring", "监测报告"
        ACCEPTANCE = "acceptance", "验收文件"
        OTHER = "other", "其他材料"

    item = models.ForeignKey(RectificationItem, on_delete=models.CASCADE, related_name="evidence")
    evidence = models.ForeignKey(
        Evidence, verbose_name="文件", on_delete=models.PROTECT, related_name="rectification_uses"
    )
    kind = models.CharField("材料类别", max_length=12, choices=Kind.choices)
    report = models.ForeignKey(
        ProgressReport,
        verbose_name="所属进展",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="evidence",
    )
    note = models.CharField("说明", max_length=200, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField("上传时间", auto_now_add=True)

    access_paths = _UNDER_PLAN

    class Meta:
        verbose_name = verbose_name_plural = "整改佐证材料"
        ordering = ["added_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.evidence.original_name}"


class Extension(models.Model):
    """The enterprise asks for more time with a reason; the bureau grants or refuses it."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "待审核"
        GRANTED = "granted", "已同意"
        REFUSED = "refused", "不同意"

    TRANSITIONS = {
        Status.REQUESTED: {Status.GRANTED, Status.REFUSED},
        Status.GRANTED: set(),
        Status.REFUSED: set(),
    }
    STATUS_EVENTS = "events"

    item = models.ForeignKey(RectificationItem, on_delete=models.CASCADE, related_name="extensions")
    status = models.CharField(
        "审核状态", max_length=10, choices=Status.choices, default=Status.REQUESTED
    )
    reason = models.TextField("延期理由")
    requested_deadline = models.DateField("申请延至")
    previous_deadline = models.DateField("原整改时限", null=True, blank=True)
    granted_deadline = models.DateField("同意延至", null=True, blank=True)
    decision_note = models.TextField("审核意见", blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField("申请时间", auto_now_add=True)

    access_paths = _UNDER_PLAN

    class Meta:
        verbose_name = verbose_name_plural = "延期申请"
        ordering = ["-requested_at", "-pk"]
        constraints = [
            # one request waits at a time
            models.UniqueConstraint(
                fields=["item"], condition=Q(status="requested"), name="one_open_extension"
            )
        ]

    def __str__(self) -> str:
        return f"延期至 {self.requested_deadline:%Y-%m-%d}（{self.get_status_display()}）"


class ExtensionEvent(StatusEvent):
    extension = models.ForeignKey(Extension, on_delete=models.CASCADE, related_name="events")
    RECORD = "extension"

    access_paths = AccessPaths(
        county="extension__item__plan__county",
        city="extension__item__plan__city",
        enterprise="extension__item__plan__enterprise",
    )

    class Meta(StatusEvent.Meta):
        verbose_name = verbose_name_plural = "延期审核记录"
