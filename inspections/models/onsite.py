"""Stage 2: the planned on-site inspection and its record form (附件3): team, lines, events."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from campaign.access import AccessPaths
from campaign.models import Campaign
from campaign.transitions import StatusEvent
from enterprises.models import Enterprise
from inspections.models.base import region_fields
from inspections.models.catalogue import CatalogueVersion, CheckItem, ProblemKind, area_rank
from inspections.models.evidence import Evidence
from inspections.models.ledger import Problem

# the enterprise signed its record on site and is entitled to a copy: its users see their own
# unit's records once submitted (read-only, with photos and the PDF), never a planned visit
INSPECTION_PATHS = AccessPaths(
    county="county",
    city="city",
    enterprise="enterprise",
    enterprise_users=models.Q(status="submitted"),
)


class Inspection(models.Model):
    """A planned on-site inspection and its record form (附件3 一体化执法现场检查记录表)."""

    class Status(models.TextChoices):
        PLANNED = "planned", "已计划"
        IN_PROGRESS = "in_progress", "检查中"
        POSTPONED = "postponed", "停产延期（待检查）"
        SUBMITTED = "submitted", "已提交"

    TRANSITIONS = {
        Status.PLANNED: {Status.IN_PROGRESS, Status.POSTPONED},
        Status.IN_PROGRESS: {Status.SUBMITTED, Status.POSTPONED},
        Status.POSTPONED: {Status.IN_PROGRESS, Status.POSTPONED},
        Status.SUBMITTED: set(),
    }
    STATUS_EVENTS = "events"

    class Source(models.TextChoices):
        DOUBLE_RANDOM = "double_random", "双随机"
        SPECIAL = "special", "专项检查"
        COMPLAINT = "complaint", "投诉举报"
        PETITION = "petition", "信访转办"
        OTHER = "other", "其他"

    class Suggestion(models.TextChoices):
        NONE = "none", "未发现问题，无需处理"
        GUIDANCE = "guidance", "行政指导"
        CORRECT = "correct", "责令改正"
        CASE = "case", "建议立案"
        TRANSFER = "transfer", "建议移送"

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="inspections")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="inspections")
    county, city = region_fields()
    version = models.ForeignKey(CatalogueVersion, on_delete=models.PROTECT, related_name="+")
    source = models.CharField(
        "检查来源", max_length=20, choices=Source.choices, default=Source.SPECIAL
    )
    planned_on = models.DateField("计划检查日期")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.PLANNED)
    started_at = models.DateTimeField("检查开始时间", null=True, blank=True)
    ended_at = models.DateTimeField("检查结束时间", null=True, blank=True)
    place = models.CharField("检查地点", max_length=200, blank=True)
    recorder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="记录人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    representative_name = models.CharField("企业现场负责人", max_length=30, blank=True)
    representative_position = models.CharField("职务", max_length=50, blank=True)
    representative_statement = models.TextField("企业陈述", blank=True)
    representative_signature = models.TextField("企业现场负责人签名", blank=True)  # PNG data URL
    representative_signed_at = models.DateTimeField("签名时间", null=True, blank=True)
    summary = models.TextField("问题汇总", blank=True)
    suggestion = models.CharField(
        "初步处理意见", max_length=20, choices=Suggestion.choices, blank=True
    )
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_late = models.BooleanField("非当日上传", default=False)
    late_reason = models.TextField("延迟上传原因", blank=True)
    original = models.JSONField("提交时的原始记录", null=True, blank=True)
    revision = models.PositiveIntegerField("修订号", default=0)  # optimistic lock for the header
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    access_paths = INSPECTION_PATHS

    class Meta:
        verbose_name = verbose_name_plural = "现场检查"
        ordering = ["-planned_on", "-pk"]
        indexes = [
            models.Index(fields=["campaign", "status"], name="inspection_campaign_status_idx"),
            # the list's order (either direction) without sorting the table
            models.Index(fields=["planned_on", "id"], name="inspection_planned_idx"),
            models.Index(
                fields=["campaign", "planned_on", "id"], name="inspection_campaign_plan_idx"
            ),
            models.Index(fields=["county", "planned_on", "id"], name="inspection_county_plan_idx"),
            models.Index(fields=["city", "planned_on", "id"], name="inspection_city_plan_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise.name} 现场检查（{self.planned_on:%Y-%m-%d}）"

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.SUBMITTED


class InspectionMember(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", "主办人"
        INSPECTOR = "inspector", "协办人"
        EXPERT = "expert", "专家"

    # who writes and signs the record: law-enforcement staff; experts advise and do not sign
    # (the recorder, 记录人, is one of these, named on the record's header)
    SIGNERS = (Role.LEAD, Role.INSPECTOR)

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="inspection_roles"
    )
    role = models.CharField("职责", max_length=20, choices=Role.choices)
    signature = models.TextField("签名", blank=True)  # PNG data URL
    signed_at = models.DateTimeField("签名时间", null=True, blank=True)

    access_paths = AccessPaths(
        county="inspection__county",
        city="inspection__city",
        enterprise="inspection__enterprise",
        enterprise_users=models.Q(inspection__status="submitted"),
        grant_via=("inspection",),
    )

    class Meta:
        verbose_name = verbose_name_plural = "检查组成员"
        ordering = ["inspection", "role", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "user"], name="one_role_per_inspection")
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.user}"


class InspectionFinding(models.Model):
    """One catalogue item on the record form: 未发现问题 / 发现问题 / 不涉及, with the problem's details."""

    class Result(models.TextChoices):
        OK = "ok", "未发现问题"
        PROBLEM = "problem", "发现问题"
        NOT_APPLICABLE = "na", "不涉及"

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    item = models.ForeignKey(CheckItem, on_delete=models.PROTECT, related_name="+")
    result = models.CharField("检查结果", max_length=10, choices=Result.choices, blank=True)
    note = models.TextField("检查情况", blank=True)
    description = models.TextField("问题描述", blank=True)
    kind = models.CharField("问题类型", max_length=20, choices=ProblemKind.choices, blank=True)
    severity = models.CharField(
        "严重程度", max_length=10, choices=Problem.Severity.choices, blank=True
    )
    legal_basis = models.TextField("法律依据", blank=True)
    sampling_numbers = models.CharField("采样编号", max_length=200, blank=True)
    evidence = models.ManyToManyField(Evidence, blank=True, related_name="findings")
    revision = models.PositiveIntegerField(
        default=0
    )  # two inspectors never overwrite each other silently
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    access_paths = AccessPaths(
        county="inspection__county",
        city="inspection__city",
        enterprise="inspection__enterprise",
        enterprise_users=models.Q(inspection__status="submitted"),
        grant_via=("inspection",),
    )

    class Meta:
        verbose_name = verbose_name_plural = "检查项目结果"
        ordering = [area_rank("item__area"), "item__order"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "item"], name="one_finding_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.item.code} {self.get_result_display()}"

    def missing(self) -> list[str]:
        if not self.result:
            return ["未选择检查结果"]
        if self.result != self.Result.PROBLEM:
            return []
        return [
            text
            for field, text in (
                ("description", "未填写问题描述"),
                ("kind", "未选择问题类型"),
                ("severity", "未选择严重程度"),
            )
            if not getattr(self, field)
        ]


