"""Demo data for stage 3: the ledger's problems classified, and cases at every step of the procedure.

金水区 handles most of them, so the 金水 log-ins see every step: 赵磊 (`jinshui`) and 李强
(`jinshui-2`) investigate, the city bureau's 刘洋 (`zhengzhou`) reviews (查处分离), and the 分局's
负责人 (`jinshui-head`) approves 立案, suspension, transfer, decision and 结案. 涧西区 has a few
cases approved by 洛阳's 负责人 (`luoyang`), and 郑州's city bureau classifies a problem in another
county. Every record goes through the services; the steps are dated in the past weeks (the
statutory clocks run from those dates), some clocks overdue, some due in the next few days.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from campaign.models import User
from campaign.workdays import WorkingCalendar
from cases.catalogue import load_violation_types
from cases.models import Case, Measure, Notice, Path, Reply, ViolationType
from cases.services import case as case_services
from cases.services import discretion as discretion_services
from cases.services import document as document_services
from cases.services import measure as measure_services
from cases.services import notice as notice_services
from cases.services.classification import classify, exemption_commitment
from demo.campaign import Timeline
from enterprises.models import Enterprise
from inspections.models import Problem, ProblemKind

S = Case.Status
SOURCE = Case.Source
JINSHUI, JIANXI = "410105", "410305"
EVIDENCE = "现场检查（勘察）笔录、调查询问笔录、现场照片和视频"
# a one-page PDF standing for the signed scan
COMMITMENT_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
DOCUMENT_EVIDENCE = "现场检查（勘察）笔录\n调查询问笔录\n现场照片和视频"


@dataclass(frozen=True)
class Bureau:
    """Who does what in one bureau's cases."""

    lead: User  # registers the case, writes the report, takes the handler's steps
    second: User  # the second certified investigator
    reviewer: User  # 案件审查 (never an investigator of the case)
    head: User  # 负责人 (approves)

    def actor(self, who: str) -> User:
        return {
            "approver": self.head,
            "investigator": self.lead,
            "reviewer": self.reviewer,
            "handler": self.lead,
        }[who]


@dataclass(frozen=True)
class Plan:
    """One demo case: what it is about, and its steps as (status, days before today, data)."""

    title: str
    county: str
    prefer: tuple[str, ...]  # industry codes of the unit it fits; any unit of the county else
    vtype: str
    source: str
    discovered: int  # days before today
    facts: str  # may name the day of discovery as {found}
    steps: tuple[tuple[str, int, dict[str, Any]], ...] = ()
    path: str = Path.STRICT
    evidence: str = EVIDENCE
    advice: str = ""  # the report's proposal; from the proposed fine if empty


