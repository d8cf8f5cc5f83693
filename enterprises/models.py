"""The enterprise registry: the pollutant-discharging units the campaign inspects."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from campaign.access import AccessPaths
from campaign.models import Industry, Region
from campaign.validators import normalize_credit_code, validate_credit_code, validate_phone


class EnterpriseQuerySet(models.QuerySet):
    def key_units(self) -> EnterpriseQuerySet:
        return self.filter(is_key_unit=True)


class Enterprise(models.Model):
    """A pollutant-discharging unit (排污单位), identified by its 统一社会信用代码."""

    KEY_TYPES = (
        ("key_water", "水"),
        ("key_air", "气"),
        ("key_soil", "土壤"),
        ("key_noise", "噪声"),
        ("key_risk", "环境风险"),
    )

    credit_code = models.CharField(
        "统一社会信用代码", max_length=18, unique=True, validators=[validate_credit_code]
    )
    name = models.CharField("单位名称", max_length=200)
    county = models.ForeignKey(
        Region,
        verbose_name="所属区县",
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": Region.Level.COUNTY},
    )
    # the county's city, stored so that a city's scope is one indexed filter
    city = models.ForeignKey(
        Region,
        verbose_name="所属省辖市",
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": Region.Level.CITY},
        editable=False,
    )
    address = models.CharField("详细地址", max_length=300)
    longitude = models.DecimalField(
        "经度",
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    latitude = models.DecimalField(
        "纬度",
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    industry = models.ForeignKey(
        Industry, verbose_name="行业", on_delete=models.PROTECT, related_name="enterprises"
    )
    is_key_unit = models.BooleanField("重点排污单位", default=False)
    key_water = models.BooleanField("水环境重点排污单位", default=False)
    key_air = models.BooleanField("大气环境重点排污单位", default=False)
    key_soil = models.BooleanField("土壤环境污染重点监管单位", default=False)
    key_noise = models.BooleanField("声环境重点排污单位", default=False)
    key_risk = models.BooleanField("环境风险重点管控单位", default=False)
    in_yellow_river_basin = models.BooleanField("黄河流域", default=False)
    in_census = models.BooleanField("列入污染源普查清单", default=False)

    class PermitClass(models.TextChoices):
        KEY = "key", "重点管理"
        SIMPLIFIED = "simplified", "简化管理"
        REGISTRATION = "registration", "登记管理"

    permit_class = models.CharField(
        "排污许可管理类别", max_length=20, choices=PermitClass.choices, blank=True
    )
    has_hazardous_waste = models.BooleanField("产生或贮存危险废物", default=False)
    has_tailings_pond = models.BooleanField("有尾矿库", default=False)
    has_radiation = models.BooleanField("使用放射源或射线装置", default=False)
    permit_no = models.CharField("排污许可证编号", max_length=40, blank=True)
    permit_valid_until = models.DateField("排污许可证有效期至", null=True, blank=True)
    auto_monitoring_installed = models.BooleanField("已安装自动监控", default=False)
    auto_monitoring_connected = models.BooleanField("自动监控已联网", default=False)
    legal_representative = models.CharField("法定代表人", max_length=50)
    contact_person = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=30, validators=[validate_phone])
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name="企业用户",
        blank=True,
        related_name="enterprises",
        limit_choices_to={"role": "enterprise"},
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = EnterpriseQuerySet.as_manager()
    access_paths = AccessPaths(county="county", city="city", enterprise="pk")

    class Meta:
        verbose_name = verbose_name_plural = "排污单位"
        ordering = ["city_id", "county_id", "name"]
        permissions = [("import_enterprise", "可导入排污单位名单")]
        indexes = [
            models.Index(fields=["city", "county", "name"], name="ent_scope_name_idx"),
            models.Index(fields=["county", "name"], name="ent_county_name_idx"),
            models.Index(fields=["industry"], name="ent_industry_idx"),
            models.Index(fields=["is_key_unit", "city"], name="ent_key_city_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(auto_monitoring_connected=False)
                | models.Q(auto_monitoring_installed=True),
                name="ent_connected_requires_installed",
            ),
            models.CheckConstraint(
                condition=models.Q(is_key_unit=True)
                | models.Q(
                    key_water=False, key_air=False, key_soil=False, key_noise=False, key_risk=False
                ),
                name="ent_key_types_require_key_unit",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def key_type_labels(self) -> list[str]:
        return [label for field, label in self.KEY_TYPES if getattr(self, field)]

    def clean(self) -> None:
        super().clean()
        # one spelling of the code everywhere, whichever path saves it (import, form, admin)
        self.credit_code = normalize_credit_code(self.credit_code)
        if self.county_id:
            self.city_id = self.county.parent_id
        errors: dict[str, str] = {}
        if self.county_id and self.county.level != Region.Level.COUNTY:
            errors["county"] = "所属区县必须是县级区域。"
        if self.auto_monitoring_connected and not self.auto_monitoring_installed:
            errors["auto_monitoring_connected"] = "未安装自动监控的单位不能标记为已联网。"
        if not self.is_key_unit and self.key_type_labels:
            errors["is_key_unit"] = "填写了重点排污单位类别，但未标记为重点排污单位。"
        if errors:
            raise ValidationError(errors)


class EnterpriseImport(models.Model):
    """One upload of an enterprise list, kept with its file, counts and errors."""

    class ListKind(models.TextChoices):
        KEY_UNITS = "key_units", "重点排污单位名录"
        CENSUS = "census", "污染源普查清单"

    class Status(models.TextChoices):
        SUCCEEDED = "succeeded", "导入成功"
        FAILED = "failed", "校验未通过，未写入任何数据"

    list_kind = models.CharField("名单类型", max_length=20, choices=ListKind.choices)
    file = models.FileField("上传文件", upload_to="imports/enterprises/%Y/%m/")
    original_name = models.CharField("文件名", max_length=255)
    status = models.CharField("结果", max_length=20, choices=Status.choices)
    rows_total = models.PositiveIntegerField("数据行数", default=0)
    created_count = models.PositiveIntegerField("新增", default=0)
    updated_count = models.PositiveIntegerField("更新", default=0)
    unchanged_count = models.PositiveIntegerField("未变化", default=0)
    errors = models.JSONField("错误明细", default=list, blank=True)
    error_count = models.PositiveIntegerField("错误数", default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="导入人",
        on_delete=models.PROTECT,
        related_name="enterprise_imports",
    )
    created_at = models.DateTimeField("导入时间", auto_now_add=True)

    access_paths = AccessPaths(owner="created_by")

    class Meta:
        verbose_name = verbose_name_plural = "排污单位导入记录"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.original_name}（{self.get_status_display()}）"
