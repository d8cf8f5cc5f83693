"""Demo data for stage 4: one plan per enterprise (一企一案) in 金水, 惠济 and 涧西, items in every
state, and one 攻坚 facility task turned, with the bureau's confirmation, into a case.

赵磊 (`jinshui`) supervises the items of 郑州昌盛新材料 (`ent-zz`'s unit): one closed, one closed with a
condition skipped (flagged), one applied for 销号, one returned with a reason, one in progress on a
milestone, one with a granted extension, one overdue with an extension waiting, one overdue long
enough to be escalated to 郑州 (`zhengzhou`), one due within days. 中原化工's and 东方热电's
self-found problems wait in plans not started (two of them with their cases). 洛阳 set
its own rectification window, which ended yesterday: 洛阳涧西's unfinished 攻坚 task became a
proposal that 涧西 (`jianxi`) confirmed (a case awaits 立案), another waits on the proposals page.
Every record goes through the services; the dates are placed around today.
"""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from campaign.models import Region, StageWindow, User
from campaign.services import jobs as job_services
from demo.campaign import Timeline
from enterprises.models import Enterprise
from inspections.catalogue import catalogue_for
from inspections.models import Problem
from inspections.services import ledger
from rectification.models import FacilityProposal, RectificationItem, RectificationPlan
from rectification.services import guidance as guidance_services
from rectification.services import plan as services
from rectification.services import verification

S = RectificationItem.Status
JINSHUI, HUIJI, JIANXI = "410105", "410108", "410305"
REPORT_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
# where 郑州中原化工 stands (金水区, 113.66 E 34.80 N): the photos' place as the phone kept it
PLACE = {"latitude": "34.801200", "longitude": "113.662300"}


def _photo(name: str, colour: str) -> SimpleUploadedFile:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (640, 480), colour)
    ImageDraw.Draw(image).rectangle((80, 80, 560, 400), outline="white", width=8)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=70)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, REPORT_PDF, content_type="application/pdf")


def seed(timeline: Timeline, users: dict[str, User]) -> None:
    campaign = timeline.campaign
    if RectificationPlan.objects.filter(campaign=campaign).exists():
        return
    version = catalogue_for(campaign)
    if version is None:
        return
    today = timezone.localdate()
    items = {i.code: i for i in version.items.all()}
    jinshui, jianxi = users["jinshui"], users["jianxi"]
    ent_zz = Enterprise.objects.get(users__username="ent-zz")
    ent_ly = Enterprise.objects.get(users__username="ent-ly")

    def found(enterprise, code, source, description, days_ago, by, **extra):
        return ledger.problem_record(
            actor=by,
            campaign=campaign,
            enterprise=enterprise,
            item=items[code],
            source=source,
            description=description,
            found_at=timeline.at(-days_ago),
            found_by=by,
            **extra,
        )

    # ent-zz's unit: found on the inspection a month ago, and by the other routes since, so its
    # plan gathers every source and its items can show every state
    inspected = {
        "GL-14": "危险废物管理制度未及时修订，未组织培训",
        "HF-07": "排污登记信息与实际不符，未办理变更",
        "GL-01": "环保责任制未明确各岗位职责",
        "HF-12": "未按要求开展强制性清洁生产审核",
        "GL-05": "未建立环保投入台账",
        "GL-10": "未建立隐患排查整改台账",
        "HF-01": "二期车间未依法报批环评擅自开工",
    }
    for code, description in inspected.items():
        if code in items:
            found(ent_zz, code, Problem.Source.INSPECTION, description, 30, jinshui)
    found(
        ent_zz,
        "SS-04",
        Problem.Source.COMPLAINT,
        "群众举报厂区东侧废气异味，核实活性炭吸附装置未按期更换活性炭",
        25,
        jinshui,
    )
    found(
        ent_zz,
        "SS-13",
        Problem.Source.MONITORING,
        "在线监控数据显示颗粒物小时均值连续超标，自动监控设施校准记录缺失",
        22,
        jinshui,
    )
    other_js = Enterprise.objects.filter(county__code=JINSHUI).exclude(pk=ent_zz.pk).order_by("pk")
    for index, enterprise in enumerate(other_js[:2]):
        found(
            enterprise,
            "HF-09",
            Problem.Source.INSPECTION,
            "未按排污许可证要求建立环境管理台账",
            18 - index,
            jinshui,
        )
    found(
        ent_ly, "SS-28", Problem.Source.INSPECTION, "未按攻坚方案完成锅炉低氮燃烧改造", 60, jianxi
    )
    found(ent_ly, "GL-13", Problem.Source.INSPECTION, "治理设施操作规程未上墙", 60, jianxi)
    other_jx = (
        Enterprise.objects.filter(county__code=JIANXI).exclude(pk=ent_ly.pk).order_by("pk").first()
    )
    if other_jx is not None:
        found(
            other_jx,
            "SS-28",
            Problem.Source.INSPECTION,
            "VOCs 综合治理提标改造未按期完成",
            55,
            jianxi,
        )

    # 登记造册: each bureau its region, in one go (金水 by the button's background job, which its
    # 我的任务 lists as finished)
    build = job_services.job_start(actor=jinshui, kind="rectification.plans.build", params={})
    job_services.job_run(build.pk)  # here, not on commit
    services.plans_build(actor=users["zhengzhou"], region=Region.objects.get(code=HUIJI))
    services.plans_build(actor=jianxi, region=Region.objects.get(code=JIANXI))

    _zhongyuan(ent_zz, users, timeline, today)
    _jianxi(ent_ly, other_jx, users, timeline, today)
    _guidance(users, ent_zz, other_js, timeline)


