"""The discretion calculator (罚款裁量): the formula's amounts worked out by hand, its data, the
service that makes a result the case's proposed fine, and the page."""

from __future__ import annotations

import datetime as dt
import json
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from cases import discretion as d
from cases.models import Case, DiscretionRecord, ViolationType
from cases.services import case as case_services
from cases.services import discretion as services
from tests.cases import factories as f

BEIJING = ZoneInfo("Asia/Shanghai")
DAY = dt.date(2026, 9, 1)
IN_2020 = dt.date(2020, 9, 1)


def statute(code: str) -> d.Statute:
    """A catalogue type from the fixture, without the database."""
    rows = json.loads((d.FIXTURE.parent / "violation-types.json").read_text(encoding="utf-8"))
    row = next(r for r in rows if r["code"] == code)
    rate = lambda v: None if v is None else Fraction(str(v))  # noqa: E731
    return d.Statute(
        code=code,
        group=row["group"],
        name=row["name"],
        punished=row["punished"],
        basis=row["basis"],
        fine_min=row["fine_min"],
        fine_max=row["fine_max"],
        rate_min=rate(row["rate_min"]),
        rate_max=rate(row["rate_max"]),
        base_label=row["base_label"],
        base_floor=row["base_floor"],
    )


EIA = {"eia_document": 2, "eia_progress": 3}  # 报告表（生产型）, 设备安装阶段; location unknown


def eia(levels=EIA, base=2_000_000, **kw) -> d.Result:
    return d.compute(statute("EIA-01"), levels, base=base, on=kw.pop("on", DAY), **kw)


# --- the formula, by hand -------------------------------------------------------------------


def test_an_investment_percentage_case_worked_by_hand():
    # 1%–5% of 2,000,000 → 20,000–100,000. Primary: 建设进程 3 → (3−1) × 20% = 40%.
    # Secondaries: 文件类别 2, 建设地点 unknown → 1: 20% × (1 + 0) ÷ (4 × 2) = 2.5%.
    # 20,000 + 80,000 × 42.5% = 54,000.
    result = eia()
    assert result.amount == 54_000
    assert (result.range.low, result.range.high) == (20_000, 100_000)
    assert result.position == Fraction(425, 1000)
    assert result.primary == "eia_progress"
    assert result.defaulted == ("eia_location",)
    assert result.levels == {"eia_document": 2, "eia_location": 1, "eia_progress": 3}
    lines = result.lines
    assert "裁量因素：项目应报批的环评文件类别，内容：报告表（生产型），裁量等级：2" in lines
    assert (
        "裁量因素：项目建设地点，内容：符合环境功能规划（未能查明，按最低等级认定），裁量等级：1"
        in lines
    )
    assert "裁量因素：项目建设进程，内容：设备安装阶段，裁量等级：3" in lines
    assert (
        lines[0]
        == "处罚依据：《环境影响评价法》第三十一条第一款，处建设项目总投资额1%以上5%以下罚款。"
    )
    assert "建设项目总投资额：2000000元。" in lines
    assert "法定罚款幅度：20000元至100000元。" in lines
    assert "裁量比例 = 40% + 2.5% + 0% = 42.5%。" in lines
    assert (
        "基础罚款金额 = 下限 + (上限 − 下限) × 裁量比例 = 20000 + 80000 × 42.5% = 54000元。"
        in lines
    )
    assert lines[-1] == "罚款金额：54000元（人民币伍万肆仟元整），四舍五入至元。"
    # the factor lines come in table order, before the formula
    factor_lines = [i for i, line in enumerate(lines) if line.startswith("裁量因素：")]
    assert factor_lines == [4, 5, 6]


def test_common_factors_add_five_percent_per_level_above_the_ordinary():
    # 3 violations in two years (level 4, ordinary 1): +15%; 县内 (1, ordinary 1): +0
    result = eia({**EIA, "common_repeat": 4, "common_region": 1})
    assert result.position == Fraction(575, 1000)
    assert result.amount == 20_000 + 80_000 * 575 // 1000 == 66_000
    assert "裁量因素：环境违法次数（两年内，含本次），内容：3次，裁量等级：4" in result.lines
    assert "共性因素上调 = 5% × Σ(共性因素等级 − 通常等级) = 5% × 3 = 15%；" in result.lines