# the first plan's title marks the demo cases as seeded (a second run changes nothing)
PLANS = [
    # 立案审批, discovered three weeks ago: the 15-day 立案 clock is overdue
    Plan(
        title="涉嫌未采取措施控制无组织排放粉尘案",
        county=JINSHUI,
        prefer=("3011",),
        vtype="AIR-FUGITIVE",
        source=SOURCE.COMPLAINT,
        discovered=21,
        facts="群众通过12345热线举报该公司厂区夜间粉尘弥漫。执法人员于{found}夜间现场核查，发现熟料库"
        "顶部除尘器布袋破损，散装机下料口未设置集气罩，物料输送廊道门窗敞开，厂区道路积尘明显，"
        "未采取有效措施控制工业生产中的无组织排放。",
    ),
    # 不予立案
    Plan(
        title="涉嫌通过雨水排口排放生产废水案",
        county=JINSHUI,
        prefer=("3110",),
        vtype="EVADE-01",
        source=SOURCE.COMPLAINT,
        discovered=27,
        facts="群众举报该公司雨水排放口有黄色污水外排。执法人员于{found}现场核查，并对雨水排口排水"
        "采样监测。",
        steps=(
            (
                S.NOT_FILED,
                23,
                {
                    "note": "经现场核查和采样监测，雨水排口排水为降雨初期厂区地面径流，各项指标均未超过"
                    "排放标准，未发现生产废水混入雨水管网，不予立案；已向举报人反馈核查结果。"
                },
            ),
        ),
    ),
    # 调查取证, filed last week
    Plan(
        title="涉嫌未按照规定设置大气污染物排放口案",
        county=JINSHUI,
        prefer=("3011",),
        vtype="AIR-OUTLET",
        source=SOURCE.OTHER,
        discovered=8,
        facts="执法人员于{found}日常检查发现，该公司2号水泥磨除尘器排气筒未设置永久性采样孔和采样"
        "监测平台，排放口未设置标志牌，不符合排污许可证载明的排放口规范化要求。",
        steps=((S.INVESTIGATING, 6, {}),),
    ),
    # 中止调查: waiting for the hazardous-waste identification
    Plan(
        title="涉嫌擅自倾倒、堆放危险废物案",
        county=JINSHUI,
        prefer=("2651",),
        vtype="HW-03",
        source=SOURCE.COMPLAINT,
        discovered=36,
        facts="接群众举报，执法人员于{found}在该公司厂区东北角空地发现堆放约2.5吨黑色黏稠状废渣，未"
        "采取防雨、防渗措施，周边土壤有明显污染痕迹。企业称系反应釜清理产生的釜残，未纳入危险废物"
        "管理计划。",
        steps=(
            (S.INVESTIGATING, 35, {}),
            (
                S.SUSPENDED,
                21,
                {
                    "note": "涉案废渣是否属于危险废物，须委托有资质的机构进行危险废物鉴别，鉴别期间"
                    "中止案件调查。"
                },
            ),
        ),
    ),
    # 案件审查: the report is in, the reviewer has it
    Plan(
        title="涉嫌未按照规定开展自行监测案",
        county=JINSHUI,
        prefer=("2651",),
        vtype="PERMIT-03",
        source=SOURCE.OTHER,
        discovered=30,
        facts="执法人员于{found}检查发现，该公司排污许可证要求每季度对厂界无组织挥发性有机物开展一次"
        "手工监测，但该公司第二、第三季度均未开展监测，亦不能提供监测报告。",
        evidence="现场检查笔录、调查询问笔录、排污许可证副本、自行监测方案",
        advice="当事人系首次违法，积极配合调查并已委托检测机构补测，建议责令改正，并处罚款3万元。",
        steps=(
            (S.INVESTIGATING, 29, {}),
            (S.REVIEWING, 5, {"proposed_fine": 30_000}),
        ),
    ),
    # 法制审核
    Plan(
        title="涉嫌未按照排污许可证规定排放污染物案",
        county=JINSHUI,
        prefer=("3110",),
        vtype="PERMIT-02",
        source=SOURCE.OTHER,
        discovered=33,
        facts="执法人员于{found}检查发现，该公司在排污许可证载明的排放口之外，新增一根未经许可的高炉"
        "出铁场除尘排气筒并投入使用，污染物未按照排污许可证规定的排放口排放。",
        steps=(
            (S.INVESTIGATING, 31, {}),
            (S.REVIEWING, 12, {"proposed_fine": 260_000}),
            (S.LEGAL_REVIEW, 6, {"note": "拟处罚款数额较大，送局法制审核。"}),
        ),
    ),
    # 事先告知 yesterday: the 陈述申辩 window ends in a few days
    Plan(
        title="涉嫌超过大气污染物排放标准排放大气污染物案",
        county=JINSHUI,
        prefer=("3011",),
        vtype="EXCEED-AIR",
        source=SOURCE.MONITORING,
        discovered=26,
        facts="自动监控数据显示，该公司窑尾排放口{found}氮氧化物小时均值连续6小时超过排放标准限值，"
        "最高超标0.8倍。执法人员次日现场检查，确认脱硝系统氨水喷枪堵塞，调取了中控系统运行记录。",
        evidence="自动监控数据、监测报告、现场检查笔录、调查询问笔录、中控系统运行记录",
        steps=(
            (S.INVESTIGATING, 25, {}),
            (S.REVIEWING, 7, {"proposed_fine": 150_000}),
            (S.NOTIFIED, 1, {"note": "事实清楚，证据确凿，同意按拟处罚意见事先告知。"}),
        ),
    ),
    # 听证: a fine above 20万元, the party asked for a hearing
    Plan(
        title="涉嫌超过水污染物排放标准排放水污染物案",
        county=JINSHUI,
        prefer=("2651",),
        vtype="EXCEED-WATER",
        source=SOURCE.MONITORING,
        discovered=40,
        facts="自动监控数据显示，该公司废水总排口化学需氧量日均值连续3日超标。执法人员于{found}现场"
        "采样，经郑州市生态环境监测中心监测，化学需氧量浓度为186mg/L，超过排污许可证载明的执行"
        "标准限值（100mg/L）0.86倍。",
        evidence="自动监控数据、监测报告、现场检查笔录、调查询问笔录、采样记录",
        steps=(
            (S.INVESTIGATING, 39, {}),
            (S.REVIEWING, 21, {"proposed_fine": 300_000}),
            (S.NOTIFIED, 15, {}),
            (S.HEARING, 12, {"note": "当事人在法定期限内书面申请听证，已受理，拟定期举行听证。"}),
        ),
    ),
    # 集体讨论
    Plan(
        title="涉嫌不正常运行大气污染防治设施案",
        county=JINSHUI,
        prefer=("3110",),
        vtype="EVADE-01",
        source=SOURCE.OTHER,
        discovered=42,
        facts="执法人员于{found}突击检查发现，该公司1号高炉矿槽除尘器停运，生产正常进行，现场粉尘"
        "外逸；调取除尘器运行记录和用电监控数据，显示该除尘器已连续停运3天。",
        evidence="现场检查笔录、调查询问笔录、用电监控数据、除尘器运行记录、现场视频",
        steps=(
            (S.INVESTIGATING, 41, {}),
            (S.REVIEWING, 24, {"proposed_fine": 180_000}),
            (S.NOTIFIED, 18, {}),
            (
                S.DISCUSSION,
                10,
                {
                    "note": "本案社会关注度高，当事人陈述申辩意见较多，提交局案件审查委员会集体讨论。"
                },
            ),
        ),
    ),
    # 处罚决定（待送达）: decided 15 days ago and not served, the 7-day service clock overdue
    Plan(
        title="涉嫌含挥发性有机物废气未按规定收集处理案",
        county=JINSHUI,
        prefer=("2651",),
        vtype="AIR-VOC",
        source=SOURCE.OTHER,
        discovered=44,
        facts="执法人员于{found}检查发现，该公司树脂合成车间投料工序在敞开环境中进行，投料口未设置"
        "集气设施，活性炭吸附装置未按规定更换活性炭，现场有明显有机废气异味。",
        steps=(
            (S.INVESTIGATING, 43, {}),
            (S.REVIEWING, 32, {"proposed_fine": 50_000}),
            (S.NOTIFIED, 26, {}),
            (S.DECIDED, 15, {"fine": 50_000}),
        ),
    ),
    # 执行: served ten days ago, the fine due in a few days
    Plan(
        title="涉嫌超标排放颗粒物案",
        county=JINSHUI,
        prefer=("3110",),
        vtype="EXCEED-AIR",
        source=SOURCE.OTHER,
        discovered=45,
        facts="执法人员于{found}对该公司2号烧结机机尾除尘器排放口开展监督性监测，颗粒物排放浓度为"
        "28mg/m³，超过特别排放限值（20mg/m³）0.4倍。",
        evidence="监测报告、现场检查笔录、调查询问笔录、采样记录",
        steps=(
            (S.INVESTIGATING, 44, {}),
            (S.REVIEWING, 35, {"proposed_fine": 120_000}),
            (S.NOTIFIED, 24, {}),
            (S.DECIDED, 14, {"fine": 120_000}),
            (S.EXECUTING, 10, {}),
        ),
    ),
    # 不予处罚
    Plan(
        title="涉嫌未对易产生扬尘的物料采取覆盖措施案",
        county=JINSHUI,
        prefer=("3011",),
        vtype="AIR-DUST",
        source=SOURCE.OTHER,
        discovered=38,
        facts="执法人员于{found}检查发现，该公司露天堆存的约300吨石灰石原料未采取覆盖措施，堆场四周"
        "未设置防风抑尘网。现场责令整改后，当事人当日即完成苫盖。",
        advice="当事人系初次违法，危害后果轻微并已及时改正，建议不予行政处罚，对当事人进行教育。",
        steps=(
            (S.INVESTIGATING, 37, {}),
            (S.REVIEWING, 20, {}),
            (
                S.NO_PENALTY,
                13,
                {
                    "note": "当事人初次违法且危害后果轻微，并在检查当日完成整改，依据《行政处罚法》"
                    "第三十三条第一款，不予行政处罚，已对当事人进行教育。"
                },
            ),
        ),
    ),
    # 移送涉嫌犯罪
    Plan(
        title="涉嫌通过暗管排放水污染物案",
        county=JINSHUI,
        prefer=("2614",),
        vtype="EVADE-01",
        source=SOURCE.COMPLAINT,
        discovered=31,
        path=Path.TRANSFER,
        facts="接群众举报，执法人员于{found}在该公司厂区围墙外发现一处隐蔽排口，沿管线排查确认该公司"
        "在废水处理站调节池底部私设暗管，将未经处理的生产废水直接排入市政雨水管网。",
        steps=(
            (S.INVESTIGATING, 30, {}),
            (
                S.TRANSFERRED,
                24,
                {
                    "note": "经监测，外排废水中苯胺类浓度超过排放标准十倍以上，当事人涉嫌污染环境罪，"
                    "依据《行政执法机关移送涉嫌犯罪案件的规定》移送郑州市公安局。"
                },
            ),
        ),
    ),
    # 结案审批
    Plan(
        title="涉嫌未保证自动监测设备正常运行案",
        county=JINSHUI,
        prefer=("3110",),
        vtype="AUTOMON-01",
        source=SOURCE.MONITORING,
        discovered=45,
        facts="污染源自动监控平台显示，该公司高炉出铁场排放口在线监测数据中断传输。执法人员于{found}"
        "现场检查发现，颗粒物自动监测设备已故障停运18天，当事人未按规定报告，也未采取人工监测"
        "替代。",
        evidence="自动监控平台数据、运维记录、现场检查笔录、调查询问笔录",
        steps=(
            (S.INVESTIGATING, 44, {}),
            (S.REVIEWING, 36, {"proposed_fine": 50_000}),
            (S.NOTIFIED, 33, {}),
            (S.DECIDED, 27, {"fine": 50_000}),
            (S.EXECUTING, 25, {}),
            (
                S.CLOSING,
                13,
                {
                    "note": "当事人已在规定期限内缴清罚款，自动监测设备已恢复正常运行并与监控平台联网，"
                    "申请结案。"
                },
            ),
        ),
    ),
    # 已结案
    Plan(
        title="涉嫌未建立一般工业固体废物管理台账案",
        county=JINSHUI,
        prefer=("3011",),
        vtype="SW-01",
        source=SOURCE.OTHER,
        discovered=44,
        facts="执法人员于{found}检查发现，该公司未建立一般工业固体废物管理台账，窑灰、废耐火砖等一般"
        "工业固体废物露天堆放于厂区西侧，未采取防扬散、防流失、防渗漏措施。",
        steps=(
            (S.INVESTIGATING, 43, {}),
            (S.REVIEWING, 37, {"proposed_fine": 50_000}),
            (S.NOTIFIED, 35, {}),
            (S.DECIDED, 29, {"fine": 50_000}),
            (S.EXECUTING, 28, {}),
            (S.CLOSING, 14, {"note": "罚款已缴纳，已建立管理台账并规范贮存，申请结案。"}),
            (S.CLOSED, 12, {"note": "同意结案，案卷归档。"}),
        ),
    ),
    # 已撤销
    Plan(
        title="涉嫌未按照规定设置危险废物识别标志案",
        county=JINSHUI,
        prefer=("2614",),
        vtype="HW-01",
        source=SOURCE.OTHER,
        discovered=28,
        facts="执法人员于{found}检查发现，该公司厂区南侧危险废物贮存库未设置危险废物识别标志，库内"
        "废活性炭、废包装桶未分区存放。",
        steps=(
            (S.INVESTIGATING, 27, {}),
            (
                S.REVOKED,
                16,
                {
                    "note": "经进一步调查核实，涉案危险废物贮存库系相邻企业租赁使用，当事人不是违法行为"
                    "主体，撤销立案；相关线索已移交有管辖权的执法人员处理。"
                },
            ),
        ),
    ),
    # 涧西区: one waiting for 立案, one under investigation, one closed without a penalty
    Plan(
        title="涉嫌未保证自动监测设备正常运行案",
        county=JIANXI,
        prefer=("3216", "4411"),
        vtype="AUTOMON-01",
        source=SOURCE.MONITORING,
        discovered=3,
        facts="市污染源自动监控平台显示，截至{found}，该公司排放口二氧化硫在线监测数据已连续48小时"
        "为恒定值，疑似自动监测设备未正常运行。",
    ),
    Plan(
        title="涉嫌未对易产生扬尘的物料采取覆盖措施案",
        county=JIANXI,
        prefer=("3011",),
        vtype="AIR-DUST",
        source=SOURCE.COMPLAINT,
        discovered=18,
        facts="群众举报该公司原料堆场大风天气扬尘严重。执法人员于{found}现场检查发现，煤堆和石灰石"
        "堆场约2000平方米未覆盖，喷淋设施未开启。",
        steps=((S.INVESTIGATING, 16, {}),),
    ),
    Plan(
        title="涉嫌未依法公开环境信息案",
        county=JIANXI,
        prefer=("3110",),
        vtype="DISCLOSE-01",
        source=SOURCE.OTHER,
        discovered=40,
        facts="执法人员于{found}检查发现，该公司作为重点排污单位，未在企业环境信息依法披露系统公开"
        "上一年度主要污染物排放情况和防治污染设施建设运行情况。",
        evidence="现场检查笔录、调查询问笔录、信息披露系统截图",
        advice="当事人已于检查后三日内补充公开，系初次违法且危害后果轻微，建议不予行政处罚。",
        steps=(
            (S.INVESTIGATING, 38, {}),
            (S.REVIEWING, 25, {}),
            (
                S.NO_PENALTY,
                20,
                {"note": "当事人已及时改正，初次违法且危害后果轻微，依法不予行政处罚。"},
            ),
            (S.CLOSING, 18, {}),
            (S.CLOSED, 15, {"note": "同意结案。", "nothing_to_rectify": True}),
        ),
    ),
]

