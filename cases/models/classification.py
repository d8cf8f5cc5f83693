"""Classification (分类处置): each primary problem of the ledger on one handling path."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from campaign.access import AccessPaths
from inspections.models import Problem
from inspections.models.base import region_fields


class Path(models.TextChoices):
    """The plan's handling paths (四(三)): guidance for management gaps, exemption for minor
    violations, leniency for self-found ones being rectified, the full rigour otherwise, and a
    transfer where detention or a crime is suspected."""

    GUIDANCE = "guidance", "行政指导"
    EXEMPT = "exempt", "免予处罚"
    LENIENT = "lenient", "从轻、减轻处罚"
    STRICT = "strict", "依法严格处理"
    TRANSFER = "transfer", "移送公安或司法机关"


# the paths that are violations: each opens its own case (逐个立案)
CASE_PATHS = (Path.LENIENT, Path.STRICT, Path.TRANSFER)


class Classification(models.Model):
    """The path a bureau put one primary problem on, the path the system suggested, and why."""

    problem = models.OneToOneField(
        Problem, verbose_name="问题", on_delete=models.PROTECT, related_name="classification"
    )
    # copied from the problem so the bureau's lists and the policy read one table
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name="企业", on_delete=models.PROTECT, related_name="+"
    )
    county, city = region_fields()
    path = models.CharField("处置方式", max_length=10, choices=Path.choices)
    suggested_path = models.CharField("系统建议", max_length=10, choices=Path.choices)
    suggestion = models.CharField("建议理由", max_length=200)
    reason = models.TextField("处置理由")
    classified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="分类人", on_delete=models.PROTECT, related_name="+"
    )
    classified_at = models.DateTimeField("分类时间", auto_now_add=True)
    # 免予处罚 (免罚不免责): the enterprise's signed 承诺书, then an on-site follow-up check
    commitment_signed_on = models.DateField("承诺书签署日期", null=True, blank=True)
    commitment_file = models.FileField(
        "承诺书（扫描件）", upload_to="commitments/%Y/%m/", blank=True
    )
    follow_up_due = models.DateField("复查期限", null=True, blank=True)
    followed_up_on = models.DateField("复查日期", null=True, blank=True)
    follow_up_result = models.TextField("复查情况", blank=True)
    follow_up_passed = models.BooleanField("复查合格", null=True)

    # the bureau's handling; the enterprise sees the notices and decisions it is served
    access_paths = AccessPaths(
        county="county", city="city", enterprise="enterprise", enterprise_users=False
    )

    class Meta:
        verbose_name = verbose_name_plural = "问题分类处置"
        ordering = ["-classified_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.problem_id}：{self.get_path_display()}"

    @property
    def differs(self) -> bool:
        return self.path != self.suggested_path