def test_the_position_is_capped_at_the_maximum():
    # PERMIT-01 100,000–1,000,000: 重点管理 5 → 80%; secondaries 3, 2, unknown: 20% × 3 ÷ 12 = 5%
    permit = statute("PERMIT-01")
    levels = {"permit_class": 5, "permit_outlet": 3, "permit_duration": 2}
    assert d.compute(permit, levels, on=DAY).amount == 100_000 + 900_000 * 85 // 100 == 865_000
    # 伪造现场或证据 (5, ordinary 0) adds 25%: 110% counts as 100%
    forged = d.compute(permit, {**levels, "common_fraud": 5}, on=DAY)
    assert forged.amount == 1_000_000
    assert "裁量比例 = 80% + 5% + 25% = 100%，超过100%的按100%计。" in forged.lines


def test_lighter_heavier_and_mitigated_by_hand():
    why = "主动消除违法行为危害后果"
    lighter = eia(adjustments=[{"kind": "lighter", "reason": why}])
    assert lighter.amount == 20_000 + (54_000 - 20_000) // 2 == 37_000
    heavier = eia(adjustments=[{"kind": "heavier", "reason": "重污染天气预警期间"}])
    assert heavier.amount == 60_000 + (54_000 - 20_000) // 2 == 77_000
    # 减轻: 20,000 × (50% + 40% × 42.5%) = 20,000 × 67% = 13,400, below the minimum
    mitigated = eia(adjustments=[{"kind": "mitigated", "reason": why}])
    assert mitigated.amount == 13_400 and mitigated.mitigated
    assert any(
        line.startswith("减轻处罚（《中华人民共和国行政处罚法》第三十二条）：主动消除")
        for line in mitigated.lines
    )
    # in 2020 the 2017 text of the law applied: its article is cited
    old = eia(adjustments=[{"kind": "lighter", "reason": why}], on=IN_2020)
    assert any("（2017年修正）第二十七条第一款" in line for line in old.lines)


def test_rounding_is_half_up_to_the_yuan():
    # 1%–5% of 1,234,567 → 12,345.67–61,728.35; 12,345.67 + 49,382.68 × 42.5% = 33,333.309
    result = eia(base=1_234_567)
    assert "法定罚款幅度：12345.67元至61728.35元。" in result.lines
    assert result.amount == 33_333
    assert d.round_yuan(Fraction("2.5")) == 3 and d.round_yuan(Fraction("3.5")) == 4
    # all unknown: the minimum 12,345.67 → 12,346 (never below the minimum)
    assert eia({}, base=1_234_567).amount == 12_346


def test_the_amount_is_kept_inside_the_range_after_rounding():
    # 5% of 1,234,570 = 61,728.50: at the top, rounding half up would pass the maximum
    top = {"eia_document": 5, "eia_location": 5, "eia_progress": 5}
    result = eia(top, base=1_234_570)
    assert result.basic == Fraction("61728.5")
    assert result.amount == 61_728
    assert "四舍五入后超出法定幅度，按61728元确定。" in result.lines


def test_a_multiple_uses_the_floor_of_the_base():
    # HW-03: 3–5 × 所需处置费用, at least 200,000: 50,000 counts as 200,000 → 600,000–1,000,000
    hw = statute("HW-03")
    small = d.compute(hw, {"hw_quantity": 2}, base=50_000, on=DAY)
    assert (small.range.low, small.range.high) == (600_000, 1_000_000)
    assert small.range.effective_base == 200_000
    assert small.amount == 600_000 + 400_000 * 20 // 100 == 680_000
    assert "所需处置费用：50000元，不足200000元，按200000元计算。" in small.lines
    # above the floor the base itself counts: 900,000–1,500,000
    large = d.compute(hw, {"hw_quantity": 2}, base=300_000, on=DAY)
    assert large.amount == 900_000 + 600_000 * 20 // 100 == 1_020_000
    # a floor makes a zero base usable; without one it is refused
    assert d.compute(hw, {}, base=0, on=DAY).amount == 600_000
    with pytest.raises(d.InputError) as refused:
        d.compute(statute("AIR-OBSOLETE"), {}, base=0, on=DAY)
    assert refused.value.field == "base"