# what a step's note says when the plan gives none
NOTES = {
    S.INVESTIGATING: "同意立案，由{lead}、{second}承办。",
    S.REVIEWING: "调查终结，提交案件审查。",
    S.NOTIFIED: "事实清楚，证据确凿，适用法律正确，同意事先告知。",
    S.DECIDED: "同意按拟处罚意见作出行政处罚决定。",
    S.EXECUTING: "行政处罚决定书已直接送达当事人，送达回证已归档。",
    S.CLOSING: "执行完毕，申请结案。",
    S.CLOSED: "同意结案。",
}


def seed(timeline: Timeline, users: dict[str, User]) -> None:
    load_violation_types()
    campaign = timeline.campaign
    if Case.objects.filter(campaign=campaign, title=PLANS[0].title).exists():
        return
    jinshui = Bureau(
        users["jinshui"], users["jinshui-2"], users["zhengzhou"], users["jinshui-head"]
    )
    jianxi = Bureau(users["jianxi"], users["jianxi-2"], users["luoyang"], users["luoyang"])
    bureaus = {JINSHUI: jinshui, JIANXI: jianxi}
    _classify_jinshui(timeline, jinshui)
    _classify_elsewhere(timeline, users)
    # the cases told in a notice first: a notice tells an enterprise everything ready at once, so
    # a case left before or in review (the demo's 立案审批, 调查取证, 案件审查 …) is opened after them
    ordered = sorted(
        enumerate(PLANS), key=lambda pair: not any(to == S.NOTIFIED for to, *_ in pair[1].steps)
    )
    for index, plan in ordered:
        bureau = bureaus[plan.county]
        vtype = ViolationType.objects.get(code=plan.vtype)
        found = timeline.day(-plan.discovered)
        case = case_services.case_open(
            actor=bureau.lead,
            enterprise=_unit(plan.county, plan.prefer, index),
            title=plan.title,
            source=plan.source,
            discovered_on=found,
            facts=plan.facts.format(found=_cn(found)),
            violation_type=vtype,
            path=plan.path,
            investigators=[bureau.lead, bureau.second],
            campaign=campaign,
        )
        _run(case, bureau, timeline, plan.steps, evidence=plan.evidence, advice=plan.advice)
    _measures(jinshui, timeline)
    _discretion(jinshui, timeline)
    _documents(jinshui, timeline)
    _answer(users)


