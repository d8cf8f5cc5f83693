"""Organisation of a campaign year: the task-force roster, the people pools, city liaisons (附件7)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from campaign.access import AccessPaths
from campaign.models.calendar import Campaign
from campaign.models.core import Region
from campaign.validators import validate_mobile, validate_phone


class RosterGroup(models.Model):
    """A body of the campaign's organisation: the leadership group, a working group, or the office."""

    class Kind(models.TextChoices):
        LEADERSHIP = "leadership", "领导小组"
        WORKING_GROUP = "working_group", "工作组"
        OFFICE = "office", "领导小组办公室"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="roster_groups")
    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    name = models.CharField("名称", max_length=50)
    duties = models.TextField("主要职责", blank=True)
    order = models.PositiveSmallIntegerField("排序", default=0)

    access_paths = AccessPaths()  # province-wide roles only

    class Meta:
        verbose_name = verbose_name_plural = "组织机构"
        ordering = ["campaign", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "name"], name="roster_group_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class RosterMember(models.Model):
    """A person in a roster group with a position (组长, 副组长, 负责人, 主任, 组员)."""

    class Position(models.TextChoices):
        LEADER = "leader", "组长"
        DEPUTY = "deputy", "副组长"
        HEAD = "head", "负责人"
        DIRECTOR = "director", "主任"
        MEMBER = "member", "组员"

    group = models.ForeignKey(RosterGroup, on_delete=models.CASCADE, related_name="members")
    name = models.CharField("姓名", max_length=30)
    position = models.CharField("职务", max_length=10, choices=Position.choices)
    unit = models.CharField("单位及职务", max_length=100, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="平台账号",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="roster_positions",
    )
    order = models.PositiveSmallIntegerField("排序", default=0)

    access_paths = AccessPaths()

    class Meta:
        verbose_name = verbose_name_plural = "组织机构成员"
        ordering = ["group", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.group.name} {self.get_position_display()} {self.name}"


class PoolMembership(models.Model):
    """A person in one of the campaign's pools of people."""

    class Pool(models.TextChoices):
        INSPECTORS = "inspectors", "千名精兵执法人员库"
        SKILLED = "skilled", "执法能手库（异地核查）"
        EXPERTS = "experts", "专家库"

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="pool_memberships"
    )
    pool = models.CharField("人员库", max_length=20, choices=Pool.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="人员",
        on_delete=models.PROTECT,
        related_name="pool_memberships",
    )
    lead_qualified = models.BooleanField("可任主办人", default=False)
    note = models.CharField("备注", max_length=200, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="添加人", on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField("添加时间", auto_now_add=True)

    access_paths = AccessPaths(owner="user")

    class Meta:
        verbose_name = verbose_name_plural = "人员库成员"
        ordering = ["pool", "user__region__code", "user__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "pool", "user"], name="one_membership_per_pool"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_pool_display()}：{self.user}"


class PoolImport(models.Model):
    """One Excel upload into a pool, kept with its file, counts and errors."""

    class Status(models.TextChoices):
        SUCCEEDED = "succeeded", "导入成功"
        FAILED = "failed", "校验未通过，未写入任何数据"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    pool = models.CharField("人员库", max_length=20, choices=PoolMembership.Pool.choices)
    file = models.FileField("上传文件", upload_to="imports/pools/%Y/%m/")
    original_name = models.CharField("文件名", max_length=255)
    status = models.CharField("结果", max_length=20, choices=Status.choices)
    rows_total = models.PositiveIntegerField("数据行数", default=0)
    created_count = models.PositiveIntegerField("新增", default=0)
    unchanged_count = models.PositiveIntegerField("已在库中", default=0)
    errors = models.JSONField("错误明细", default=list, blank=True)
    error_count = models.PositiveIntegerField("错误数", default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("导入时间", auto_now_add=True)

    access_paths = AccessPaths(owner="created_by")

    class Meta:
        verbose_name = verbose_name_plural = "人员库导入记录"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.original_name


class LiaisonTable(models.Model):
    """A city's 一体化执法检查联络人员信息统计表 (附件7) for one campaign."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="liaison_tables")
    city = models.ForeignKey(
        Region,
        verbose_name="省辖市",
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": Region.Level.CITY},
    )
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="报送人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_late = models.BooleanField("逾期报送", default=False)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    access_paths = AccessPaths(city="city")

    class Meta:
        verbose_name = verbose_name_plural = "联络人员信息统计表"
        ordering = ["campaign", "city__code"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "city"], name="one_liaison_table_per_city")
        ]

    def __str__(self) -> str:
        return f"{self.city.name}联络人员信息"


class LiaisonPerson(models.Model):
    """One liaison person of a city (附件7 row)."""

    class Duty(models.TextChoices):
        LEADER = "leader", "分管领导"
        CONTACT = "contact", "联络员"
        DEPUTY_CONTACT = "deputy_contact", "备用联络员"

    table = models.ForeignKey(LiaisonTable, on_delete=models.CASCADE, related_name="people")
    name = models.CharField("姓名", max_length=30)
    unit_position = models.CharField("单位及职务", max_length=100)
    duty = models.CharField("联络职责", max_length=20, choices=Duty.choices)
    office_phone = models.CharField("办公电话", max_length=30, validators=[validate_phone])
    mobile = models.CharField("手机", max_length=11, validators=[validate_mobile])
    email = models.EmailField("电子邮箱")
    order = models.PositiveSmallIntegerField("排序", default=0)

    access_paths = AccessPaths(city="table__city")

    class Meta:
        verbose_name = verbose_name_plural = "联络人员"
        ordering = ["table", "order", "pk"]

    def __str__(self) -> str:
        return self.name