def _deadline(item: RectificationItem, offset: int, today: dt.date) -> dt.date:
    """`offset` days from today, but never before the problem was found."""
    found = timezone.localdate(item.problem.found_at)
    return max(today + dt.timedelta(days=offset), found)


def _zhongyuan(enterprise: Enterprise, users: dict[str, User], timeline: Timeline, today) -> None:
    jinshui, second, ent = users["jinshui"], users["jinshui-2"], users["ent-zz"]
    plan = RectificationPlan.objects.get(campaign=timeline.campaign, enterprise=enterprise)
    by_code = {i.problem.item.code: i for i in plan.items.select_related("problem__item")}
    plans = {
        # code: (deadline offset, measures, milestones as (offset, title))
        "GL-14": (-5, ["修订危险废物管理制度", "组织全员培训"], []),
        "HF-07": (10, ["补办排污登记变更", "完善自行监测方案"], [(-3, "变更材料报送")]),
        "HF-01": (
            30,
            ["停止违法排污行为", "依法补办环评手续"],
            [(-6, "环评单位进场"), (20, "环评报告报批")],
        ),
        "GL-01": (15, ["明确环保责任人及岗位职责"], []),
        "HF-12": (-12, ["开展强制性清洁生产审核"], [(-20, "审核机构确定")]),
        "GL-05": (5, ["建立环保投入台账"], []),
        "GL-10": (-2, ["建立隐患排查整改台账"], []),
        "SS-04": (4, ["更换活性炭", "建立活性炭更换台账"], [(2, "活性炭更换完成")]),
        "SS-13": (-1, ["自动监控设施校准", "补齐校准记录"], []),
    }
    for code, (offset, measures, milestones) in plans.items():
        item = by_code.get(code)
        if item is None:
            continue
        values = {
            "deadline": _deadline(item, offset, today),
            "supervisor": jinshui,
            "funds": "3.50",
        }
        if item.requirement_source:  # the case's order decides the requirement and its date
            values.pop("deadline")
        services.item_update(
            actor=jinshui,
            item=item,
            values=values,
            measures=measures or None,
            milestones=[(title, _deadline(item, o, today)) for o, title in milestones] or None,
        )
        services.item_update(
            actor=ent,
            item=item,
            values={"responsible": "吴华", "responsible_phone": "13803710001"},
        )

    # read again: the services above worked on their own locked copies
    by_code = {i.problem.item.code: i for i in plan.items.select_related("problem__item")}

    def done_all(item):
        for measure in item.measures.all():
            services.measure_done(
                actor=ent,
                item=item,
                measure=measure,
                done_on=timezone.localdate(item.problem.found_at) + dt.timedelta(days=3),
            )

    def photo(item, name, colour):
        services.evidence_attach(
            actor=ent,
            item=item,
            kind="photo",
            upload=_photo(name, colour),
            meta={"taken_at": timeline.at(-4, 9, 30).isoformat(), **PLACE, "note": "整改后现场"},
        )

    def check(item, close, conclusion, reason="", offset=-1):
        verification.item_check(
            actor=jinshui,
            item=item,
            method="site",
            checked_on=max(
                today + dt.timedelta(days=offset), timezone.localdate(item.problem.found_at)
            ),
            officers=[jinshui, second],
            conclusion=conclusion,
            close=close,
            reason=reason,
        )

    # closed: every condition met
    if item := by_code.get("GL-14"):
        done_all(item)
        photo(item, "危废制度上墙.jpg", "#3a6")
        services.item_apply(actor=ent, item=item, note="制度已修订并完成培训")
        check(item, True, "现场核查：制度已修订上墙，培训记录齐全", offset=-2)
    # closed with a condition skipped: flagged for the cross-region verification
    if item := by_code.get("SS-13"):
        services.evidence_attach(
            actor=ent, item=item, kind="monitoring", upload=_pdf("比对监测报告.pdf")
        )
        check(
            item,
            True,
            "书面核查：比对监测合格",
            reason="校准记录正在补齐，监测数据已达标，先行销号",
        )
    # applied, waiting for the check
    if item := by_code.get("HF-07"):
        done_all(item)
        photo(item, "排污登记变更回执.jpg", "#58a")
        services.evidence_attach(
            actor=ent, item=item, kind="acceptance", upload=_pdf("排污登记变更回执.pdf")
        )
        services.item_apply(actor=ent, item=item, note="已完成排污登记变更")
    # returned with a reason the enterprise sees
    if item := by_code.get("GL-01"):
        done_all(item)
        photo(item, "责任制文件.jpg", "#a85")
        services.item_apply(actor=ent, item=item)
        check(
            item,
            False,
            "书面核查：责任制文件未经主要负责人签发",
            reason="请上传主要负责人签发的责任制文件",
        )
    # in progress on a milestone, with an extension refused
    if item := by_code.get("HF-01"):
        milestone = item.milestones.first()
        services.progress_report(
            actor=ent,
            item=item,
            text="环评单位已进场开展现状监测",
            on=milestone.due_on,
            milestone=milestone,
            milestone_done=True,
            uploads=[
                (
                    "photo",
                    _photo("环评现场监测.jpg", "#468"),
                    {**PLACE, "taken_at": timeline.at(-6, 15).isoformat()},
                )
            ],
        )
        ext = services.extension_request(
            actor=ent,
            item=item,
            reason="环评审批周期较长",
            deadline=item.deadline + dt.timedelta(days=60),
        )
        services.extension_decide(
            actor=jinshui, extension=ext, grant=False, note="环评报批时限不变，请加快进度"
        )
    # a granted extension
    if item := by_code.get("GL-05"):
        services.progress_report(actor=ent, item=item, text="财务部门正在整理环保投入凭证")
        ext = services.extension_request(
            actor=ent,
            item=item,
            reason="年度审计占用财务人员，需延后两周",
            deadline=item.deadline + dt.timedelta(days=14),
        )
        services.extension_decide(actor=jinshui, extension=ext, grant=True, note="同意延期两周")
    # overdue (the daily job marks them): the job's run of ten days ago marked the long-overdue
    # one, which this morning's run escalates to the city; one has an extension waiting
    verification.overdue_run(today - dt.timedelta(days=10))
    verification.overdue_run(today)
    if item := by_code.get("GL-10"):
        services.extension_request(
            actor=ent,
            item=RectificationItem.objects.get(pk=item.pk),
            reason="整改台账模板待上级下发",
            deadline=today + dt.timedelta(days=10),
        )