def _measures(bureau: Bureau, timeline: Timeline) -> None:
    """金水's measures and transfers at work: 按日连续处罚 with a refused re-check, a seal in force,
    a restriction waiting for the plan, a detention transfer handed over, a criminal transfer
    approved and handed over."""
    today = timezone.localdate()
    cases = Case.objects.filter(campaign=timeline.campaign, county__code=JINSHUI)

    def first(status):
        return cases.filter(status=status).order_by("pk").first()

    def day(start: dt.date, days: int) -> dt.date:
        return min(start + dt.timedelta(days=days), today)

    executing = first(S.EXECUTING)
    if executing and executing.fine:
        start = executing.served_on or executing.decided_on
        daily = measure_services.measure_start(
            actor=bureau.lead,
            case=executing,
            kind=Measure.Kind.DAILY,
            on=start,
            detail="拒不改正超标排放，责令立即改正",
        )
        if day(start, 12) > start:
            measure_services.measure_act(
                actor=bureau.lead,
                measure=daily,
                action="recheck",
                on=day(start, 12),
                refused=True,
                note="暗查发现仍在超标排放",
            )
            measure_services.measure_act(
                actor=bureau.lead, measure=daily, action="new_order", on=day(start, 12)
            )
    investigating = first(S.INVESTIGATING)
    if investigating:
        measure_services.measure_start(
            actor=bureau.head,
            case=investigating,
            kind=Measure.Kind.SEAL,
            on=day(investigating.filed_on, 1),
            detail="查封未经验收的喷涂生产线 1 条、危废暂存桶 8 只",
        )
    decided = first(S.DECIDED)
    if decided:
        measure_services.measure_start(
            actor=bureau.head,
            case=decided,
            kind=Measure.Kind.RESTRICT,
            on=decided.decided_on,
            detail="限制生产：窑线产量不超过核定产能的 50%",
        )
    closed = first(S.CLOSING) or executing  # a closed case takes no measure any more
    if closed and closed.decided_on:
        detention = measure_services.measure_start(
            actor=bureau.head,
            case=closed,
            kind=Measure.Kind.DETENTION,
            on=closed.decided_on,
            detail="直接负责的主管人员 1 人",
        )
        measure_services.measure_act(
            actor=bureau.lead,
            measure=detention,
            action="handed_over",
            on=day(closed.decided_on, 1),
        )
    transferred = first(S.TRANSFERRED)
    if transferred:
        start = transferred.events.filter(to_status=S.TRANSFERRED).first()
        on = timezone.localdate(start.at) if start else today
        crime = measure_services.measure_start(
            actor=bureau.lead,
            case=transferred,
            kind=Measure.Kind.CRIME,
            on=max(on, transferred.filed_on),
            detail="非法倾倒危险废物约 5 吨，涉嫌污染环境罪",
        )
        measure_services.measure_act(
            actor=bureau.head, measure=crime, action="approve", on=crime.started_on
        )
        measure_services.measure_act(
            actor=bureau.lead, measure=crime, action="handed_over", on=crime.started_on
        )


