"""The combined prior notice (事先告知): one document telling an enterprise all of its problems at
once (一次全部告知，一次处理到位), and what the enterprise answers online."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from campaign.access import AccessPaths
from campaign.models import Campaign
from campaign.transitions import StatusEvent
from cases.models.case import Case
from enterprises.models import Enterprise
from inspections.models import Problem
from inspections.models.base import region_fields


class Notice(models.Model):
    """行政处罚事先（听证）告知书 for one enterprise: every case ready to be notified and every
    management problem with its guidance, in one document served once. Problems found after it
    was served go into a supplementary notice (补充告知) that names this one."""

    class Status(models.TextChoices):
        DRAFT = "draft", "拟告知"
        SERVED = "served", "已送达"
        WITHDRAWN = "withdrawn", "已撤回"

    class Method(models.TextChoices):
        DIRECT = "direct", "直接送达"
        LEFT = "left", "留置送达"
        MAIL = "mail", "邮寄送达"
        ELECTRONIC = "electronic", "电子送达（经当事人同意）"
        ENTRUSTED = "entrusted", "委托送达"
        PUBLIC = "public", "公告送达"

    TRANSITIONS = {
        Status.DRAFT: {Status.SERVED, Status.WITHDRAWN},
        Status.SERVED: set(),
        Status.WITHDRAWN: set(),
    }
    STATUS_EVENTS = "events"

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="notices")
    enterprise = models.ForeignKey(
        Enterprise, verbose_name="当事人", on_delete=models.PROTECT, related_name="notices"
    )
    county, city = region_fields()
    supplements = models.ForeignKey(
        "self",
        verbose_name="补充告知的原告知书",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supplementary",
    )
    number = models.CharField("文号", max_length=60, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    hearing_right = models.BooleanField("告知听证权利", default=False)
    served_on = models.DateField("送达日期", null=True, blank=True)
    method = models.CharField("送达方式", max_length=12, choices=Method.choices, blank=True)
    recipient = models.CharField("签收人", max_length=50, blank=True)
    refusal = models.CharField("拒收事由及见证人", max_length=200, blank=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="拟稿人", on_delete=models.PROTECT, related_name="+"
    )
    drafted_at = models.DateTimeField("拟稿时间", auto_now_add=True)

    # the enterprise sees a notice once it is served on it
    access_paths = AccessPaths(
        county="county",
        city="city",
        enterprise="enterprise",
        enterprise_users=Q(status="served"),
    )

    class Meta:
        verbose_name = verbose_name_plural = "事先告知书"
        ordering = ["-drafted_at", "-pk"]
        permissions = [("reply_notice", "陈述申辩或申请听证")]
        constraints = [
            # one notice in preparation per enterprise: never two partial ones at once
            models.UniqueConstraint(
                fields=["enterprise", "campaign"],
                condition=Q(status="draft"),
                name="notice_one_draft_per_enterprise",
            )
        ]

    def __str__(self) -> str:
        kind = "补充告知" if self.supplements_id else "事先告知"
        return f"{self.enterprise.name} {kind}（{self.pk}）"

    @property
    def is_supplementary(self) -> bool:
        return self.supplements_id is not None


class NoticeEvent(StatusEvent):
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="events")
    RECORD = "notice"

    access_paths = AccessPaths(
        county="notice__county",
        city="notice__city",
        enterprise="notice__enterprise",
        enterprise_users=False,
    )

    class Meta(StatusEvent.Meta):
        verbose_name = verbose_name_plural = "告知书办理记录"


class NoticeItem(models.Model):
    """One part of a notice: a case (facts, basis, proposed penalty) or a management problem with
    its guidance."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="items")
    case = models.ForeignKey(
        Case,
        verbose_name="案件",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notice_items",
    )
    problem = models.ForeignKey(
        Problem,
        verbose_name="管理问题",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notice_items",
    )
    order = models.PositiveSmallIntegerField("序号")
    facts = models.TextField("违法事实或问题")
    basis = models.TextField("依据")
    proposal = models.TextField("拟作出的处罚或指导意见")

    access_paths = AccessPaths(
        county="notice__county",
        city="notice__city",
        enterprise="notice__enterprise",
        enterprise_users=Q(notice__status="served"),
    )

    class Meta:
        verbose_name = verbose_name_plural = "告知事项"
        ordering = ["notice", "order"]
        constraints = [
            models.CheckConstraint(
                condition=Q(case__isnull=False) | Q(problem__isnull=False),
                name="notice_item_case_or_problem",
            )
        ]

    def __str__(self) -> str:
        return f"{self.notice_id}-{self.order}"


class Reply(models.Model):
    """What the enterprise answers a served notice online: 陈述申辩, or a request for a hearing.
    A reply after its window is recorded as late; the bureau decides what to do with it."""

    class Kind(models.TextChoices):
        STATEMENT = "statement", "陈述申辩"
        HEARING = "hearing", "听证申请"

    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="replies")
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    text = models.TextField("内容")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="提交人", on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField("提交时间", auto_now_add=True)
    is_late = models.BooleanField("逾期提交", default=False)
    due_date = models.DateField("期限届满日", null=True, blank=True)

    # the enterprise sees its own replies; the bureau its region's
    access_paths = AccessPaths(
        county="notice__county", city="notice__city", enterprise="notice__enterprise"
    )

    class Meta:
        verbose_name = verbose_name_plural = "陈述申辩与听证申请"
        ordering = ["submitted_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}（{self.notice_id}）"
