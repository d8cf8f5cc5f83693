"""The discretion calculator (裁量基准): from a violation's statutory range and the levels of its
discretion factors to a fine, with its explanation line by line as a Henan decision prints it
("裁量因素：项目应报批的环评文件类别，内容：报告表，裁量等级：1").

Pure: no database. The factor tables (个性 per violation group, 共性 for all), the adjustment
kinds and the exemption list are data (`fixtures/discretion-factors.json`); the formula is code,
registered by id with the day it takes effect (`FORMULAS`, `formula_for(day)`), so a province's
formula is added beside the national one and chosen by date.

The national model (`NationalModel`, id "national-2019") is OUR OWN READING of 环执法〔2019〕42号:
the annex gives the factor tables but its formula text was not found, and neither was Henan's
(豫环文〔2020〕177号). What it does, with [L, U] the statutory range and D = U − L:

1. Every individual (个性) factor of the violation's group gets a level; a factor not given takes
   its lowest level (benefit of the doubt, as Guangdong's rule says). Common (共性) factors count
   only when given.
2. The primary factor is the individual factor with the highest level (Henan's rule; the first in
   table order on a tie). Its level A places the amount in one fifth of the range:
   (A − 1) / 5.
3. The other individual factors (m of them) move it up inside that fifth, each owning an equal
   share: 20% × Σ(B − 1) / (4m). A secondary factor at its lowest level moves nothing.
4. Common factors add 5% of the range per level above their ordinary level (`baseline`: a first
   violation, an effect within the county add nothing; 暴力抗法 adds 25%).
5. Position P = min(100%, 2 + 3 + 4); basic amount X = L + D × P.
6. One adjustment at most: 从轻 keeps it in the lower half (L + (X − L) × 50%), 从重 in the upper
   half (L + D/2 + (X − L) × 50%), 减轻 goes below the minimum (L × (50% + 40% × P), only with a
   reason and only when there is a minimum), 免予处罚 (an item of the exemption list in force on
   the day, for the violation's group and type, and not for a repeat offender) makes it 0.
7. Rounded to the yuan (四舍五入, Henan's rule) and kept inside the statutory range, except 减轻
   (below the minimum) and 免予处罚 (0).

A case is one act (行政处罚法 art. 29: one fine per act), so one range and one amount.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import Any

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "discretion-factors.json"

LIGHTER, MITIGATED, HEAVIER, EXEMPT = "lighter", "mitigated", "heavier", "exempt"
KINDS = (LIGHTER, MITIGATED, HEAVIER, EXEMPT)

BASIS_AMOUNT, BASIS_INVESTMENT, BASIS_MULTIPLE, BASIS_NONE = (
    "amount",
    "investment",
    "multiple",
    "none",
)


class InputError(ValueError):
    """Input the calculator cannot use; `field` names what to correct."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


# --- the data ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Level:
    level: int
    content: str


@dataclass(frozen=True)
class Factor:
    key: str
    label: str
    levels: tuple[Level, ...]
    common: bool = False
    # a common factor's ordinary level: only the levels above it aggravate
    baseline: int = 0

    @property
    def lowest(self) -> Level:
        return min(self.levels, key=lambda x: x.level)

    def get(self, level: int) -> Level | None:
        return next((x for x in self.levels if x.level == level), None)


@dataclass(frozen=True)
class Group:
    code: str
    label: str
    source: str
    note: str
    factors: tuple[Factor, ...]

    @property
    def is_proposal(self) -> bool:
        return self.source.startswith("本系统建议")


@dataclass(frozen=True)
class AdjustmentKind:
    kind: str
    label: str
    basis: tuple[tuple[dt.date, str], ...]  # newest first
    situations: tuple[str, ...]
    rule: str

    def basis_on(self, day: dt.date) -> str:
        return next((text for start, text in self.basis if start <= day), "")


@dataclass(frozen=True)
class Exemption:
    id: str
    number: int
    text: str
    groups: tuple[str, ...]
    codes: tuple[str, ...]
    effective_from: dt.date

    def applies_to(self, group: str, code: str) -> bool:
        return group in self.groups and (not self.codes or code in self.codes)