def _discretion(bureau: Bureau, timeline: Timeline) -> None:
    """The calculator at work: a reviewed case whose fine it computed, and one where the handler
    set another amount with a reason (flagged for the reviewer and the verification)."""
    cases = Case.objects.filter(
        campaign=timeline.campaign,
        county__code=JINSHUI,
        violation_type__basis=ViolationType.Basis.AMOUNT,
    )
    computed = cases.filter(status=S.REVIEWING).order_by("pk").first()
    if computed:
        discretion_services.discretion_record(
            actor=bureau.lead, case=computed, levels={}, base=None, adjustments=()
        )
    overridden = (
        cases.filter(status__in=(S.LEGAL_REVIEW, S.INVESTIGATING))
        .exclude(pk=computed.pk if computed else None)
        .order_by("-status", "pk")
        .first()
    )
    if overridden:
        result = discretion_services.discretion_compute(
            case=overridden, levels={}, base=None, adjustments=()
        )
        discretion_services.discretion_record(
            actor=bureau.lead,
            case=overridden,
            levels={},
            base=None,
            adjustments=(),
            amount=min(result.amount + 10_000, overridden.violation_type.fine_max),
            reason="当事人在调查中两次拒绝提供台账，酌情提高罚款数额。",
        )


def _documents(bureau: Bureau, timeline: Timeline) -> None:
    """金水's documents: a 立案审批表 for each filed case, the 决定书 of every decided case (served
    where the case says so, with its 送达回证), a 责令改正 order served on the spot."""
    cases = Case.objects.filter(campaign=timeline.campaign, county__code=JINSHUI).order_by("pk")
    for case in cases.filter(status=S.INVESTIGATING)[:2]:
        document_services.document_issue(
            actor=bureau.lead, case=case, kind="filing", on=case.filed_on
        )
        document_services.document_issue(
            actor=bureau.lead,
            case=case,
            kind="order",
            on=case.filed_on,
            correction="立即停止违法行为，按要求完成整改",
            evidence=DOCUMENT_EVIDENCE,
        )
    decided = (S.DECIDED, S.EXECUTING, S.CLOSING, S.CLOSED)
    for case in cases.filter(status__in=decided, decided_on__isnull=False, fine__isnull=False):
        decision = document_services.document_issue(
            actor=bureau.lead,
            case=case,
            kind="decision",
            on=case.decided_on,
            evidence=DOCUMENT_EVIDENCE,
        )
        if case.served_on:
            document_services.document_serve(
                actor=bureau.lead,
                document=decision,
                served_on=case.served_on,
                method=Notice.Method.DIRECT,
                recipient=case.enterprise.legal_representative or "企业负责人",
            )


