"""Demo data for stage 5.

The province's round over the key units was drawn before witnesses (and replayed once) and
released yesterday; its teams were drawn from the 执法能手 and expert pools, which this module fills
up to what eighteen teams need (two certified officers from every city, experts of the units'
industries; demo people, not log-ins, same password). 孙涛 (`jianxi`) and 刘洋 (`zhengzhou`) are in
teams and have signed the commitment: under 异地核查 → 我的核查任务 they open their team's units and
nothing else. The teams visiting 郑州 and 洛阳 have verified two units each: findings of every code
(a new problem in the ledger among them), three records signed by the whole team and one still
being written; the people named have accountability records, some answered by `zhengzhou` or
`luoyang`, two decided by `province` (one transferred to the discipline inspectors: `patrol` sees
it), the rest waiting. Before it, a pilot round (试点) ran and was closed: 开封's team verified one
unit and found nothing wrong. 郑州's own round over its non-key units is drawn, its teams formed
from its counties' officers, and stays with 郑州 until tomorrow morning; 洛阳's round has its rule
set and waits to be drawn.
"""

from __future__ import annotations

from django.contrib.auth.hashers import make_password

from campaign.models import Industry, PoolMembership, Region, User
from campaign.services.integrity import commitment_sign
from crosscheck.models import Accountability, Finding, TeamMember, VerificationRound
from crosscheck.services import record as record_services
from crosscheck.services import round as services
from crosscheck.services import team as team_services
from demo.campaign import Timeline
from demo.names import GIVEN, SURNAMES
from demo.stage1 import DEMO_PASSWORD

WEIGHTS = {
    "many_problems": 2,
    "violation_without_case": 3,
    "flagged_closing": 3,
    "penalty_below_calculator": 2,
}
# the experts' fields: the demo units' industries (GB/T 4754 classes of the demo's trades)
EXPERT_FIELDS = ["2614", "3011", "3110", "3216", "4411", "4620", "7724", "2651", "2710"]


def seed(timeline: Timeline, users: dict[str, User]) -> None:
    campaign = timeline.campaign
    if VerificationRound.objects.filter(campaign=campaign).exists():
        return
    _pools(campaign, users)
    _closed_round(timeline, users)
    province = services.round_open(
        actor=users["province"],
        campaign=campaign,
        level=VerificationRound.Level.PROVINCE,
        title=f"{campaign.year} 年省级异地交叉核查（重点排污单位）",
        share="0.1",
        minimum=2,
        weights=WEIGHTS,
        many_problems=3,
        release_at=timeline.at(-1, hour=9),
        ends_on=timeline.day(30),
    )
    draw = services.sample_draw(
        actor=users["province"],
        row=province,
        witnesses="省纪委监委驻厅纪检监察组 李明；省生态环境厅法规处 张华",
        seed="20200806",
        release_now=True,  # drawn in the demo's present; its story has it released yesterday
    )
    services.sample_replay(actor=users["province"], draw=draw)
    team_services.team_draw(
        actor=users["province"],
        row=province,
        witnesses="省纪委监委驻厅纪检监察组 李明",
        seed="20200800",
    )
    for member in TeamMember.objects.filter(
        team__round=province, user__username__in=["jianxi", "zhengzhou"]
    ).select_related("user", "assignment"):
        commitment_sign(
            actor=member.user, assignment=member.assignment, signed_name=member.user.full_name
        )
    _verify(VerificationRound.objects.get(pk=province.pk), users)

    zhengzhou = services.round_open(
        actor=users["zhengzhou"],
        campaign=campaign,
        level=VerificationRound.Level.CITY,
        title=f"{campaign.year} 年郑州市非重点排污单位交叉核查",
        share="0.3",
        minimum=2,
        weights={"many_problems": 2},
        many_problems=3,
        release_at=timeline.at(1, hour=9),
        ends_on=timeline.day(20),
    )
    services.sample_draw(actor=users["zhengzhou"], row=zhengzhou, witnesses="郑州市局监察室 周正")
    # its teams come from its own counties' officers and never visit their own county
    team_services.team_draw(
        actor=users["zhengzhou"],
        row=zhengzhou,
        witnesses="郑州市局监察室 周正",
        seed="20200901",
    )

    services.round_open(
        actor=users["luoyang"],
        campaign=campaign,
        level=VerificationRound.Level.CITY,
        title=f"{campaign.year} 年洛阳市非重点排污单位交叉核查",
        share="0.2",
        minimum=2,
        release_at=timeline.at(3, hour=9),
        ends_on=timeline.day(25),
    )