@dataclass(frozen=True)
class Tables:
    title: str
    groups: dict[str, Group]
    common: tuple[Factor, ...]
    adjustments: dict[str, AdjustmentKind]
    exemptions: dict[str, Exemption]
    exemption_source: str

    def individual(self, group: str) -> tuple[Factor, ...]:
        found = self.groups.get(group)
        return found.factors if found else ()

    def factors_for(self, group: str) -> tuple[Factor, ...]:
        return self.individual(group) + self.common

    def exemptions_for(self, group: str, code: str, day: dt.date) -> list[Exemption]:
        return [
            e
            for e in self.exemptions.values()
            if e.applies_to(group, code) and e.effective_from <= day
        ]


def _factor(row: Mapping[str, Any], *, common: bool) -> Factor:
    return Factor(
        key=row["key"],
        label=row["label"],
        levels=tuple(Level(int(x["level"]), x["content"]) for x in row["levels"]),
        common=common,
        baseline=int(row.get("baseline", 0)),
    )


def parse_tables(data: Mapping[str, Any]) -> Tables:
    groups = {
        code: Group(
            code=code,
            label=g["label"],
            source=g.get("source", ""),
            note=g.get("note", ""),
            factors=tuple(_factor(f, common=False) for f in g["factors"]),
        )
        for code, g in data["individual"].items()
    }
    adjustments = {
        a["kind"]: AdjustmentKind(
            kind=a["kind"],
            label=a["label"],
            basis=tuple(
                sorted(
                    ((dt.date.fromisoformat(b["from"]), b["text"]) for b in a["basis"]),
                    reverse=True,
                )
            ),
            situations=tuple(a.get("situations", ())),
            rule=a["rule"],
        )
        for a in data["adjustments"]
    }
    exemptions = {
        e["id"]: Exemption(
            id=e["id"],
            number=int(e["number"]),
            text=e["text"],
            groups=tuple(e["groups"]),
            codes=tuple(e.get("codes", ())),
            effective_from=dt.date.fromisoformat(e["effective_from"]),
        )
        for e in data["exemptions"]["items"]
    }
    return Tables(
        title=data.get("title", ""),
        groups=groups,
        common=tuple(_factor(f, common=True) for f in data["common"]["factors"]),
        adjustments=adjustments,
        exemptions=exemptions,
        exemption_source=data["exemptions"]["source"],
    )


@lru_cache(maxsize=1)
def load_tables() -> Tables:
    """The tables of the fixture (read once per process)."""
    return parse_tables(json.loads(FIXTURE.read_text(encoding="utf-8")))


# --- inputs --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Statute:
    """What the calculator needs of a violation type (`cases.models.ViolationType`)."""

    code: str
    group: str
    name: str
    punished: str
    basis: str
    fine_min: int | None = None
    fine_max: int | None = None
    rate_min: Fraction | None = None
    rate_max: Fraction | None = None
    base_label: str = ""
    base_floor: int | None = None

    @classmethod
    def of(cls, violation: Any) -> Statute:
        def rate(value: Any) -> Fraction | None:
            return None if value is None else Fraction(str(value))

        return cls(
            code=violation.code,
            group=violation.group,
            name=violation.name,
            punished=violation.punished,
            basis=violation.basis,
            fine_min=violation.fine_min,
            fine_max=violation.fine_max,
            rate_min=rate(violation.rate_min),
            rate_max=rate(violation.rate_max),
            base_label=violation.base_label,
            base_floor=violation.base_floor,
        )

    @property
    def range_text(self) -> str:
        """The statutory range in words, as a decision cites it."""
        if self.basis == BASIS_AMOUNT and self.fine_max is not None:
            if self.fine_min == self.fine_max:
                return f"处{_wan(self.fine_max)}罚款"
            low = f"{_wan(self.fine_min)}以上" if self.fine_min else ""
            return f"处{low}{_wan(self.fine_max)}以下罚款"
        if self.basis == BASIS_INVESTMENT:
            return (
                f"处{self.base_label}{_plain(self.rate_min)}%以上{_plain(self.rate_max)}%以下罚款"
            )
        if self.basis == BASIS_MULTIPLE:
            text = (
                f"处{self.base_label}{_plain(self.rate_min)}倍以上{_plain(self.rate_max)}倍以下罚款"
            )
            if self.base_floor:
                floor = _wan(self.base_floor)
                text += f"（{self.base_label}不足{floor}的，按{floor}计算）"
            return text
        return "不处罚款"

    @property
    def needs_base(self) -> bool:
        return self.basis in (BASIS_INVESTMENT, BASIS_MULTIPLE)