def _answer(users: dict[str, User]) -> None:
    """郑州's demo enterprise answers its latest served notice online (late, if its window ran out:
    then the bureau sees it marked 逾期)."""
    user = users["ent-zz"]
    notice = (
        Notice.objects.filter(enterprise__users=user, status=Notice.Status.SERVED)
        .order_by("-served_on", "-pk")
        .first()
    )
    if notice is None or notice.replies.exists():
        return
    notice_services.reply_submit(
        actor=user,
        notice=notice,
        kind=Reply.Kind.STATEMENT,
        text="我公司对检查发现的问题高度重视，已于收到告知书后立即组织整改，相关设施已恢复正常运行。"
        "我公司系初次违法，积极配合调查，请求依法从轻处罚。附：整改情况说明及照片。",
    )


def _unit(county: str, prefer: tuple[str, ...], index: int) -> Enterprise:
    units = list(Enterprise.objects.filter(county__code=county).order_by("pk"))
    fits = [u for u in units if u.industry.code in prefer]
    return fits[0] if fits else units[index % len(units)]


def _open_problems(**filters):
    """Primary problems still to be classified (not in a case, not classified yet)."""
    return (
        Problem.objects.filter(
            primary__isnull=True,
            status__in=[Problem.Status.OPEN, Problem.Status.RECTIFYING],
            classification__isnull=True,
            case_links__isnull=True,
            **filters,
        )
        .select_related("item", "enterprise")
        .order_by("pk")
    )


