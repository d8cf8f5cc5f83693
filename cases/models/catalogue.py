"""The violation types (违法行为类型): legal basis and statutory penalty range, as data."""

from __future__ import annotations

from django.db import models

from campaign.access import AccessPaths


class ViolationType(models.Model):
    """One kind of violation with the article that punishes it and the range that article allows.

    Loaded from `fixtures/violation-types.json` (groups after facts §4.4); administrators correct
    it in the administration pages, with history. The range is one of: fixed amounts (min/max
    yuan), a percentage of the project's total investment, or a multiple of a base (e.g. disposal
    cost), with a floor for the base. Check items name the type a problem suggests.
    """

    class Group(models.TextChoices):
        EIA = "EIA", "环境影响评价与验收"
        PERMIT = "PERMIT", "排污许可"
        EXCEED = "EXCEED", "超标超总量排放"
        EVADE = "EVADE", "逃避监管排放"
        HW = "HW", "危险废物"
        SW = "SW", "一般固体废物"
        AUTOMON = "AUTOMON", "自动监控"
        AIR = "AIR", "大气污染防治其他"
        EMERG = "EMERG", "环境应急"
        DISCLOSE = "DISCLOSE", "信息公开"
        OBSTRUCT = "OBSTRUCT", "拒绝阻挠检查、弄虚作假"

    class Basis(models.TextChoices):
        AMOUNT = "amount", "罚款金额幅度"
        INVESTMENT = "investment", "建设项目总投资额的百分比"
        MULTIPLE = "multiple", "基数的倍数"
        NONE = "none", "不处罚款"

    code = models.CharField("编码", max_length=20, unique=True)
    group = models.CharField("类别", max_length=10, choices=Group.choices)
    name = models.CharField("违法行为", max_length=100)
    violated = models.CharField("违反条款", max_length=300)
    punished = models.CharField("处罚依据", max_length=300)
    penalty_text = models.TextField("法定处罚")
    basis = models.CharField("罚款方式", max_length=10, choices=Basis.choices)
    fine_min = models.PositiveBigIntegerField("罚款下限（元）", null=True, blank=True)
    fine_max = models.PositiveBigIntegerField("罚款上限（元）", null=True, blank=True)
    # percent of investment, or multiple of the base, as a range
    rate_min = models.DecimalField(
        "比例或倍数下限", max_digits=6, decimal_places=2, null=True, blank=True
    )
    rate_max = models.DecimalField(
        "比例或倍数上限", max_digits=6, decimal_places=2, null=True, blank=True
    )
    base_label = models.CharField("计算基数", max_length=50, blank=True)
    base_floor = models.PositiveBigIntegerField("基数不足时按（元）", null=True, blank=True)
    # measures the law attaches to this violation (按日连续处罚, 查封扣押, 限产停产, 移送拘留 …)
    measures = models.JSONField("可适用的措施", default=list, blank=True)
    item_codes = models.JSONField("对应检查项目", default=list, blank=True)
    note = models.TextField("说明", blank=True)
    effective_from = models.DateField("施行日期", null=True, blank=True)
    effective_to = models.DateField("废止日期", null=True, blank=True)

    access_paths = AccessPaths(public=True)

    class Meta:
        verbose_name = verbose_name_plural = "违法行为类型"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def range_text(self) -> str:
        """The statutory range in words, as a decision cites it."""
        if self.basis == self.Basis.AMOUNT:
            low = f"{self.fine_min / 10_000:g}万元以上" if self.fine_min else ""
            return f"处{low}{self.fine_max / 10_000:g}万元以下罚款"
        if self.basis == self.Basis.INVESTMENT:
            return f"处建设项目总投资额{_num(self.rate_min)}%以上{_num(self.rate_max)}%以下罚款"
        if self.basis == self.Basis.MULTIPLE:
            floor = (
                f"（{self.base_label}不足{self.base_floor / 10_000:g}万元的，按{self.base_floor / 10_000:g}万元计算）"
                if self.base_floor
                else ""
            )
            return f"处{self.base_label}{_num(self.rate_min)}倍以上{_num(self.rate_max)}倍以下罚款{floor}"
        return "不处罚款"


def _num(value) -> str:
    """1.00 → 1, 2.50 → 2.5 (a Decimal column prints its places otherwise)."""
    return format(value.normalize(), "f") if value is not None else ""
