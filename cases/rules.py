"""The procedural rules a case runs under, chosen by its 立案 date, as data.

A case filed in the 2020 campaign runs under the rules of its day (行政处罚法 2017 and
《环境行政处罚办法》, 环保部令第8号, 2010), a case filed now under the current ones (行政处罚法 2021,
in force 2021-07-15, and 《生态环境行政处罚办法》, 部令第30号, in force 2023-07-01); between those two
dates the 2021 law applied with 令8号 still in force. Every clock of a case is one `Clock` here:
its legal basis, its unit and length, and the event it starts from. `cases.clocks` computes the
dates on the working calendar; nothing else knows a period's length.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


class Unit:
    WORKING_DAYS = "wd"
    DAYS = "d"
    MONTHS = "m"
    HOURS = "h"

    LABELS = {WORKING_DAYS: "个工作日", DAYS: "日", MONTHS: "个月", HOURS: "小时"}
    CHOICES = [
        (WORKING_DAYS, "工作日"),
        (DAYS, "自然日"),
        (MONTHS, "月"),
        (HOURS, "小时"),
    ]


class Against:
    """Whom a clock runs against: the bureau's own obligation, or the party's window."""

    BUREAU = "bureau"
    PARTY = "party"
    CHOICES = [(BUREAU, "执法机关"), (PARTY, "当事人")]


@dataclass(frozen=True)
class Clock:
    key: str
    label: str
    length: int
    unit: str
    start_event: str  # what it counts from, in words (立案之日, 告知书送达之日 …)
    basis: str  # law and article
    against: str = Against.BUREAU
    # paused intervals (中止, 听证, 移送) do not run for this clock
    pausable: bool = False
    extension: int = 0  # the one extension an approval may add, same unit

    @property
    def period(self) -> str:
        return f"{self.length}{Unit.LABELS[self.unit]}"


@dataclass(frozen=True)
class RuleSet:
    key: str
    label: str
    effective_from: dt.date
    clocks: dict[str, Clock] = field(default_factory=dict)
    # a hearing may be requested when an organisation's fine reaches this amount (较大数额)
    hearing_fine_threshold: int = 50_000

    def clock(self, key: str) -> Clock:
        return self.clocks[key]


def _clocks(*clocks: Clock) -> dict[str, Clock]:
    return {c.key: c for c in clocks}


_LAW_2017 = "《行政处罚法》（2017）"
_LAW_2021 = "《行政处罚法》（2021）"
_ORDER_8 = "《环境行政处罚办法》（环境保护部令第8号）"
_ORDER_30 = "《生态环境行政处罚办法》（生态环境部令第30号）"

# the same in every rule set
_SERVICE = Clock(
    "service",
    "决定书送达",
    7,
    Unit.DAYS,
    "处罚决定作出之日",
    "《行政处罚法》第六十一条；《民事诉讼法》",
)
_PAYMENT = Clock(
    "payment",
    "缴纳罚款",
    15,
    Unit.DAYS,
    "处罚决定书送达之日",
    "《行政处罚法》第六十七条第三款（2017 年版第四十六条）",
    against=Against.PARTY,
)
_STATEMENT = Clock(
    "statement",
    "陈述、申辩",
    3,
    Unit.WORKING_DAYS,
    "事先告知书送达之日",
    "法律未规定期限，按通行做法（可调整）",
    against=Against.PARTY,
)

RULES_2010 = RuleSet(
    key="2010",
    label=f"{_LAW_2017}、{_ORDER_8}",
    effective_from=dt.date(2010, 3, 1),
    clocks=_clocks(
        Clock(
            "filing",
            "立案审查",
            7,
            Unit.WORKING_DAYS,
            "发现违法行为之日",
            f"{_ORDER_8}第二十二条",
        ),
        Clock(
            "decision",
            "作出处罚决定",
            3,
            Unit.MONTHS,
            "立案之日",
            f"{_ORDER_8}第五十五条（听证、公告、监测、鉴定、送达时间不计入）",
            pausable=True,
        ),
        _STATEMENT,
        # 令8号 art. 79: a natural-day period whose last day is a holiday runs to the next day
        Clock(
            "hearing_request",
            "申请听证",
            3,
            Unit.DAYS,
            "听证告知书送达之日",
            f"{_LAW_2017}第四十二条",
            against=Against.PARTY,
        ),
        Clock(
            "hearing_notice",
            "听证通知（听证七日前）",
            7,
            Unit.DAYS,
            "听证通知书送达之日",
            f"{_LAW_2017}第四十二条",
        ),
        _SERVICE,
        _PAYMENT,
    ),
)

RULES_2021 = RuleSet(
    key="2021",
    label=f"{_LAW_2021}、{_ORDER_8}",
    effective_from=dt.date(2021, 7, 15),
    clocks=_clocks(
        RULES_2010.clock("filing"),
        # art. 60: 90 days "unless laws, regulations or rules say otherwise": 令8号's 3 months stand
        RULES_2010.clock("decision"),
        _STATEMENT,
        Clock(
            "hearing_request",
            "申请听证",
            5,
            Unit.WORKING_DAYS,
            "听证告知书送达之日",
            f"{_LAW_2021}第六十四条第（一）项、第八十五条",
            against=Against.PARTY,
        ),
        Clock(
            "hearing_notice",
            "听证通知（听证七个工作日前）",
            7,
            Unit.WORKING_DAYS,
            "听证通知书送达之日",
            f"{_LAW_2021}第六十四条第（二）项、第八十五条",
        ),
        _SERVICE,
        _PAYMENT,
    ),
)

RULES_2023 = RuleSet(
    key="2023",
    label=f"{_LAW_2021}、{_ORDER_30}",
    effective_from=dt.date(2023, 7, 1),
    # 部令30号 art. 89: 较大数额 for an organisation is above 200,000 yuan (a dated rule)
    hearing_fine_threshold=200_000,
    clocks=_clocks(
        Clock(
            "filing",
            "立案审查",
            15,
            Unit.DAYS,
            "发现违法行为之日",
            f"{_ORDER_30}（经批准可延长十五日）",
            extension=15,
        ),
        Clock(
            "decision",
            "作出处罚决定",
            90,
            Unit.DAYS,
            "立案之日",
            f"{_LAW_2021}第六十条；{_ORDER_30}（经负责人批准可延长三十日；"
            "听证、公告、监测、鉴定、送达及移送时间不计入）",
            pausable=True,
            extension=30,
        ),
        _STATEMENT,
        RULES_2021.clock("hearing_request"),
        RULES_2021.clock("hearing_notice"),
        _SERVICE,
        _PAYMENT,
    ),
)

# the clocks of the special measures (the same under every rule set: 令28/29/30号 of 2014,
# 行政强制法, the transfer rules); a case's deadline key is "<clock>:<measure id>"
_ORDER_28 = "《环境保护主管部门实施按日连续处罚办法》（环境保护部令第28号）"
_ORDER_29 = "《环境保护主管部门实施查封、扣押办法》（环境保护部令第29号）"
_ORDER_30_2014 = "《环境保护主管部门实施限制生产、停产整治办法》（环境保护部令第30号）"
MEASURE_CLOCKS = _clocks(
    Clock(
        "daily_recheck",
        "按日连续处罚复查",
        30,
        Unit.DAYS,
        "责令改正违法行为决定书送达之日",
        f"{_ORDER_28}第十条（送达之日起三十日内暗查）",
    ),
    Clock(
        "seal_end",
        "查封、扣押期限",
        30,
        Unit.DAYS,
        "查封、扣押决定书送达之日",
        f"《行政强制法》第二十五条；{_ORDER_29}第十五条（经批准可延长三十日）",
        extension=30,
    ),
    Clock(
        "seal_lift_service",
        "解除查封、扣押决定书送达",
        3,
        Unit.WORKING_DAYS,
        "作出解除决定之日",
        f"{_ORDER_29}第二十一条",
    ),
    Clock(
        "restrict_plan",
        "报送整改方案",
        15,
        Unit.WORKING_DAYS,
        "限制生产、停产整治决定书送达之日",
        f"{_ORDER_30_2014}第十六条",
        against=Against.PARTY,
    ),
    Clock(
        "restrict_end",
        "限制生产期限",
        3,
        Unit.MONTHS,
        "限制生产决定书送达之日",
        f"{_ORDER_30_2014}第十五条（经批准可延长三个月）",
        extension=3,
    ),
    Clock(
        "restrict_followup",
        "解除后复查",
        30,
        Unit.DAYS,
        "解除限制生产、停产整治之日",
        f"{_ORDER_30_2014}第二十条",
    ),
    Clock(
        "detention_handover",
        "移送公安机关",
        3,
        Unit.WORKING_DAYS,
        "作出移送决定之日",
        "《行政主管部门移送适用行政拘留环境违法案件暂行办法》第十二条、第十九条",
    ),
    Clock(
        "crime_approval",
        "负责人审批移送",
        3,
        Unit.DAYS,
        "提交移送书面报告之日",
        "《环境保护行政执法与刑事司法衔接工作办法》第五条",
    ),
    Clock(
        "crime_handover",
        "移交公安机关（抄送检察院）",
        24,
        Unit.HOURS,
        "负责人批准移送之日",
        "《环境保护行政执法与刑事司法衔接工作办法》第六条",
    ),
)


def find_clock(rules: RuleSet, key: str) -> Clock:
    """A case's clock by its deadline key: a step's, or a measure's ("<clock>:<measure id>")."""
    name = key.split(":", 1)[0]
    return MEASURE_CLOCKS[name] if name in MEASURE_CLOCKS else rules.clock(name)


RULE_SETS = (RULES_2023, RULES_2021, RULES_2010)  # newest first
BY_KEY = {r.key: r for r in RULE_SETS}
CHOICES = [(r.key, r.label) for r in reversed(RULE_SETS)]


def rules_for(day: dt.date) -> RuleSet:
    """The rules in force on `day` (a case's 立案 date, or the day it was opened if not yet filed)."""
    for rules in RULE_SETS:
        if day >= rules.effective_from:
            return rules
    return RULES_2010
