"""The check-item catalogue: the plan's five areas, versions frozen per campaign, items with
when they apply. The self-check (附件2) and the on-site record (附件3) use the same items."""

from __future__ import annotations

from django.db import models

from campaign.access import AccessPaths
from campaign.models import Campaign


class Area(models.TextChoices):
    """The plan's five areas of an inspection (三、主要内容)."""

    MANAGEMENT = "management", "生态环境保护管理制度及落实情况"
    LEGAL = "legal", "排污单位环保主体合法性"
    FACILITIES = "facilities", "污染防治设施建设及运行"
    MOBILE = "mobile", "道路移动源管理情况"
    OTHER = "other", "排污单位其他守法情况"


# the areas' short names, for table headings (the full name in the heading's title)
AREA_SHORT = {
    Area.MANAGEMENT: "管理制度",
    Area.LEGAL: "主体合法性",
    Area.FACILITIES: "污染防治设施",
    Area.MOBILE: "移动源",
    Area.OTHER: "其他守法",
}


def area_rank(path: str = "area") -> models.Case:
    """The plan's order of the five areas (as the forms and PDFs show them), not the alphabetical
    order of their codes: `order_by(area_rank("item__area"), "item__order")`."""
    return models.Case(
        *(
            models.When(**{path: value}, then=models.Value(rank))
            for rank, value in enumerate(Area.values)
        ),
        default=models.Value(len(Area.values)),
        output_field=models.IntegerField(),
    )


class ProblemKind(models.TextChoices):
    MANAGEMENT = "management", "管理制度问题"
    VIOLATION = "violation", "环境违法"
    HAZARD = "hazard", "安全隐患"


class CatalogueVersion(models.Model):
    """One version of the check-item catalogue; frozen once a campaign uses it."""

    code = models.CharField("版本号", max_length=20, unique=True)
    name = models.CharField("名称", max_length=100)
    frozen_at = models.DateTimeField("冻结时间", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    access_paths = AccessPaths(public=True)

    class Meta:
        verbose_name = verbose_name_plural = "检查项目目录版本"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None


class CampaignCatalogue(models.Model):
    """Which catalogue version a campaign uses (frozen with it)."""

    campaign = models.OneToOneField(Campaign, on_delete=models.PROTECT, related_name="catalogue")
    version = models.ForeignKey(
        CatalogueVersion, on_delete=models.PROTECT, related_name="campaigns"
    )

    access_paths = AccessPaths(public=True)

    class Meta:
        verbose_name = verbose_name_plural = "年度检查目录"

    def __str__(self) -> str:
        return f"{self.campaign}：{self.version}"


class CheckItem(models.Model):
    """One item of the catalogue with what to check, the standard, the law, and when it applies."""

    version = models.ForeignKey(CatalogueVersion, on_delete=models.CASCADE, related_name="items")
    area = models.CharField("检查内容", max_length=20, choices=Area.choices)
    code = models.CharField("编号", max_length=10)
    order = models.PositiveSmallIntegerField("排序", default=0)
    title = models.CharField("检查项目", max_length=200)
    points = models.TextField("检查要点")
    standard = models.TextField("检查标准")
    legal_basis = models.TextField("法律依据", blank=True)
    problem_kind = models.CharField(
        "不符合时的问题类型", max_length=20, choices=ProblemKind.choices
    )
    # applicability, decided from the enterprise's registry data (empty = every enterprise)
    industry_prefixes = models.JSONField("适用行业代码（前缀）", default=list, blank=True)
    key_types = models.JSONField("适用重点排污单位类别", default=list, blank=True)
    key_unit_only = models.BooleanField("仅重点排污单位", default=False)
    hazardous_waste = models.BooleanField("仅产生危险废物的单位", default=False)
    auto_monitoring = models.BooleanField("仅安装自动监控的单位", default=False)
    tailings_pond = models.BooleanField("仅有尾矿库的单位", default=False)
    radiation = models.BooleanField("仅使用放射源或射线装置的单位", default=False)
    permit_classes = models.JSONField("适用排污许可管理类别", default=list, blank=True)

    access_paths = AccessPaths(public=True)

    class Meta:
        verbose_name = verbose_name_plural = "检查项目"
        ordering = ["version", area_rank(), "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="check_item_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"