def _closed_round(timeline: Timeline, users: dict[str, User]) -> None:
    """The pilot round (试点), finished: drawn, teamed, 开封's team verified one unit and found
    nothing wrong, the province closed it; its members no longer open anything."""
    row = services.round_open(
        actor=users["province"],
        campaign=timeline.campaign,
        level=VerificationRound.Level.PROVINCE,
        title=f"{timeline.campaign.year} 年省级异地交叉核查（试点）",
        share="0.05",
        minimum=1,
        weights={"violation_without_case": 2},
        release_at=timeline.at(-20, hour=9),
        ends_on=timeline.day(1),
    )
    services.sample_draw(
        actor=users["province"],
        row=row,
        witnesses="省纪委监委驻厅纪检监察组 李明",
        seed="20200720",
        release_now=True,
    )
    team_services.team_draw(
        actor=users["province"], row=row, witnesses="省纪委监委驻厅纪检监察组 李明", seed="0721"
    )
    row = VerificationRound.objects.get(pk=row.pk)
    team = row.teams.get(target_city__code="4102")
    members = list(team.members.select_related("user", "assignment"))
    for m in members:
        commitment_sign(actor=m.user, assignment=m.assignment, signed_name=m.user.full_name)
    unit = row.draw.units.filter(city=team.target_city).order_by("position").first()
    record = record_services.record_open(actor=members[0].user, unit=unit)
    record_services.finding_add(
        actor=members[0].user,
        record=record,
        code=Finding.Code.OK,
        description="自查、检查、案件和整改记录与现场一致",
        about={},
        people=[],
    )
    for m in members:
        record_services.record_sign(
            actor=m.user, record=record, signature=_signature(), summary="试点核查，未发现问题"
        )
    services.round_close(actor=users["province"], row=row, note="试点结束，经验用于全省核查")


def _pools(campaign, users: dict[str, User]) -> None:
    """Two certified officers of every city's first county in the 执法能手 pool (the first may
    lead; 郑州: of its first three counties), and an expert for each demo trade, so that every
    team can be drawn."""
    password = make_password(DEMO_PASSWORD)  # hashed once: the people are many
    Pool = PoolMembership.Pool
    n = 0
    for city in Region.objects.filter(level=Region.Level.CITY).order_by("code"):
        # 郑州 runs its own round too: its officers come from three counties, so that every county
        # it visits gets a team from the others
        counties = list(city.children.order_by("code")[: 3 if city.code == "4101" else 1]) or [city]
        places = [(county, j) for county in counties for j in range(2)]
        for i, (county, j) in enumerate(places):
            n += 1
            user, _ = User.objects.get_or_create(
                username=f"nengshou-{city.code}-{i + 1}",
                defaults={
                    "full_name": SURNAMES[n % len(SURNAMES)] + GIVEN[(n * 7) % len(GIVEN)],
                    "unit": f"{county.name}生态环境分局",
                    "role": User.Role.COUNTY,
                    "region": county,
                    "badge_no": f"{county.code}5{j + 1:04d}",
                    "password": password,
                },
            )
            PoolMembership.objects.get_or_create(
                campaign=campaign,
                pool=Pool.SKILLED,
                user=user,
                defaults={"lead_qualified": j == 0, "added_by": users["admin"]},
            )
    for k, code in enumerate(EXPERT_FIELDS * 2):
        user, _ = User.objects.get_or_create(
            username=f"zhuanjia-{k + 1}",
            defaults={
                "full_name": SURNAMES[(k * 3) % len(SURNAMES)] + GIVEN[(k * 5) % len(GIVEN)],
                "unit": "河南省生态环境执法专家库",
                "role": User.Role.EXPERT,
                "password": password,
            },
        )
        user.industries.add(Industry.objects.get(code=code))
        PoolMembership.objects.get_or_create(
            campaign=campaign, pool=Pool.EXPERTS, user=user, defaults={"added_by": users["admin"]}
        )


SIGNATURE_PNG = None  # drawn once: a member's signature on screen


def _signature() -> str:
    global SIGNATURE_PNG
    if SIGNATURE_PNG is None:
        import base64
        import io

        from PIL import Image, ImageDraw

        image = Image.new("RGB", (300, 100), "white")
        ImageDraw.Draw(image).line((20, 70, 90, 30, 160, 75, 280, 25), fill="black", width=4)
        buffer = io.BytesIO()
        image.save(buffer, "PNG")
        SIGNATURE_PNG = "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
    return SIGNATURE_PNG