class InspectionEvent(StatusEvent):
    """Every step of an inspection, kept forever: status changes (planned, started, postponed for
    stopped production, submitted) and amendments of a submitted record (status unchanged)."""

    class Kind(models.TextChoices):
        PLANNED = "planned", "制定计划"
        STARTED = "started", "开始检查"
        POSTPONED = "postponed", "停产延期"
        SUBMITTED = "submitted", "提交记录"
        AMENDED = "amended", "更正记录"

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="events")
    RECORD = "inspection"
    kind = models.CharField("事项", max_length=20, choices=Kind.choices)
    changes = models.JSONField("更改内容", default=dict, blank=True)

    # the bureau's own steps (postponements, amendments): not shown to the enterprise
    access_paths = AccessPaths(
        county="inspection__county",
        city="inspection__city",
        enterprise="inspection__enterprise",
        enterprise_users=False,
        grant_via=("inspection",),
    )

    class Meta(StatusEvent.Meta):
        verbose_name = verbose_name_plural = "检查记录事件"

    def __str__(self) -> str:
        return f"{self.inspection} {self.get_kind_display()}"

    def changes_lines(self) -> list[str]:
        """What the step changed, as a user reads it: 检查项目 GL-01：检查结果 未发现问题 → 发现问题."""
        changes = dict(self.changes or {})
        lines = [f"检查项目 {changes.pop('item')}"] if "item" in changes else []
        for name, value in changes.items():
            field = next(
                (
                    m._meta.get_field(name)
                    for m in (InspectionFinding, Inspection)
                    if any(f.name == name for f in m._meta.fields)
                ),
                None,
            )
            label = str(field.verbose_name) if field is not None else name
            choices = dict(field.choices or []) if field is not None else {}
            values = value if isinstance(value, list) and len(value) == 2 else [None, value]
            shown = [str(choices.get(v, v)) if v not in (None, "") else "（空）" for v in values]
            lines.append(f"{label}：{shown[0]} → {shown[1]}")
        return lines