def test_an_exemption_item_makes_it_zero_when_in_force():
    exceed = statute("EXCEED-WATER")
    exempt = [{"kind": "exempt", "item": "HN177-3", "reason": "COD超标0.05倍，次日已达标"}]
    result = d.compute(exceed, {"exceed_ratio": 1}, adjustments=exempt, on=DAY)
    assert result.amount == 0 and result.exempt
    assert result.lines[-1] == "不予行政处罚，罚款金额：0元。"
    assert any("免予处罚事项第3项" in line for line in result.lines)
    # 177号 took effect on 2021-01-15
    with pytest.raises(d.InputError, match="2021-01-15 起施行"):
        d.compute(exceed, {}, adjustments=exempt, on=IN_2020)
    # the item is for 超标, not for another violation
    with pytest.raises(d.InputError, match="不适用于该违法行为"):
        d.compute(statute("PERMIT-01"), {}, adjustments=exempt, on=DAY)
    # for first violations only
    with pytest.raises(d.InputError, match="环境违法次数"):
        d.compute(exceed, {"common_repeat": 2}, adjustments=exempt, on=DAY)


@pytest.mark.parametrize(
    ("levels", "kw", "field", "message"),
    [
        ({"nonsense": 1}, {}, "levels", "不是该违法行为类别适用的裁量因素"),
        ({"permit_class": 2}, {}, "levels", "须为 1、3、5 之一"),
        ({"eia_document": 6}, {}, "levels", "项目应报批的环评文件类别"),
        ({"eia_document": True}, {}, "levels", "裁量等级"),
        ({}, {"base": None}, "base", "请填写建设项目总投资额"),
        ({}, {"adjustments": [{"kind": "lighter", "reason": ""}]}, "adjustments", "写明情形"),
        ({}, {"adjustments": [{"kind": "kinder", "reason": "x"}]}, "adjustments", "未知"),
        (
            {},
            {
                "adjustments": [
                    {"kind": "lighter", "reason": "x"},
                    {"kind": "heavier", "reason": "y"},
                ]
            },
            "adjustments",
            "只能选择一项",
        ),
    ],
)
def test_refusals_name_the_field(levels, kw, field, message):
    if levels.get("permit_class"):
        call = lambda: d.compute(statute("PERMIT-01"), levels, on=DAY)  # noqa: E731
    else:
        call = lambda: eia(levels, **{"base": 2_000_000, **kw})  # noqa: E731
    with pytest.raises(d.InputError, match=message) as refused:
        call()
    assert refused.value.field == field


def test_mitigation_needs_a_statutory_minimum():
    # EIA-03: at most 50,000, no minimum
    with pytest.raises(d.InputError, match="没有下限"):
        d.compute(statute("EIA-03"), {}, adjustments=[{"kind": "mitigated", "reason": "x"}], on=DAY)


def test_formulas_are_dated_and_pluggable(monkeypatch):
    assert d.formula_for(IN_2020).id == "national-2019"
    with pytest.raises(d.InputError) as refused:
        d.formula_for(dt.date(2019, 1, 1))
    assert refused.value.field == "on"

    class Province(d.NationalModel):
        id = "henan-2030"
        label = "河南省（测试）"
        effective_from = dt.date(2030, 1, 1)

        def basic_amount(self, rng, individual, common):
            return rng.high, Fraction(1), None, ["河南省公式（测试）"]

    monkeypatch.setitem(d.FORMULAS, Province.id, Province())
    assert d.formula_for(DAY).id == "national-2019"
    later = eia(on=dt.date(2030, 6, 1))
    assert (later.formula, later.amount) == ("henan-2030", 100_000)
    assert "河南省公式（测试）" in later.lines


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (0, "零元整"),
        (10, "壹拾元整"),
        (1005, "壹仟零伍元整"),
        (13_400, "壹万叁仟肆佰元整"),
        (680_000, "陆拾捌万元整"),
        (1_000_500, "壹佰万零伍佰元整"),
        (100_000_005, "壹亿零伍元整"),
    ],
)
def test_amounts_in_capital_numerals(amount, words):
    assert d.yuan_in_words(amount) == words