def _who(handled: dict[int, set[str]], capacity: str) -> list[tuple[int, str]]:
    for pk in sorted(handled):
        if capacity in handled[pk]:
            return [(pk, capacity)]
    return []


def _verify(province: VerificationRound, users: dict[str, User]) -> None:
    """郑州's and 洛阳's teams verify two units each: findings of every code; three records signed,
    one still being written; accountability answered and decided in part."""
    from cases.models import Case
    from inspections.catalogue import catalogue_for
    from inspections.models import Inspection
    from rectification.models import RectificationItem

    violation = catalogue_for(province.campaign).items.filter(problem_kind="violation").first()
    C = Finding.Code
    for code in ("4101", "4103"):
        team = province.teams.get(target_city__code=code)
        members = list(team.members.select_related("user", "assignment"))
        for m in members:
            if not hasattr(m.assignment, "commitment"):
                commitment_sign(actor=m.user, assignment=m.assignment, signed_name=m.user.full_name)
        writer = members[0].user
        units = list(province.draw.units.filter(city=team.target_city).order_by("position"))
        for n, unit in enumerate(units[:2]):
            handled = record_services.handlers(unit.enterprise_id)
            inspection = Inspection.objects.filter(enterprise=unit.enterprise_id).first()
            case = Case.objects.filter(enterprise=unit.enterprise_id).first()
            item = RectificationItem.objects.filter(plan__enterprise=unit.enterprise_id).first()
            record = record_services.record_open(actor=writer, unit=unit)
            findings = []
            if code == "4101" and n == 0:
                findings = [
                    (
                        C.MISSED_SERIOUS,
                        "危险废物露天堆放、无防渗措施，现场检查记录未载明",
                        {},
                        "lead",
                    ),
                    (
                        C.NOT_FILED,
                        "检查发现的超标排放未登记立案",
                        {"inspection": inspection},
                        "inspector",
                    ),
                    (C.LENIENT, "罚款金额低于裁量基准且未说明理由", {"case": case}, "reviewer"),
                    (C.OK, "排污许可执行情况与台账一致", {}, None),
                ]
            elif code == "4101":
                findings = [(C.OK, "自查、检查和整改记录与现场一致", {}, None)]
            elif n == 0:
                findings = [
                    (
                        C.FAKE_RECTIFICATION,
                        "销号材料中的照片为整改前所摄",
                        {"item": item},
                        "supervisor",
                    ),
                    (C.NOT_RECTIFIED_IN_TIME, "整改期限届满仍未完成", {"item": item}, "handler"),
                ]
            else:
                findings = [(C.NEW_PROBLEM, "雨水排口有生产废水混入", {}, None)]
            for finding_code, text, about, capacity in findings:
                about = {k: v.pk for k, v in about.items() if v is not None}
                if (
                    finding_code not in Finding.RECORDS_PROBLEM
                    and finding_code != C.OK
                    and not about
                ):
                    continue  # the unit has no such record in the demo
                record_services.finding_add(
                    actor=writer,
                    record=record,
                    code=finding_code,
                    description=text,
                    about=about,
                    people=_who(handled, capacity) if capacity else [],
                    check_item=violation if finding_code in Finding.RECORDS_PROBLEM else None,
                )
            if code == "4103" and n == 1:
                continue  # still being written: not signed
            for m in members:
                record_services.record_sign(
                    actor=m.user,
                    record=record,
                    signature=_signature(),
                    summary="核查了自查表、现场检查记录、案件和整改台账",
                )
    # the cities answer for their people, the province decides part of it
    rows = list(Accountability.objects.filter(finding__record__team__round=province).order_by("pk"))
    answerers = {"4101": users["zhengzhou"], "4103": users["luoyang"]}
    decisions = [Accountability.Decision.NOTICE, Accountability.Decision.TRANSFER]
    for n, row in enumerate(rows):
        city = answerers.get(row.city.code)
        if city is None or city.pk == row.person_id or n % 3 == 2:
            continue  # waiting for the city's answer
        record_services.accountability_respond(
            actor=city, row=row, response="已调查核实，对当事人进行约谈，责令其所在单位整改"
        )
        if n < 2:
            record_services.accountability_decide(
                actor=users["province"], row=row, decision=decisions[n], note="经省厅审定"
            )
