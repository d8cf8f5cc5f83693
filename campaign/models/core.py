"""Regions, people, industries, the campaign calendar and object grants."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from campaign.access import AccessPaths


class Region(models.Model):
    """A place in the province ⊃ city ⊃ county hierarchy, with its GB/T 2260 code.

    济源示范区 is the 18th city-level unit of the campaign and is also its own
    county-level area, so its code 419001 appears once per level: codes are
    unique per level, not overall.
    """

    class Level(models.TextChoices):
        PROVINCE = "province", "省"
        CITY = "city", "市"
        COUNTY = "county", "县（市、区）"

    class Kind(models.TextChoices):
        DIVISION = "division", "行政区划"
        FUNCTIONAL_ZONE = "functional_zone", "功能区（监管区域）"

    code = models.CharField("区划代码", max_length=12)
    name = models.CharField("名称", max_length=64)
    level = models.CharField("层级", max_length=10, choices=Level.choices)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices, default=Kind.DIVISION)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    access_paths = AccessPaths(public=True)

    class Meta:
        verbose_name = verbose_name_plural = "行政区域"
        ordering = ["code", "level"]
        constraints = [
            models.UniqueConstraint(fields=["level", "code"], name="region_code_unique_per_level"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_functional_zone(self) -> bool:
        return self.kind == self.Kind.FUNCTIONAL_ZONE

    @property
    def city(self) -> Region | None:
        """The city-level unit this region belongs to (itself for a city)."""
        if self.level == self.Level.CITY:
            return self
        if self.level == self.Level.COUNTY:
            return self.parent
        return None


class Industry(models.Model):
    """One entry of 国民经济行业分类 (GB/T 4754-2017): section, division, group or class."""

    class Level(models.TextChoices):
        SECTION = "section", "门类"
        DIVISION = "division", "大类"
        GROUP = "group", "中类"
        CLASS = "class", "小类"

    code = models.CharField("行业代码", max_length=4, unique=True)
    name = models.CharField("行业名称", max_length=100)
    level = models.CharField("层级", max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    access_paths = AccessPaths(public=True)

    class Meta:
        verbose_name = verbose_name_plural = "国民经济行业分类"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class User(AbstractUser):
    """A person using the platform: one role and, where the role has one, one region."""

    class Role(models.TextChoices):
        ADMIN = "admin", "系统管理员"
        PROVINCE = "province", "省厅"
        CITY = "city", "市局"
        COUNTY = "county", "县（区）执法人员"
        EXPERT = "expert", "专家"
        ENTERPRISE = "enterprise", "企业用户"
        PATROL = "patrol", "巡查组"

    # the region level each role must have (None: the role has no region)
    REGION_LEVEL_BY_ROLE = {
        Role.CITY: Region.Level.CITY,
        Role.COUNTY: Region.Level.COUNTY,
    }

    full_name = models.CharField("姓名", max_length=50, blank=True)
    unit = models.CharField("单位及职务", max_length=100, blank=True)
    role = models.CharField("角色", max_length=12, choices=Role.choices)
    region = models.ForeignKey(
        Region,
        verbose_name="所属区域",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    badge_no = models.CharField("执法证号", max_length=30, blank=True)
    # the bureau's 负责人: approves a case's 立案, suspension, transfer, decision and 结案 (a
    # capability of a person, not a role of its own)
    approves_cases = models.BooleanField(
        "负责人（审批案件）",
        default=False,
        help_text="可审批立案、中止、移送、处罚决定和结案。",
    )
    phone = models.CharField("联系电话", max_length=20, blank=True)
    industries = models.ManyToManyField(
        Industry, verbose_name="专业行业", blank=True, related_name="experts"
    )

    # people pages: province-wide roles see everyone, everybody sees themselves
    access_paths = AccessPaths(owner="pk")

    class Meta:
        verbose_name = verbose_name_plural = "用户"
        ordering = ["username"]

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or self.username

    def get_short_name(self) -> str:  # the administration pages greet people by this name
        return self.get_full_name()

    @property
    def display_name(self) -> str:
        return f"{self.unit} {self.full_name}".strip() if self.unit else str(self)

    def clean(self) -> None:
        super().clean()
        wanted = self.REGION_LEVEL_BY_ROLE.get(self.role)
        if wanted and (self.region is None or self.region.level != wanted):
            level_label = Region.Level(wanted).label
            raise ValidationError(
                {"region": f"{self.get_role_display()}必须指定一个{level_label}级区域。"}
            )
        if not wanted and self.region_id and self.role in (self.Role.PROVINCE, self.Role.ADMIN):
            raise ValidationError({"region": "省厅和管理员账号不设所属区域（全省范围）。"})


class AccessGrant(models.Model):
    """The record of an explicit, time-boxed object grant (the guardian permission is the key).

    Created and revoked only by `campaign.services.grant_object_access` and
    `revoke_grant`; the expiry job removes the guardian permission when
    `ends_at` has passed.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grants"
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_pk = models.CharField(max_length=64)
    target = GenericForeignKey("content_type", "object_pk")
    permission = models.CharField("权限", max_length=100)
    reason = models.CharField("授权事由", max_length=200)
    starts_at = models.DateTimeField("生效时间", default=timezone.now)
    ends_at = models.DateTimeField("失效时间")
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="授权人"
    )
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)

    access_paths = AccessPaths(owner="user")

    class Meta:
        verbose_name = verbose_name_plural = "对象授权"
        ordering = ["-starts_at"]
        indexes = [
            models.Index(
                fields=["ends_at"],
                condition=models.Q(revoked_at__isnull=True),
                name="grant_active_ends_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.permission} · {self.object_pk}"