@dataclass(frozen=True)
class Adjustment:
    kind: str
    reason: str = ""
    item: str = ""  # the exemption item's id, for 免予处罚

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "reason": self.reason, "item": self.item}


@dataclass(frozen=True)
class StatutoryRange:
    low: Fraction
    high: Fraction
    base: int | None = None
    effective_base: int | None = None

    @property
    def span(self) -> Fraction:
        return self.high - self.low

    @property
    def low_yuan(self) -> int:
        return math.ceil(self.low)

    @property
    def high_yuan(self) -> int:
        return math.floor(self.high)


@dataclass(frozen=True)
class Result:
    formula: str
    formula_label: str
    on: dt.date
    amount: int
    range: StatutoryRange
    position: Fraction
    basic: Fraction  # the amount before adjustments, unrounded
    primary: str | None
    levels: dict[str, int]  # every factor used, defaults included
    defaulted: tuple[str, ...]  # factors that took their lowest level because none was given
    adjustments: tuple[Adjustment, ...]
    lines: tuple[str, ...]

    @property
    def mitigated(self) -> bool:
        return any(a.kind == MITIGATED for a in self.adjustments)

    @property
    def exempt(self) -> bool:
        return any(a.kind == EXEMPT for a in self.adjustments)


# --- formatting ----------------------------------------------------------------------------


def money(value: Fraction | int) -> str:
    """Yuan as decisions write them: whole yuan plainly, otherwise to the fen."""
    value = Fraction(value)
    if value.denominator == 1:
        return f"{value.numerator}元"
    cents = Decimal(value.numerator) / Decimal(value.denominator)
    return f"{cents.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}元"


def number(value: Fraction | int) -> str:
    return money(value)[:-1]