def _jianxi(ent_ly, other, users: dict[str, User], timeline: Timeline, today) -> None:
    """洛阳's own rectification window ended yesterday: the unfinished 攻坚 tasks become proposals;
    涧西 confirms one (a case for 立案审批), the other waits."""
    jianxi = users["jianxi"]
    luoyang = Region.objects.get(code="4103")
    StageWindow.objects.update_or_create(
        campaign=timeline.campaign,
        stage=StageWindow.Stage.RECTIFICATION,
        city=luoyang,
        defaults={"starts_on": timeline.day(-70), "ends_on": timeline.day(-1)},
    )
    for enterprise in (ent_ly, other):
        if enterprise is None:
            continue
        plan = RectificationPlan.objects.get(campaign=timeline.campaign, enterprise=enterprise)
        for item in plan.items.select_related("problem"):
            services.item_update(
                actor=jianxi,
                item=item,
                values={"deadline": _deadline(item, -20, today), "supervisor": jianxi},
                measures=["完成改造工程", "验收监测"] if item.facility_task else ["操作规程上墙"],
            )
    verification.overdue_run(today)
    proposal = FacilityProposal.objects.filter(item__plan__enterprise=ent_ly).first()
    if proposal is not None:
        verification.proposal_confirm(
            actor=jianxi,
            proposal=proposal,
            note="攻坚任务逾期未完成，按未建设污染防治设施处理",
            investigators=[jianxi, users["jianxi-2"]],
        )


def _guidance(users: dict[str, User], ent_zz: Enterprise, others, timeline: Timeline) -> None:
    jinshui = users["jinshui"]
    guidance_services.guidance_record(
        actor=jinshui,
        kind="visit",
        held_on=timeline.day(-8),
        topic="危险废物规范化管理帮扶",
        enterprises=[ent_zz],
        officers=[jinshui, users["jinshui-2"]],
        attendees=6,
        attendee_names="吴华（环保负责人）等 6 人",
    )
    guidance_services.guidance_record(
        actor=jinshui,
        kind="training",
        held_on=timeline.day(-15),
        topic="环保知识进企业：排污许可与环境管理台账",
        enterprises=[ent_zz, *others[:2]],
        officers=[jinshui],
        attendees=23,
        material=_pdf("排污许可培训讲义.pdf"),
    )