def _classify_jinshui(timeline: Timeline, bureau: Bureau) -> None:
    """金水's unit with the most violations: two of them in cases (one strict, one lenient), one
    exempt, and its management gaps under guidance; the rest is left for the user to classify."""
    problems = list(_open_problems(campaign=timeline.campaign, county__code=JINSHUI))
    typed = [
        p
        for p in problems
        if p.kind == ProblemKind.VIOLATION and case_services.suggest_violation_type(p)
    ]
    if not typed:
        return
    unit = max(
        {p.enterprise_id for p in typed}, key=lambda e: sum(p.enterprise_id == e for p in typed)
    )
    mine = [p for p in problems if p.enterprise_id == unit]
    violations = [p for p in mine if p.kind == ProblemKind.VIOLATION]
    gaps = [p for p in mine if p.kind != ProblemKind.VIOLATION][:2]
    found_here = [p for p in typed if p.enterprise_id == unit and not p.self_found]
    self_found = [p for p in typed if p.enterprise_id == unit and p.self_found]
    team = [bureau.lead, bureau.second]
    if gaps:
        classify(
            actor=bureau.lead,
            problems=gaps,
            path=Path.GUIDANCE,
            reason="管理制度缺失，不属于环境违法行为；下达行政指导意见书，督促企业一个月内建立"
            "制度并报分局备案。",
        )
    if found_here:
        problem = found_here[0]
        classify(
            actor=bureau.lead,
            problems=[problem],
            path=Path.STRICT,
            reason="现场检查发现，企业自查未报告，情节较重，依法严格处理。",
            investigators=team,
        )
        _run(
            _case_of(problem),
            bureau,
            timeline,
            ((S.INVESTIGATING, 10, {}), (S.REVIEWING, 4, {"proposed_fine": 120_000})),
        )
    if self_found:
        problem = self_found[0]
        classify(
            actor=bureau.lead,
            problems=[problem],
            path=Path.LENIENT,
            reason="企业自查主动报告并正在整改，但已造成违法事实，不符合免予处罚条件，从轻处罚。",
            investigators=team,
        )
        # both cases and the management gaps in one notice served two days ago (一次全部告知):
        # the 陈述申辩 window ends in the next days
        _run(
            _case_of(problem),
            bureau,
            timeline,
            (
                (S.INVESTIGATING, 9, {}),
                (S.REVIEWING, 4, {"proposed_fine": 80_000}),
                (S.NOTIFIED, 2, {}),
            ),
            evidence="企业自查表、现场检查笔录、调查询问笔录、项目立项及建设资料",
            advice="当事人自查主动报告、积极整改，依法从轻处罚，建议责令改正，并按项目总投资额"
            "800万元的1%处罚款8万元。",
        )
    rest = [p for p in violations if p not in found_here[:1] + self_found[:1]]
    minor = [p for p in rest if p.severity == Problem.Severity.MINOR and p.self_found]
    if minor:
        exempt = classify(
            actor=bureau.lead,
            problems=minor[:1],
            path=Path.EXEMPT,
            reason="首次违法、情节轻微，企业自查发现并已提交整改材料，签署承诺书，免予处罚，"
            "整改完成后复查。",
        )[0]
        # the 承诺书 came back signed a week ago; the on-site check falls due in three weeks
        exemption_commitment(
            actor=bureau.lead,
            classification=exempt,
            signed_on=timeline.day(-7),
            file=SimpleUploadedFile("承诺书.pdf", COMMITMENT_PDF, "application/pdf"),
        )


