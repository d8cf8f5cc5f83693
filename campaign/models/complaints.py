"""Public complaints about enforcement staff, handled by the patrol group (巡查组)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from campaign.access import AccessPaths
from campaign.models.calendar import Campaign
from campaign.transitions import StatusEvent

COMPLAINT_READERS = frozenset({"patrol", "province"})


class Complaint(models.Model):
    """A report from the public; the reporter's contact details are shown to the patrol group only."""

    class Status(models.TextChoices):
        RECEIVED = "received", "已受理"
        INVESTIGATING = "investigating", "调查核实中"
        CONCLUDED = "concluded", "已办结"

    # the only moves a complaint can make; every one is a service call with a transition row
    TRANSITIONS = {
        Status.RECEIVED: {Status.INVESTIGATING},
        Status.INVESTIGATING: {Status.CONCLUDED},
        Status.CONCLUDED: set(),
    }
    STATUS_EVENTS = "transitions"

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, null=True, related_name="complaints"
    )
    tracking_code = models.CharField("查询码", max_length=16, unique=True)
    accused = models.CharField("被举报人员（姓名、单位或特征）", max_length=200)
    place = models.CharField("地点", max_length=200)
    happened_on = models.DateField("发生日期")
    description = models.TextField("举报内容")
    reporter_name = models.CharField("举报人姓名", max_length=30, blank=True)
    reporter_contact = models.CharField("举报人联系方式", max_length=100, blank=True)
    status = models.CharField(
        "状态", max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    conclusion = models.TextField("办理结论", blank=True)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="承办人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    received_at = models.DateTimeField("受理时间", auto_now_add=True)
    concluded_at = models.DateTimeField("办结时间", null=True, blank=True)
    client_ip = models.GenericIPAddressField("来源地址", null=True, blank=True)

    access_paths = AccessPaths(all_for=frozenset({"patrol"}), only_roles=COMPLAINT_READERS)

    class Meta:
        verbose_name = verbose_name_plural = "群众举报"
        ordering = ["-received_at"]
        permissions = [("handle_complaint", "办理群众举报（巡查组）")]

    def __str__(self) -> str:
        return f"举报 {self.tracking_code}"


class ComplaintAttachment(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField("附件", upload_to="complaints/%Y/%m/")
    original_name = models.CharField("文件名", max_length=255)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()

    access_paths = AccessPaths(all_for=frozenset({"patrol"}), only_roles=frozenset({"patrol"}))

    class Meta:
        verbose_name = verbose_name_plural = "举报附件"

    def __str__(self) -> str:
        return self.original_name


class ComplaintTransition(StatusEvent):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="transitions")
    RECORD = "complaint"

    access_paths = AccessPaths(all_for=frozenset({"patrol"}), only_roles=COMPLAINT_READERS)

    class Meta(StatusEvent.Meta):
        verbose_name = verbose_name_plural = "举报办理记录"

    def __str__(self) -> str:
        return f"{self.complaint} {self.from_status}→{self.to_status}"
