"""Demo data for stage 5.

The province's round over the key units was drawn before witnesses (and replayed once) and
released yesterday; its teams were drawn from the 执法能手 and expert pools, which this module fills
up to what eighteen teams need (two certified officers from every city, experts of the units'
industries; demo people, not log-ins, same password). 孙涛 (`jianxi`) and 刘洋 (`zhengzhou`) are in
teams and have signed the commitment: under 异地核查 → 我的核查任务 they open their team's units and
nothing else. 郑州's own round over its non-key units is drawn and stays with 郑州 until tomorrow
morning; 洛阳's round has its rule set and waits to be drawn.
"""

from __future__ import annotations

from django.contrib.auth.hashers import make_password

from campaign.models import Industry, PoolMembership, Region, User
from campaign.services.integrity import commitment_sign
from crosscheck.models import TeamMember, VerificationRound
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
    )
    services.sample_replay(actor=users["province"], draw=draw)
    team_services.team_draw(
        actor=users["province"],
        row=province,
        witnesses="省纪委监委驻厅纪检监察组 李明",
        seed="20200807",
    )
    for member in TeamMember.objects.filter(
        team__round=province, user__username__in=["jianxi", "zhengzhou"]
    ).select_related("user", "assignment"):
        commitment_sign(
            actor=member.user, assignment=member.assignment, signed_name=member.user.full_name
        )

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


def _pools(campaign, users: dict[str, User]) -> None:
    """Two certified officers of every city's first county in the 执法能手 pool (the first may
    lead), and an expert for each demo trade, so that every city's team can be drawn."""
    password = make_password(DEMO_PASSWORD)  # hashed once: the people are many
    Pool = PoolMembership.Pool
    n = 0
    for city in Region.objects.filter(level=Region.Level.CITY).order_by("code"):
        county = city.children.order_by("code").first() or city
        for i in range(2):
            n += 1
            user, _ = User.objects.get_or_create(
                username=f"nengshou-{city.code}-{i + 1}",
                defaults={
                    "full_name": SURNAMES[n % len(SURNAMES)] + GIVEN[(n * 7) % len(GIVEN)],
                    "unit": f"{county.name}生态环境分局",
                    "role": User.Role.COUNTY,
                    "region": county,
                    "badge_no": f"{county.code}5{i + 1:04d}",
                    "password": password,
                },
            )
            PoolMembership.objects.get_or_create(
                campaign=campaign,
                pool=Pool.SKILLED,
                user=user,
                defaults={"lead_qualified": i == 0, "added_by": users["admin"]},
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
