"""Demo data for the campaign's organisation: the 2020 roster as the plan publishes it, pools,
liaisons, integrity texts, assignments in every state, and complaints in every status."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from campaign.models import (
    Assignment,
    Campaign,
    Complaint,
    IntegrityDocument,
    LiaisonPerson,
    LiaisonTable,
    PoolMembership,
    Region,
    RosterGroup,
    RosterMember,
    StageWindow,
    User,
)
from campaign.models.integrity import SELF_CHECK_ITEMS
from campaign.services import complaints as complaint_services
from campaign.services import integrity as integrity_services
from demo.campaign import Timeline

P = RosterMember.Position

# 二、组织领导 of the 2020 plan, names and positions as published
ROSTER_2020 = [
    (
        "领导小组",
        RosterGroup.Kind.LEADERSHIP,
        "",
        [
            (P.LEADER, ["王仲田"]),
            (P.DEPUTY, ["王喜云", "杨继成", "师伟", "焦飞", "王朝军", "薛崇林", "李验胜"]),
            (
                P.MEMBER,
                [
                    "党鑫",
                    "魏金春",
                    "刘一凡",
                    "李莉",
                    "郭军海",
                    "邵丰收",
                    "韩晓晗",
                    "郜国玉",
                    "丁晓阳",
                    "赵杰",
                    "于莉",
                    "江振山",
                    "邹至悝",
                    "张林玉",
                ],
            ),
        ],
    ),
    (
        "指挥管理组",
        RosterGroup.Kind.WORKING_GROUP,
        "负责建立各级微信工作群，畅通通讯渠道，指导执法行动顺利开展，及时解决现场执法中的各种问题。",
        [(P.HEAD, ["李国敏"])],
    ),
    (
        "专家咨询组",
        RosterGroup.Kind.WORKING_GROUP,
        "组织行业专业人员进行行业工艺、产污环节、污染防治设施的运行等现场问题的解答。",
        [(P.HEAD, ["魏金春"])],
    ),
    (
        "资料调度汇总组",
        RosterGroup.Kind.WORKING_GROUP,
        "负责各检查组资料收集、整理，汇总执法行动工作情况和视频资料，编写简报，撰写一体化执法活动工作总结。",
        [(P.HEAD, ["王玉香"])],
    ),
    (
        "巡查组",
        RosterGroup.Kind.WORKING_GROUP,
        "对专项行动期间廉洁纪律遵守情况实施巡查监督。",
        [(P.HEAD, ["高群"])],
    ),
    (
        "领导小组办公室",
        RosterGroup.Kind.OFFICE,
        "设在省生态环境执法监督局。",
        [
            (P.DIRECTOR, ["李国敏"]),
            (
                P.MEMBER,
                [
                    "杜连海",
                    "王玉香",
                    "张银明",
                    "江水",
                    "陈大传",
                    "刘爱琴",
                    "赵明辉",
                    "付斐",
                    "马成名",
                    "韩国民",
                    "荆国一",
                ],
            ),
        ],
    ),
]

RULES_TEXT = """一、异地执法检查（督查）人员应严格执行中央八项规定精神和党风廉政建设有关要求，遵守《生态环境部督查和巡查工作纪律规定》（试行）。
二、检查期间严禁参加与工作无关的活动，严禁接受宴请、礼品，严禁饮酒打牌。
三、按规定标准安排食宿，不得接受被检查地区和单位安排的超标准接待。
四、与被检查单位及其负责人有利害关系的，应当主动申请回避。
五、严守工作秘密，不得泄露检查计划、检查情况和处理意见。
六、检查组期间凡违反廉政纪律的，立即进行追责，从严从重从快处理。"""

COMMITMENT_TEXT = """本人参加{year}年度排污单位一体化专项执法异地执法检（督）查工作，郑重承诺：
一、严格遵守中央八项规定精神和《河南省异地执法检查（督查）廉政管理工作规定》；
二、不参加与工作无关的活动，不接受宴请、礼品、礼金，检查期间不饮酒、不打牌；
三、按规定标准食宿，自觉接受监督；
四、与被检查单位有利害关系的主动申请回避；
五、严守工作秘密，不跑风漏气。
如有违反，愿接受组织处理。"""


def seed(timeline: Timeline, users: dict[str, User]) -> None:
    campaign = timeline.campaign
    _calendar(timeline)
    _roster(campaign, users)
    _pools(campaign, users)
    _liaisons(timeline, users)
    _integrity(timeline, users)
    _complaints(timeline, users)


def _calendar(timeline: Timeline) -> None:
    # 郑州 set its own inspection window, a week later and a fortnight longer (the plan allows it
    # per city)
    zhengzhou = Region.objects.get(level="city", code="4101")
    inspection = StageWindow.Stage.INSPECTION
    StageWindow.objects.get_or_create(
        campaign=timeline.campaign,
        stage=inspection,
        city=zhengzhou,
        defaults={
            "starts_on": timeline.starts(inspection) + dt.timedelta(days=5),
            "ends_on": timeline.ends(inspection) + dt.timedelta(days=14),
        },
    )


def _roster(campaign: Campaign, users: dict[str, User]) -> None:
    for order, (name, kind, duties, positions) in enumerate(ROSTER_2020, start=1):
        group, created = RosterGroup.objects.get_or_create(
            campaign=campaign, name=name, defaults={"kind": kind, "duties": duties, "order": order}
        )
        if not created:
            continue
        number = 0
        for position, names in positions:
            for person in names:
                number += 1
                RosterMember.objects.create(
                    group=group,
                    name=person,
                    position=position,
                    order=number,
                    user=users["patrol"] if person == "高群" else None,
                )


def _pools(campaign: Campaign, users: dict[str, User]) -> None:
    Pool = PoolMembership.Pool
    entries = [
        (Pool.INSPECTORS, "jinshui", True),
        (Pool.INSPECTORS, "jianxi", True),
        (Pool.INSPECTORS, "zhengzhou", True),
        (Pool.INSPECTORS, "luoyang", False),
        (Pool.SKILLED, "jianxi", True),
        (Pool.SKILLED, "zhengzhou", True),
        (Pool.SKILLED, "kaifeng-1", True),
        (Pool.SKILLED, "anyang-1", True),
        (Pool.SKILLED, "xinxiang-1", False),
        (Pool.SKILLED, "nanyang-1", True),
        (Pool.EXPERTS, "expert", False),
    ]
    for pool, username, lead in entries:
        PoolMembership.objects.get_or_create(
            campaign=campaign,
            pool=pool,
            user=users[username],
            defaults={"lead_qualified": lead, "added_by": users["admin"]},
        )


def _liaisons(timeline: Timeline, users: dict[str, User]) -> None:
    # on time, late and (all other cities) missing
    campaign = timeline.campaign
    due = (timezone.localtime(campaign.liaison_deadline).date() - timeline.today).days
    plans = [
        (
            "4101",
            users["zhengzhou"],
            timeline.at(due - 5),
            [
                (
                    "张伟",
                    "郑州市生态环境局 副局长",
                    LiaisonPerson.Duty.LEADER,
                    "0371-67181234",
                    "13903711234",
                    "zzhb_zf@163.com",
                ),
                (
                    "刘洋",
                    "郑州市生态环境局 执法支队科长",
                    LiaisonPerson.Duty.CONTACT,
                    "0371-67185678",
                    "13837105678",
                    "zz_liuyang@163.com",
                ),
            ],
        ),
        (
            "4103",
            users["luoyang"],
            timeline.at(due + 5, 16),
            [
                (
                    "陈静",
                    "洛阳市生态环境局 执法支队副支队长",
                    LiaisonPerson.Duty.CONTACT,
                    "0379-63221234",
                    "13938861234",
                    "ly_chenjing@163.com",
                ),
            ],
        ),
        (
            "4102",
            users["kaifeng-1"],
            timeline.at(due - 2, 11),
            [
                (
                    "马骏",
                    "开封市生态环境局 执法支队",
                    LiaisonPerson.Duty.CONTACT,
                    "0371-23881234",
                    "13569561234",
                    "kf_majun@163.com",
                ),
            ],
        ),
    ]
    for code, by, at, people in plans:
        city = Region.objects.get(level="city", code=code)
        table, created = LiaisonTable.objects.get_or_create(
            campaign=campaign,
            city=city,
            defaults={
                "submitted_at": at,
                "submitted_by": by,
                "is_late": bool(campaign.liaison_deadline and at > campaign.liaison_deadline),
            },
        )
        if created:
            for order, (name, unit, duty, office, mobile, email) in enumerate(people, start=1):
                LiaisonPerson.objects.create(
                    table=table,
                    name=name,
                    unit_position=unit,
                    duty=duty,
                    office_phone=office,
                    mobile=mobile,
                    email=email,
                    order=order,
                )


def _integrity(timeline: Timeline, users: dict[str, User]) -> None:
    campaign = timeline.campaign
    admin = users["admin"]
    Kind = IntegrityDocument.Kind
    if not IntegrityDocument.objects.filter(campaign=campaign).exists():
        integrity_services.integrity_document_publish(
            actor=admin,
            campaign=campaign,
            kind=Kind.RULES,
            title="河南省异地执法检查（督查）廉政管理工作规定",
            body=RULES_TEXT,
        )
        integrity_services.integrity_document_publish(
            actor=admin,
            campaign=campaign,
            kind=Kind.COMMITMENT,
            title="异地执法检（督）查期间廉洁自律承诺书",
            body=COMMITMENT_TEXT.format(year=campaign.year),
        )
    if Assignment.objects.filter(campaign=campaign).exists():
        return
    province = users["province"]
    city = {c.code: c for c in Region.objects.filter(level="city")}
    title = "重点排污单位一体化执法异地交叉核查"

    def make(username: str, dest: str, start: dt.date, end: dt.date) -> Assignment:
        return integrity_services.assignment_create(
            actor=province,
            campaign=campaign,
            user=users[username],
            title=title,
            destination=city[dest],
            starts_on=start,
            ends_on=end,
        )

    # cross-region inspection visits of the current stage: one finished and self-checked, one
    # signed late with an explained issue, one signed and under way, one never signed; then the
    # demo users' own: 金水's next week (sign it in the browser), 郑州's just ended (self-check it)
    done = make("jianxi", "4101", timeline.day(-18), timeline.day(-9))
    integrity_services.commitment_sign(
        actor=users["jianxi"],
        assignment=done,
        signed_name="孙涛",
        ip_address="10.41.3.25",
        user_agent="Mozilla/5.0 (Linux; Android 10)",
        at=timeline.at(-21, 9, 12),
    )
    integrity_services.integrity_self_check_submit(
        actor=users["jianxi"],
        assignment=done,
        at=timeline.at(-7),
        answers={key: {"ok": True, "note": ""} for key, _ in SELF_CHECK_ITEMS},
    )
    late = make("kaifeng-1", "4103", timeline.day(-18), timeline.day(-9))
    integrity_services.commitment_sign(
        actor=users["kaifeng-1"],
        assignment=late,
        signed_name="马骏",
        ip_address="10.41.2.8",
        at=timeline.at(-17, 8, 30),
    )
    answers = {key: {"ok": True, "note": ""} for key, _ in SELF_CHECK_ITEMS}
    reported = timeline.day(-16)
    answers["recusal"] = {
        "ok": False,
        "note": f"被核查单位之一的环保负责人系本人大学同学，已于 {reported.month} 月 "
        f"{reported.day} 日向组长报告并调整分工。",
    }
    integrity_services.integrity_self_check_submit(
        actor=users["kaifeng-1"], assignment=late, answers=answers, at=timeline.at(-8)
    )
    signed_only = make("anyang-1", "4107", timeline.day(-3), timeline.day(7))
    integrity_services.commitment_sign(
        actor=users["anyang-1"],
        assignment=signed_only,
        signed_name="冯雪",
        at=timeline.at(-6, 16),
    )
    make("nanyang-1", "4105", timeline.day(5), timeline.day(15))
    make("jinshui", "4103", timeline.day(7), timeline.day(17))
    make("zhengzhou", "4105", timeline.day(-20), timeline.day(-5))


def _complaints(timeline: Timeline, users: dict[str, User]) -> None:
    campaign = timeline.campaign
    if Complaint.objects.filter(campaign=campaign).exists():
        return
    patrol = users["patrol"]
    reports = [
        (
            "洛阳市某核查组一名男性执法人员",
            "洛阳市涧西区某酒店",
            timeline.day(-11),
            "核查组人员晚间与被检查企业负责人一同在酒店餐厅用餐并饮酒。",
            "李先生",
            "13938860000",
        ),
        (
            "开封市某县执法人员（姓王）",
            "开封市通许县某化工企业",
            timeline.day(-6),
            "检查时暗示企业购买指定厂家的在线监控设备。",
            "",
            "",
        ),
        (
            "郑州市某区执法人员",
            "郑州市中牟县",
            timeline.day(-14),
            "检查组到企业后不出示执法证件，态度粗暴。",
            "张女士",
            "0371-62001234",
        ),
    ]
    made = []
    for accused, place, day, text, name, contact in reports:
        made.append(
            complaint_services.complaint_file(
                values={
                    "accused": accused,
                    "place": place,
                    "happened_on": day,
                    "description": text,
                    "reporter_name": name,
                    "reporter_contact": contact,
                },
                attachments=[],
                client_ip="127.0.0.1",
                campaign=campaign,
            )
        )
    S = Complaint.Status
    complaint_services.complaint_transition(
        actor=patrol,
        complaint=made[0],
        to_status=S.INVESTIGATING,
        note="已转巡查组调查，约谈核查组组长。",
    )
    complaint_services.complaint_transition(
        actor=patrol, complaint=made[2], to_status=S.INVESTIGATING
    )
    complaint_services.complaint_transition(
        actor=patrol,
        complaint=made[2],
        to_status=S.CONCLUDED,
        note="经调查，当事执法人员未按规定出示执法证件，已责令作出书面检查并通报批评。",
    )
