"""Integrity on cross-region work: published rules and commitment (附件4、5), assignments,
signatures, and the integrity self-check after the work (附件6)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from campaign.access import AccessPaths
from campaign.devices import describe
from campaign.models.calendar import Campaign
from campaign.models.core import Region

# 附件6 廉洁自律情况自查表: one question per duty of the plan (section 五(三))
SELF_CHECK_ITEMS: tuple[tuple[str, str], ...] = (
    ("lodging", "住宿：按规定标准安排住宿，未接受被检查地安排的超标准住宿"),
    ("meals", "用餐：按规定标准用餐，未接受宴请和高档菜肴"),
    ("gifts", "礼品宴请：未收受礼品、礼金、消费卡和有价证券，未参加宴请"),
    ("alcohol_cards", "饮酒打牌：检查期间未饮酒、未打牌"),
    ("recusal", "回避：与被检查单位及其负责人无利害关系，或已按规定申请回避"),
    ("confidentiality", "保密：未泄露检查计划、检查情况和处理意见"),
    ("unrelated", "无关活动：未参加与检查工作无关的活动"),
)


class IntegrityDocument(models.Model):
    """A published, versioned integrity text of a campaign; signatures name the version signed."""

    class Kind(models.TextChoices):
        RULES = "rules", "河南省异地执法检查（督查）廉政管理工作规定（附件4）"
        COMMITMENT = "commitment", "异地执法检（督）查期间廉洁自律承诺书（附件5）"

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="integrity_documents"
    )
    kind = models.CharField("文件", max_length=20, choices=Kind.choices)
    version = models.PositiveSmallIntegerField("版本")
    title = models.CharField("标题", max_length=100)
    body = models.TextField("正文")
    published_at = models.DateTimeField("发布时间", auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    access_paths = AccessPaths(public=True)

    class Meta:
        verbose_name = verbose_name_plural = "廉政文件"
        ordering = ["campaign", "kind", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "kind", "version"], name="integrity_doc_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title}（第 {self.version} 版）"


class Assignment(models.Model):
    """A person's cross-region (异地) enforcement or verification assignment.

    The cross-region stage creates these for its teams; before the work
    starts the person signs the current commitment, after it ends they
    fill the integrity self-check.
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="人员",
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    title = models.CharField("任务", max_length=100)
    destination = models.ForeignKey(
        Region,
        verbose_name="前往地区",
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": Region.Level.CITY},
    )
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    access_paths = AccessPaths(owner="user", all_for=frozenset({"patrol"}))

    class Meta:
        verbose_name = verbose_name_plural = "异地执法任务"
        ordering = ["-starts_on", "user__full_name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="assignment_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.title}"


class IntegrityCommitment(models.Model):
    """The signature of 附件5 for one assignment: who, which text version, when, from where."""

    assignment = models.OneToOneField(
        Assignment, on_delete=models.PROTECT, related_name="commitment"
    )
    document = models.ForeignKey(
        IntegrityDocument, verbose_name="承诺书版本", on_delete=models.PROTECT, related_name="+"
    )
    signed_name = models.CharField("签名", max_length=30)
    signed_at = models.DateTimeField("签署时间")
    ip_address = models.GenericIPAddressField("签署地址", null=True, blank=True)
    user_agent = models.CharField("签署设备", max_length=300, blank=True)
    is_late = models.BooleanField("任务开始后才签署", default=False)

    access_paths = AccessPaths(owner="assignment__user", all_for=frozenset({"patrol"}))

    class Meta:
        verbose_name = verbose_name_plural = "廉洁自律承诺书签署"
        ordering = ["-signed_at"]

    def __str__(self) -> str:
        return f"{self.signed_name} {self.signed_at:%Y-%m-%d %H:%M}"

    @property
    def device(self) -> str:
        return describe(self.user_agent)


class IntegritySelfCheck(models.Model):
    """附件6 廉洁自律情况自查表 for one assignment."""

    assignment = models.OneToOneField(
        Assignment, on_delete=models.PROTECT, related_name="self_check"
    )
    answers = models.JSONField("自查情况")  # {item: {"ok": bool, "note": str}}
    has_issue = models.BooleanField("有需说明的情况", default=False)
    submitted_at = models.DateTimeField("填报时间")

    access_paths = AccessPaths(owner="assignment__user", all_for=frozenset({"patrol"}))

    class Meta:
        verbose_name = verbose_name_plural = "廉洁自律情况自查表"

    def __str__(self) -> str:
        return f"{self.assignment} 自查"

    def rows(self) -> list[tuple[str, bool, str]]:
        return [
            (
                label,
                self.answers.get(key, {}).get("ok", False),
                self.answers.get(key, {}).get("note", ""),
            )
            for key, label in SELF_CHECK_ITEMS
        ]
