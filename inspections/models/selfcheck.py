"""Stage 1: the enterprise's self-check table (附件2), its items, its submitted versions and its
status events."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from campaign.access import AccessPaths
from campaign.models import Campaign
from campaign.transitions import StatusEvent
from enterprises.models import Enterprise
from inspections.models.base import RECORD_PATHS, region_fields
from inspections.models.catalogue import CatalogueVersion, CheckItem, area_rank
from inspections.models.evidence import Evidence


class SelfCheck(models.Model):
    """An enterprise's 排污单位自查情况表 (附件2) for one campaign."""

    class Status(models.TextChoices):
        DRAFT = "draft", "填写中"
        SUBMITTED = "submitted", "已提交，待备案"
        FILED = "filed", "已备案"
        RETURNED = "returned", "已退回，待修改"

    TRANSITIONS = {
        Status.DRAFT: {Status.SUBMITTED},
        Status.SUBMITTED: {Status.FILED, Status.RETURNED},
        Status.RETURNED: {Status.SUBMITTED},
        Status.FILED: set(),
    }
    STATUS_EVENTS = "events"

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="self_checks")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="self_checks")
    county, city = region_fields()
    version = models.ForeignKey(CatalogueVersion, on_delete=models.PROTECT, related_name="+")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DRAFT)
    filler_name = models.CharField("填表人", max_length=30, blank=True)
    filled_on = models.DateField("自查日期", null=True, blank=True)
    env_manager = models.CharField("环保负责人", max_length=30, blank=True)
    env_manager_phone = models.CharField("环保负责人电话", max_length=30, blank=True)
    declaration = models.BooleanField("承诺所填内容真实、准确、完整", default=False)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    is_late = models.BooleanField("逾期提交", default=False)
    reviewed_at = models.DateTimeField("备案/退回时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_comment = models.TextField("审核意见", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    access_paths = RECORD_PATHS

    class Meta:
        verbose_name = verbose_name_plural = "排污单位自查情况表"
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "enterprise"], name="one_self_check_per_campaign"
            )
        ]
        indexes = [
            models.Index(fields=["campaign", "status"], name="selfcheck_campaign_status_idx"),
            models.Index(
                fields=["campaign", "county", "status"], name="selfcheck_county_status_idx"
            ),
            models.Index(fields=["campaign", "city", "status"], name="selfcheck_city_status_idx"),
            # the API lists every year's tables newest first: the top 50 from an index, not a sort
            models.Index(fields=["-updated_at", "id"], name="selfcheck_updated_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise.name} 自查情况表"


class SelfCheckEvent(StatusEvent):
    """Submission, filing and return of a table, as they happened."""

    self_check = models.ForeignKey(SelfCheck, on_delete=models.CASCADE, related_name="events")
    RECORD = "self_check"

    access_paths = AccessPaths(
        county="self_check__county", city="self_check__city", enterprise="self_check__enterprise"
    )

    class Meta(StatusEvent.Meta):
        verbose_name = verbose_name_plural = "自查表状态记录"

    def __str__(self) -> str:
        return f"{self.self_check} {self.from_status}→{self.to_status}"


class SelfCheckAnswer(models.Model):
    class Result(models.TextChoices):
        COMPLIANT = "compliant", "符合"
        NONCOMPLIANT = "noncompliant", "不符合"
        NOT_APPLICABLE = "na", "不涉及"

    self_check = models.ForeignKey(SelfCheck, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(CheckItem, on_delete=models.PROTECT, related_name="+")
    result = models.CharField("自查结果", max_length=20, choices=Result.choices, blank=True)
    problem = models.TextField("存在问题", blank=True)
    measure = models.TextField("整改措施", blank=True)
    deadline = models.DateField("整改时限", null=True, blank=True)
    responsible = models.CharField("责任人", max_length=30, blank=True)
    evidence = models.ManyToManyField(Evidence, blank=True, related_name="self_check_answers")
    updated_at = models.DateTimeField(auto_now=True)

    access_paths = AccessPaths(
        county="self_check__county", city="self_check__city", enterprise="self_check__enterprise"
    )

    class Meta:
        verbose_name = verbose_name_plural = "自查项目"
        ordering = [area_rank("item__area"), "item__order"]
        constraints = [
            models.UniqueConstraint(fields=["self_check", "item"], name="one_answer_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.item.code} {self.get_result_display()}"

    def missing(self, *, today=None) -> list[str]:
        """What an answer lacks before the table can be submitted (empty when complete)."""
        if not self.result:
            return ["未选择自查结果"]
        if self.result != self.Result.NONCOMPLIANT:
            return []
        lacks = []
        if not self.problem.strip():
            lacks.append("未填写存在问题")
        if not self.measure.strip():
            lacks.append("未填写整改措施")
        if not self.deadline:
            lacks.append("未填写整改时限")
        if not self.responsible.strip():
            lacks.append("未填写责任人")
        return lacks


class SelfCheckSubmission(models.Model):
    """Every submitted version of a table, kept as it was, with the review it got."""

    self_check = models.ForeignKey(SelfCheck, on_delete=models.CASCADE, related_name="submissions")
    number = models.PositiveSmallIntegerField("第几次提交")
    snapshot = models.JSONField("提交内容")
    submitted_at = models.DateTimeField("提交时间")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    is_late = models.BooleanField("逾期", default=False)
    outcome = models.CharField("审核结果", max_length=20, blank=True)  # filed / returned
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    comment = models.TextField("审核意见", blank=True)

    access_paths = AccessPaths(
        county="self_check__county", city="self_check__city", enterprise="self_check__enterprise"
    )

    class Meta:
        verbose_name = verbose_name_plural = "自查表提交记录"
        ordering = ["self_check", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["self_check", "number"], name="submission_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.self_check} 第 {self.number} 次提交"