def percent(value: Fraction) -> str:
    shown = (Decimal(value.numerator) * 100 / Decimal(value.denominator)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
    return f"{shown.normalize():f}%"


def _plain(value: Fraction | None) -> str:
    return "" if value is None else number(value)


def _wan(value: int | None) -> str:
    if not value:
        return ""
    if value % 1000 == 0 and value >= 10_000:
        return f"{number(Fraction(value, 10_000))}万元"
    return f"{value}元"


def round_yuan(value: Fraction) -> int:
    """四舍五入 to the yuan (half up, never banker's rounding)."""
    return math.floor(value + Fraction(1, 2))


_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_UNITS = ("", "拾", "佰", "仟")
_GROUPS = ("", "万", "亿", "万亿")


def yuan_in_words(amount: int) -> str:
    """The amount in capital numerals as a decision writes it (人民币大写): 54000 → 伍万肆仟元整."""
    if amount < 0:
        raise ValueError("amount must not be negative")
    if amount == 0:
        return "零元整"
    groups = []
    while amount:
        groups.append(amount % 10_000)
        amount //= 10_000
    out, zero_between = "", False
    for index in reversed(range(len(groups))):
        group = groups[index]
        if group == 0:
            zero_between = bool(out)
            continue
        text = "零" if out and (group < 1000 or zero_between) else ""
        zero_between = pending = False
        for pos in (3, 2, 1, 0):
            digit = group // 10**pos % 10
            if digit == 0:
                pending = pending or bool(text)
                continue
            if pending and not text.endswith("零"):
                text += "零"
            pending = False
            text += _DIGITS[digit] + _UNITS[pos]
        out += text + _GROUPS[index]
    return out + "元整"


# --- the common steps of every formula -----------------------------------------------------


def statutory_range(statute: Statute, base: int | None) -> StatutoryRange:
    """The range the law allows, in yuan; for a percentage or a multiple, of the base given."""
    if statute.basis == BASIS_NONE:
        raise InputError("violation_type", "该违法行为不处罚款，无需计算罚款金额。")
    if statute.basis == BASIS_AMOUNT:
        if statute.fine_max is None:
            raise InputError("violation_type", "该违法行为类型未设定罚款上限，请先在目录中补充。")
        return StatutoryRange(Fraction(statute.fine_min or 0), Fraction(statute.fine_max))
    label = statute.base_label or "计算基数"
    if base is None:
        raise InputError("base", f"请填写{label}（元）。")
    if isinstance(base, bool) or not isinstance(base, int) or base < 0:
        raise InputError("base", f"{label}须为不小于0的整数（元）。")
    if base == 0 and not statute.base_floor:
        raise InputError("base", f"{label}须大于0元。")
    if statute.rate_min is None or statute.rate_max is None:
        raise InputError("violation_type", "该违法行为类型未设定比例或倍数，请先在目录中补充。")
    if statute.basis == BASIS_INVESTMENT:
        return StatutoryRange(
            base * statute.rate_min / 100, base * statute.rate_max / 100, base, base
        )
    effective = max(base, statute.base_floor or 0)
    return StatutoryRange(
        effective * statute.rate_min, effective * statute.rate_max, base, effective
    )


def check_levels(
    tables: Tables, statute: Statute, levels: Mapping[str, Any]
) -> dict[str, tuple[Factor, int]]:
    """The levels given, checked against the factor tables of the violation's group."""
    known = {f.key: f for f in tables.factors_for(statute.group)}
    checked = {}
    for key, value in levels.items():
        factor = known.get(key)
        if factor is None:
            raise InputError("levels", f"“{key}”不是该违法行为类别适用的裁量因素。")
        if isinstance(value, bool) or not isinstance(value, int) or factor.get(value) is None:
            allowed = "、".join(str(x.level) for x in factor.levels)
            raise InputError(
                "levels", f"裁量因素“{factor.label}”的裁量等级须为 {allowed} 之一（1至5级）。"
            )
        checked[key] = (factor, value)
    return checked


def check_adjustments(
    tables: Tables,
    statute: Statute,
    adjustments: Iterable[Adjustment | Mapping[str, Any]],
    day: dt.date,
) -> tuple[Adjustment, ...]:
    found = []
    for raw in adjustments:
        if isinstance(raw, Adjustment):
            item = raw
        else:
            raw = dict(raw)
            if not set(raw) <= {"kind", "reason", "item"} or "kind" not in raw:
                raise InputError("adjustments", "调整方式的格式不正确。")
            item = Adjustment(**raw)
        item = Adjustment(item.kind, (item.reason or "").strip(), (item.item or "").strip())
        kind = tables.adjustments.get(item.kind)
        if kind is None or item.kind not in KINDS:
            raise InputError("adjustments", f"未知的调整方式“{item.kind}”。")
        if not item.reason:
            raise InputError("adjustments", f"适用{kind.label}须写明情形和理由。")
        if item.kind == EXEMPT:
            exemption = tables.exemptions.get(item.item)
            if exemption is None:
                raise InputError("adjustments", "请选择免予处罚事项清单中的一项。")
            if not exemption.applies_to(statute.group, statute.code):
                raise InputError(
                    "adjustments", f"免予处罚事项第{exemption.number}项不适用于该违法行为。"
                )
            if exemption.effective_from > day:
                raise InputError(
                    "adjustments",
                    f"免予处罚事项第{exemption.number}项自 {exemption.effective_from:%Y-%m-%d} 起施行，"
                    f"{day:%Y-%m-%d} 尚不适用。",
                )
        found.append(item)
    if len(found) > 1:
        raise InputError(
            "adjustments",
            "从轻、减轻、从重和免予处罚只能选择一项（同时具有从轻和从重情节的，综合考虑后选择一项并写明理由）。",
        )
    return tuple(found)


# --- formulas ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Inputs:
    statute: Statute
    levels: Mapping[str, int] = field(default_factory=dict)
    base: int | None = None
    adjustments: tuple[Adjustment | Mapping[str, Any], ...] = ()
    on: dt.date = field(default_factory=dt.date.today)


class Formula:
    """A way from factor levels to an amount, in force from `effective_from`.

    A province's formula subclasses this and implements `basic_amount` (or `compute` whole), and
    is registered in `FORMULAS` with the day it takes effect; cases computed on or after that day
    use it, earlier records keep the id of the formula they were computed with."""

    id: str
    label: str
    effective_from: dt.date
    reference: str  # the document the factor tables follow, as the decision cites it
    summary: str  # the method in one paragraph, for the page

    def basic_amount(
        self,
        rng: StatutoryRange,
        individual: list[tuple[Factor, int]],
        common: list[tuple[Factor, int]],
    ) -> tuple[Fraction, Fraction, str | None, list[str]]:
        """(amount before adjustments, position in the range, primary factor key, lines)."""
        raise NotImplementedError

    def compute(self, inputs: Inputs, tables: Tables | None = None) -> Result:
        tables = tables or load_tables()
        statute, day = inputs.statute, inputs.on
        if statute.group not in tables.groups:
            raise InputError("violation_type", "该违法行为类别没有裁量因素表。")
        rng = statutory_range(statute, inputs.base)
        given = check_levels(tables, statute, inputs.levels)
        adjustments = check_adjustments(tables, statute, inputs.adjustments, day)
        if adjustments and adjustments[0].kind == EXEMPT:
            # the list is for minor first violations: a repeat, fraud, violence or a wider effect
            # rules it out
            for factor, level in given.values():
                if factor.common and level > factor.baseline:
                    raise InputError(
                        "adjustments", f"存在共性加重因素“{factor.label}”的，不适用免予处罚。"
                    )

        lines = [f"处罚依据：{statute.punished}，{statute.range_text}。"]
        if rng.base is not None:
            floor = ""
            if statute.base_floor and rng.base < statute.base_floor:
                floor = f"，不足{money(statute.base_floor)}，按{money(statute.base_floor)}计算"
            lines.append(f"{statute.base_label}：{money(rng.base)}{floor}。")
        lines.append(f"法定罚款幅度：{money(rng.low)}至{money(rng.high)}。")
        lines.append(f"参照{self.reference}：")

        individual, defaulted = [], []
        for factor in tables.individual(statute.group):
            if factor.key in given:
                level = given[factor.key][1]
                content = factor.get(level).content
            else:
                level = factor.lowest.level
                content = f"{factor.lowest.content}（未能查明，按最低等级认定）"
                defaulted.append(factor.key)
            individual.append((factor, level))
            lines.append(f"裁量因素：{factor.label}，内容：{content}，裁量等级：{level}")
        common = [(f, given[f.key][1]) for f in tables.common if f.key in given]
        for factor, level in common:
            lines.append(
                f"裁量因素：{factor.label}，内容：{factor.get(level).content}，裁量等级：{level}"
            )

        basic, position, primary, formula_lines = self.basic_amount(rng, individual, common)
        lines += formula_lines
        amount, more = self._adjust(tables, statute, rng, basic, position, adjustments, day)
        lines += more

        if not adjustments or adjustments[0].kind in (LIGHTER, HEAVIER):
            # inside the statutory range, also after rounding at its edges
            kept = min(max(amount, rng.low_yuan), rng.high_yuan)
            if kept != amount:
                lines.append(f"四舍五入后超出法定幅度，按{money(kept)}确定。")
            amount = kept
        if adjustments and adjustments[0].kind == EXEMPT:
            lines.append("不予行政处罚，罚款金额：0元。")
        else:
            lines.append(
                f"罚款金额：{money(amount)}（人民币{yuan_in_words(amount)}），四舍五入至元。"
            )

        levels = {f.key: level for f, level in individual + common}
        return Result(
            formula=self.id,
            formula_label=self.label,
            on=day,
            amount=amount,
            range=rng,
            position=position,
            basic=basic,
            primary=primary,
            levels=levels,
            defaulted=tuple(defaulted),
            adjustments=adjustments,
            lines=tuple(lines),
        )

    def _adjust(
        self,
        tables: Tables,
        statute: Statute,
        rng: StatutoryRange,
        basic: Fraction,
        position: Fraction,
        adjustments: tuple[Adjustment, ...],
        day: dt.date,
    ) -> tuple[int, list[str]]:
        if not adjustments:
            return round_yuan(basic), []
        adj = adjustments[0]
        kind = tables.adjustments[adj.kind]
        head = f"{kind.label}（{kind.basis_on(day)}）：{adj.reason}"
        low, half = rng.low, Fraction(1, 2)
        if adj.kind == LIGHTER:
            value = low + (basic - low) * half
            return round_yuan(value), [
                f"{head}；在法定幅度下半段内确定：{number(low)} + ({number(basic)} − {number(low)}) × 50% = {money(value)}。"
            ]
        if adj.kind == HEAVIER:
            middle = low + rng.span * half
            value = middle + (basic - low) * half
            return round_yuan(value), [
                f"{head}；在法定幅度上半段内确定：{number(middle)} + ({number(basic)} − {number(low)}) × 50% = {money(value)}。"
            ]
        if adj.kind == MITIGATED:
            if low <= 0:
                raise InputError("adjustments", "该违法行为的法定罚款没有下限，不适用减轻处罚。")
            ratio = half + Fraction(2, 5) * position
            value = low * ratio
            # below the minimum: never up to it
            amount = min(round_yuan(value), rng.low_yuan - 1)
            return max(amount, 0), [
                f"{head}；低于法定下限确定：{number(low)} × (50% + 40% × {percent(position)}) = {money(value)}。"
            ]
        exemption = tables.exemptions[adj.item]
        return 0, [
            f"{head}；属{tables.exemption_source}免予处罚事项第{exemption.number}项：{exemption.text}。"
        ]


class NationalModel(Formula):
    """The national model as we read 环执法〔2019〕42号 (see the module's docstring)."""

    id = "national-2019"
    label = "全国参考模型（参照环执法〔2019〕42号，本系统解读）"
    # 环执法〔2019〕42号 was issued in May 2019 [BACKGROUND: day not checked against the original]
    effective_from = dt.date(2019, 5, 21)
    reference = "《部分常用环境违法行为自由裁量参考基准及计算方法》（环执法〔2019〕42号附件）"
    summary = (
        "本系统对环执法〔2019〕42号的解读（附件的计算公式和河南省裁量基准的公式均未找到）："
        "等级最高的个性因素为首要因素，确定罚款在法定幅度五档中的哪一档；其余个性因素在档内上调；"
        "共性因素每高出通常等级一级加重法定幅度的5%；再适用从轻（幅度下半段）、减轻（低于下限）、"
        "从重（幅度上半段）或免予处罚；四舍五入至元，并限定在法定幅度内（减轻、免予处罚除外）。"
        "未能查明的个性因素按最低等级认定。"
    )

    FIFTH = Fraction(1, 5)
    COMMON_STEP = Fraction(1, 20)

    def basic_amount(
        self,
        rng: StatutoryRange,
        individual: list[tuple[Factor, int]],
        common: list[tuple[Factor, int]],
    ) -> tuple[Fraction, Fraction, str | None, list[str]]:
        top = max(level for _f, level in individual)
        primary = next(f for f, level in individual if level == top)
        secondary = [(f, level) for f, level in individual if f is not primary]
        first = (top - 1) * self.FIFTH
        steps = sum(level - 1 for _f, level in secondary)
        second = self.FIFTH * steps / (4 * len(secondary)) if secondary else Fraction(0)
        raised = sum(max(0, level - f.baseline) for f, level in common)
        third = self.COMMON_STEP * raised
        total = first + second + third
        position = min(Fraction(1), total)
        basic = rng.low + rng.span * position
        capped = "，超过100%的按100%计" if total > 1 else ""
        lines = [
            f"首要裁量因素：{primary.label}（裁量等级：{top}），其余个性因素为次要因素。",
            f"计算方法：{self.label}。",
            f"首要因素定档 = (首要因素等级 − 1) × 20% = ({top} − 1) × 20% = {percent(first)}；",
            f"次要因素上调 = 20% × Σ(次要因素等级 − 1) ÷ (4 × 次要因素个数) = 20% × {steps} ÷ {4 * len(secondary)} = {percent(second)}；"
            if secondary
            else "次要因素上调：无次要因素，0%；",
            f"共性因素上调 = 5% × Σ(共性因素等级 − 通常等级) = 5% × {raised} = {percent(third)}；",
            f"裁量比例 = {percent(first)} + {percent(second)} + {percent(third)} = {percent(position)}{capped}。",
            f"基础罚款金额 = 下限 + (上限 − 下限) × 裁量比例 = {number(rng.low)} + {number(rng.span)} × {percent(position)} = {money(basic)}。",
        ]
        return basic, position, primary.key, lines


FORMULAS: dict[str, Formula] = {f.id: f for f in (NationalModel(),)}


def formula_for(day: dt.date) -> Formula:
    """The formula in force on `day`: the latest one that had taken effect."""
    found = [f for f in FORMULAS.values() if f.effective_from <= day]
    if not found:
        raise InputError("on", f"{day:%Y-%m-%d} 没有适用的罚款裁量计算方法。")
    return max(found, key=lambda f: f.effective_from)


def compute(
    statute: Statute,
    levels: Mapping[str, int] | None = None,
    *,
    base: int | None = None,
    adjustments: Iterable[Adjustment | Mapping[str, Any]] = (),
    on: dt.date,
    formula: Formula | None = None,
    tables: Tables | None = None,
) -> Result:
    """The amount and its explanation for one violation, with the formula in force on `on`."""
    formula = formula or formula_for(on)
    inputs = Inputs(statute, dict(levels or {}), base, tuple(adjustments), on)
    return formula.compute(inputs, tables)