def _classify_elsewhere(timeline: Timeline, users: dict[str, User]) -> None:
    """郑州's city bureau classifies a unit's problems in another county: its management gap under
    guidance, a violation it puts on a path other than the one suggested (with the reason)."""
    city = users["zhengzhou"]
    problems = list(
        _open_problems(campaign=timeline.campaign, city=city.region).exclude(county__code=JINSHUI)
    )
    if not problems:
        return
    unit = problems[0].enterprise_id
    mine = [p for p in problems if p.enterprise_id == unit]
    gaps = [p for p in mine if p.kind != ProblemKind.VIOLATION][:1]
    typed = [
        p
        for p in mine
        if p.kind == ProblemKind.VIOLATION and case_services.suggest_violation_type(p)
    ]
    if gaps:
        classify(
            actor=city,
            problems=gaps,
            path=Path.GUIDANCE,
            reason="管理制度问题，下达行政指导意见书，督促限期整改。",
        )
    if typed:
        # registered, awaiting 立案: the 立案 clock ran from the day the self-check reported it
        classify(
            actor=city,
            problems=typed[:1],
            path=Path.LENIENT,
            reason="变动后的项目已投入生产，不属于情节轻微，不适用免予处罚；企业自查主动报告并"
            "正在补办环评手续，从轻处罚。",
            investigators=[city, users["jinshui-2"]],
        )


def _case_of(problem: Problem) -> Case:
    return Case.objects.get(case_problems__problem=problem)


def _run(
    case: Case,
    bureau: Bureau,
    timeline: Timeline,
    steps: tuple[tuple[str, int, dict[str, Any]], ...],
    *,
    evidence: str = EVIDENCE,
    advice: str = "",
) -> Case:
    """Take the steps in date order (never in the future), each by the person the step needs."""
    today = timezone.localdate()
    calendar = WorkingCalendar()
    last = case.discovered_on
    for to, days_ago, extra in steps:
        on = timeline.day(-days_ago)
        while not calendar.is_working_day(on):  # the bureau acts on working days
            on -= dt.timedelta(days=1)
        on = min(max(on, last), today)
        _, who = case_services.STEPS[(case.status, to)]
        data = dict(extra)
        note = NOTES.get(to, "").format(lead=bureau.lead, second=bureau.second)
        data.setdefault("note", note)
        if to == S.REVIEWING and case.status == S.INVESTIGATING:
            data["reviewer"] = bureau.reviewer
            data["report"] = _report(case, evidence, advice, data.get("proposed_fine"))
        if to == S.NOTIFIED:  # one notice for everything of the enterprise (一次全部告知)
            _notify(case.enterprise, bureau, on)
            case.refresh_from_db()
            last = on
            continue
        if to == S.DECIDED:
            on, data["party_waived"] = _after_statement(case, on, today)
        case = case_services.case_step(
            actor=bureau.actor(who), case=case, to=to, on=on, expected=case.status, **data
        )
        last = on
    return case


def _notify(enterprise: Enterprise, bureau: Bureau, on: dt.date) -> Notice:
    """Draft the enterprise's combined notice and serve it on `on`, signed for by its manager."""
    notice = notice_services.notice_draft(actor=bureau.lead, enterprise=enterprise)
    return notice_services.notice_serve(
        actor=bureau.lead,
        notice=notice,
        served_on=on,
        method=Notice.Method.DIRECT,
        recipient=enterprise.legal_representative or "企业环保负责人",
    )


def _after_statement(case: Case, on: dt.date, today: dt.date) -> tuple[dt.date, bool]:
    """A decision waits for the 陈述申辩 window to end; where it would still be running (a long
    holiday), the party waived it in writing."""
    statement = case.deadlines.filter(key="statement", done_on__isnull=True).first()
    if statement is None or on > statement.due_date:
        return on, False
    later = statement.due_date + dt.timedelta(days=1)
    return (later, False) if later <= today else (on, True)


def _report(case: Case, evidence: str, advice: str, fine: int | None) -> str:
    vtype = case.violation_type
    advice = advice or (
        f"建议责令改正，并处罚款{fine / 10_000:g}万元。" if fine else "建议责令改正。"
    )
    return (
        f"经调查查明：{case.facts}\n"
        f"上述事实有{evidence}等证据证实。\n"
        f"当事人的上述行为违反了{vtype.violated}的规定。依据{vtype.punished}，"
        f"{vtype.range_text}。{advice}"
    )


def _cn(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
