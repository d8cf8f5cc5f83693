"""The discretion calculator's form: one select per factor of the case's violation group, the base
where the range is a percentage or a multiple, one adjustment, and the handler's own amount."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from cases import discretion
from cases.models import Case

FACTOR_PREFIX = "factor_"


class DiscretionForm(forms.Form):
    base = forms.IntegerField(label="计算基数（元）", min_value=0, required=False)
    adjustment = forms.ChoiceField(label="从轻、减轻、从重或免予处罚", required=False)
    exemption = forms.ChoiceField(label="免予处罚事项", required=False)
    adjustment_reason = forms.CharField(
        label="情形和理由",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="适用从轻、减轻、从重或免予处罚的，须写明情形和理由。",
    )
    amount = forms.IntegerField(
        label="另定罚款金额（元）",
        min_value=0,
        required=False,
        help_text="不填即按计算结果；另定金额的须写明理由，并提示审查。",
    )
    reason = forms.CharField(
        label="另定金额的理由", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, case: Case, on: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tables = discretion.load_tables()
        violation = case.violation_type
        group = violation.group if violation else ""
        self.individual_names: list[str] = []
        self.common_names: list[str] = []
        factors = {}
        for factor in tables.individual(group):
            factors[factor.key] = (factor, "未能查明（按最低等级认定）")
            self.individual_names.append(FACTOR_PREFIX + factor.key)
        for factor in tables.common:
            factors[factor.key] = (factor, "不涉及")
            self.common_names.append(FACTOR_PREFIX + factor.key)
        for key, (factor, empty) in factors.items():
            self.fields[FACTOR_PREFIX + key] = forms.TypedChoiceField(
                label=factor.label,
                choices=[("", empty)]
                + [(x.level, f"{x.level}级：{x.content}") for x in factor.levels],
                coerce=int,
                empty_value=None,
                required=False,
            )
        if violation is None or violation.basis not in (
            discretion.BASIS_INVESTMENT,
            discretion.BASIS_MULTIPLE,
        ):
            del self.fields["base"]
        else:
            self.fields["base"].label = f"{violation.base_label}（元）"
            if violation.base_floor:
                self.fields[
                    "base"
                ].help_text = f"不足{violation.base_floor}元的，按{violation.base_floor}元计算。"
        self.fields["adjustment"].choices = [("", "无")] + [
            (kind.kind, kind.label) for kind in tables.adjustments.values()
        ]
        items = tables.exemptions_for(group, violation.code, on) if violation else []
        self.fields["exemption"].choices = [("", "（适用免予处罚时选择）")] + [
            (e.id, f"第{e.number}项：{e.text}") for e in items
        ]

    def factor_fields(self, names: list[str]) -> list[forms.BoundField]:
        return [self[name] for name in names]

    def individual_fields(self) -> list[forms.BoundField]:
        return self.factor_fields(self.individual_names)

    def common_fields(self) -> list[forms.BoundField]:
        return self.factor_fields(self.common_names)

    def other_fields(self) -> list[forms.BoundField]:
        names = ("base", "adjustment", "exemption", "adjustment_reason", "amount", "reason")
        return [self[name] for name in names if name in self.fields]

    def service_data(self) -> dict[str, Any]:
        """The service's keyword arguments from the cleaned data."""
        data = self.cleaned_data
        levels = {
            name[len(FACTOR_PREFIX) :]: data[name]
            for name in self.individual_names + self.common_names
            if data.get(name) is not None
        }
        adjustments = []
        if data["adjustment"]:
            adjustments.append(
                {
                    "kind": data["adjustment"],
                    "reason": data["adjustment_reason"],
                    "item": data["exemption"] if data["adjustment"] == discretion.EXEMPT else "",
                }
            )
        return {
            "levels": levels,
            "base": data.get("base"),
            "adjustments": adjustments,
            "amount": data["amount"],
            "reason": data["reason"],
        }