def test_every_group_has_a_table_and_every_exemption_names_real_types():
    tables = d.load_tables()
    assert set(tables.groups) == set(ViolationType.Group.values)
    codes = {
        r["code"]: r["group"]
        for r in json.loads((d.FIXTURE.parent / "violation-types.json").read_text(encoding="utf-8"))
    }
    for item in tables.exemptions.values():
        assert all(codes[code] in item.groups for code in item.codes), item.id
    assert len(tables.exemptions) == 5
    for group in tables.groups.values():
        assert group.factors, group.code
        for factor in group.factors:
            assert {x.level for x in factor.levels} <= {1, 2, 3, 4, 5}, factor.key
        # a table of our own says so
        assert group.is_proposal or group.source.startswith("环执法〔2019〕42号"), group.code
    for factor in tables.common:
        assert {x.level for x in factor.levels} <= {1, 2, 3, 4, 5}
    assert {k for k in tables.adjustments} == set(d.KINDS)


# --- the service ------------------------------------------------------------------------------


@pytest.fixture
def frozen():
    with time_machine.travel(dt.datetime(2026, 9, 1, 10, tzinfo=BEIJING), tick=False):
        yield


def investigating(cast) -> Case:
    """A filed EIA-01 case of the 金水 unit, under investigation."""
    case = f.case(cast)
    case_services.case_step(actor=f.staff("js-head", head=True), case=case, to="investigating")
    case.refresh_from_db()
    return case


def record(case, actor, **kw) -> DiscretionRecord:
    args = {"levels": EIA, "base": 2_000_000, "adjustments": ()} | kw
    return services.discretion_record(actor=actor, case=case, **args)


@pytest.mark.django_db
def test_the_computed_amount_becomes_the_proposed_fine(cast, frozen):
    case = investigating(cast)
    first = record(case, cast.county)
    case.refresh_from_db()
    assert case.proposed_fine == 54_000 and case.status == Case.Status.INVESTIGATING
    assert (first.computed_amount, first.chosen_amount, first.flagged) == (54_000, 54_000, False)
    assert first.formula == "national-2019" and first.applied_on == DAY
    assert first.inputs == EIA and first.base_amount == 2_000_000
    assert (first.range_low, first.range_high) == (20_000, 100_000)
    assert first.lines[-1] == "罚款金额：54000元（人民币伍万肆仟元整），四舍五入至元。"
    # a new computation is the current one; the earlier one is kept
    second = record(case, cast.county, adjustments=[{"kind": "lighter", "reason": "主动整改"}])
    first.refresh_from_db()
    assert not first.current and second.current
    assert second.adjustments == [{"kind": "lighter", "reason": "主动整改", "item": ""}]
    case.refresh_from_db()
    assert case.proposed_fine == 37_000
    # the pure wrapper writes nothing
    result = services.discretion_compute(case=case, levels={"eia_progress": 5}, base=2_000_000)
    assert result.amount == 20_000 + 80_000 * 80 // 100
    assert DiscretionRecord.objects.filter(case=case).count() == 2


@pytest.mark.django_db
def test_another_amount_needs_a_reason_and_is_flagged(cast, frozen):
    case = investigating(cast)
    with pytest.raises(ValidationError) as refused:
        record(case, cast.county, amount=30_000)
    assert "reason" in refused.value.error_dict
    assert "须写明理由" in str(refused.value)
    assert not DiscretionRecord.objects.exists()
    case.refresh_from_db()
    assert case.proposed_fine is None

    flagged = record(case, cast.county, amount=30_000, reason="企业已全部拆除违法设施")
    assert flagged.flagged and flagged.computed_amount == 54_000
    assert flagged.chosen_amount == 30_000 and flagged.override_reason == "企业已全部拆除违法设施"
    assert flagged.lines[-1].startswith("承办人员另定罚款金额：30000元（人民币叁万元整）")
    case.refresh_from_db()
    assert case.proposed_fine == 30_000
    # never above the maximum, below the minimum only with 减轻
    with pytest.raises(ValidationError, match="法定上限100000元"):
        record(case, cast.county, amount=100_001, reason="从严")
    with pytest.raises(ValidationError, match="须适用减轻处罚"):
        record(case, cast.county, amount=19_999, reason="困难")
    mitigated = record(
        case,
        cast.county,
        adjustments=[{"kind": "mitigated", "reason": "主动消除危害后果"}],
        amount=10_000,
        reason="经集体讨论",
    )
    assert (mitigated.computed_amount, mitigated.chosen_amount) == (13_400, 10_000)


@pytest.mark.django_db
def test_out_of_scope_and_roleless_actors_are_refused(cast, frozen):
    case = investigating(cast)
    with pytest.raises(Http404):
        record(case, cast.other_county)  # 涧西 does not see a 金水 case
    with pytest.raises(PermissionDenied):
        record(case, cast.enterprise_user)
    with pytest.raises(PermissionDenied):
        record(case, cast.admin)  # reads cases, does not handle them
    assert not DiscretionRecord.objects.exists()
    # the city above 金水 may
    assert record(case, cast.city).chosen_amount == 54_000


@pytest.mark.django_db
def test_only_before_the_notice(cast, frozen):
    case = f.case(cast)  # awaiting 立案
    with pytest.raises(ValidationError, match="立案审批"):
        record(case, cast.county)
    case_services.case_step(actor=f.staff("js-head", head=True), case=case, to="investigating")
    Case.objects.filter(pk=case.pk).update(violation_type=None)
    with pytest.raises(ValidationError) as refused:
        record(case, cast.county)
    assert "violation_type" in refused.value.error_dict
    assert not DiscretionRecord.objects.exists()


# --- the page -------------------------------------------------------------------------------


def url(case) -> str:
    from django.urls import reverse

    return reverse("cases:discretion", args=[case.pk])


@pytest.mark.django_db
def test_the_page_computes_and_shows_the_lines(client, cast, frozen):
    case = investigating(cast)
    client.force_login(cast.county)
    page = client.get(url(case))
    assert page.status_code == 200
    text = page.content.decode()
    assert "处建设项目总投资额1%以上5%以下罚款" in text
    assert "项目应报批的环评文件类别" in text and "2级：报告表（生产型）" in text
    assert "建设项目总投资额（元）" in text
    body = {"factor_eia_document": "2", "factor_eia_progress": "3", "base": "2000000"}
    done = client.post(url(case), body)
    assert done.status_code == 302 and done["Location"] == url(case)
    case.refresh_from_db()
    assert case.proposed_fine == 54_000
    shown = client.get(url(case)).content.decode()
    assert "裁量因素：项目建设进程，内容：设备安装阶段，裁量等级：3" in shown
    assert "人民币伍万肆仟元整" in shown
    # a recomputation starts from the current record's inputs
    assert '<option value="3" selected>3级：设备安装阶段</option>' in shown
    assert 'value="2000000"' in shown


@pytest.mark.django_db
def test_a_refused_post_is_a_400_that_keeps_what_was_typed(client, cast, frozen):
    case = investigating(cast)
    client.force_login(cast.county)
    body = {
        "factor_eia_document": "2",
        "factor_eia_progress": "3",
        "base": "2000000",
        "amount": "31234",
    }
    refused = client.post(url(case), body)
    assert refused.status_code == 400
    text = refused.content.decode()
    assert "不一致的，须写明理由" in text
    assert 'value="31234"' in text and 'value="2000000"' in text
    assert '<option value="3" selected>3级：设备安装阶段</option>' in text
    assert not DiscretionRecord.objects.exists()
    # with the reason it goes through, flagged for the reviewer
    body["reason"] = "违法设施已自行拆除"
    assert client.post(url(case), body).status_code == 302
    shown = client.get(url(case)).content.decode()
    assert 'data-testid="discretion-flag"' in shown and "违法设施已自行拆除" in shown


@pytest.mark.django_db
def test_the_page_is_for_handlers_in_reach(client, cast, frozen):
    case = investigating(cast)
    client.force_login(cast.other_county)
    assert client.get(url(case)).status_code == 404
    assert client.post(url(case), {"base": "2000000"}).status_code == 404
    client.force_login(cast.enterprise_user)
    assert client.get(url(case)).status_code == 403
    assert not DiscretionRecord.objects.exists()


@pytest.mark.django_db
def test_a_case_not_yet_filed_opens_but_is_not_saved(client, cast, frozen):
    filing = f.case(cast)
    client.force_login(cast.county)
    page = client.get(url(filing))
    assert (
        page.status_code == 200
        and "只能在调查取证、案件审查或法制审核环节" in page.content.decode()
    )
    assert client.post(url(filing), {}).status_code == 400
    assert not DiscretionRecord.objects.exists()
