"""Rounds and their units for the stage-5 tests."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from crosscheck.services import round as services
from tests import org_factories as org
from tests.factories import EnterpriseFactory, region


def key_units(county: str, n: int, **extra):
    return [EnterpriseFactory(county=region(county), is_key_unit=True, **extra) for _ in range(n)]


def province_round(cast, **extra):
    values = {
        "level": "province",
        "title": "2020 年省级异地交叉核查",
        "share": "0.1",
        "minimum": 3,
        "release_at": timezone.now() + dt.timedelta(days=2),
        "ends_on": timezone.localdate() + dt.timedelta(days=40),
        "weights": {"many_problems": 2, "violation_without_case": 3},
    } | extra
    return services.round_open(actor=cast.province, **values)


def drawn_round(cast, **extra):
    """The province's round over three 金水 key units, drawn, its sample still confidential."""
    key_units("410105", 3)
    row = province_round(cast, title="2020 年省级异地交叉核查（矩阵）", **extra)
    services.sample_draw(
        actor=cast.province, row=row, witnesses="省纪检组 王某", seed="42", release_now=True
    )
    row.refresh_from_db()
    return row


def reschedule_body() -> dict:
    """A valid 修改发布时间: three days ahead, forty days to verify."""
    release = timezone.localtime() + dt.timedelta(days=3)
    ends = timezone.localdate() + dt.timedelta(days=40)
    return {"release_at": release.strftime("%Y-%m-%dT%H:%M"), "ends_on": ends.isoformat()}


def draft_round(cast, **extra):
    key_units("410105", 3)
    return province_round(cast, title="2020 年省级异地交叉核查（待抽取）", **extra)


def skilled(cast, code: str, n: int, *, lead: int = 1, level: str = "county"):
    """n certified officers of a city or county in the 执法能手 pool, the first `lead` may lead."""
    from campaign.models import PoolMembership, User
    from tests.factories import UserFactory

    role = User.Role.COUNTY if level == "county" else User.Role.CITY
    people = []
    for i in range(n):
        user = UserFactory(
            role=role, region=region(code, level), badge_no=f"{code}{len(people):04d}{i}"
        )
        PoolMembership.objects.create(
            campaign=org.campaign(),
            pool=PoolMembership.Pool.SKILLED,
            user=user,
            lead_qualified=i < lead,
            added_by=cast.admin,
        )
        people.append(user)
    return people


def experts(cast, n: int, industry: str | None = None):
    from campaign.models import Industry, PoolMembership, User
    from tests.factories import UserFactory

    people = []
    for _ in range(n):
        user = UserFactory(role=User.Role.EXPERT)
        if industry:
            user.industries.add(Industry.objects.get(code=industry))
        PoolMembership.objects.create(
            campaign=org.campaign(),
            pool=PoolMembership.Pool.EXPERTS,
            user=user,
            added_by=cast.admin,
        )
        people.append(user)
    return people


def pooled_round(cast, **extra):
    """A drawn province round over 金水 key units, with a 开封 pool able to staff its team."""
    row = drawn_round(cast, **extra)
    skilled(cast, "4102", 2, level="city")
    experts(cast, 1, industry="2614")
    return row


def teamed_round(cast, **extra):
    from crosscheck.services import team as team_services

    row = pooled_round(cast, **extra)
    team_services.team_draw(actor=cast.province, row=row, witnesses="省纪检组", seed="9")
    row.refresh_from_db()
    return row


def team_member(cast):
    return teamed_round(cast).teams.get().members.first()


def conflict(cast):
    from crosscheck.services import team as team_services

    return team_services.conflict_declare(
        actor=cast.county,
        credit_code=cast.other_ent.credit_code,
        unit_name="矩阵回避单位",
        reason="近亲属在该单位任职",
    )


SIGNATURE = "data:image/png;base64," + "A" * 300


def member_unit(cast):
    """The 金水 unit (inspected by js and js2) sampled in a released province round whose 郑州 team
    is led by the 涧西 inspector `jx`; every member has signed the commitment."""
    from django.utils import timezone

    from campaign.models import PoolMembership
    from campaign.services.integrity import commitment_sign
    from crosscheck.models import SampledUnit
    from enterprises.models import Enterprise
    from tests.inspections import factories as stage2

    org.document(cast)
    Enterprise.objects.filter(pk=cast.ent.pk).update(is_key_unit=True)
    stage2.inspection(cast)
    jx = cast.other_county
    jx.badge_no = "41030520009"
    jx.save(update_fields=["badge_no"])
    PoolMembership.objects.create(
        campaign=org.campaign(),
        pool=PoolMembership.Pool.SKILLED,
        user=jx,
        lead_qualified=True,
        added_by=cast.admin,
    )
    skilled(cast, "4102", 1, lead=0, level="city")
    experts(cast, 1)
    row = province_round(
        cast, share="1", minimum=1, release_at=timezone.now() - dt.timedelta(hours=1)
    )
    services.sample_draw(
        actor=cast.province, row=row, witnesses="见证人", seed="1", release_now=True
    )
    from crosscheck.services import team as team_services

    team_services.team_draw(actor=cast.province, row=row, witnesses="见证人", seed="1")
    for m in row.teams.get().members.select_related("user", "assignment"):
        commitment_sign(actor=m.user, assignment=m.assignment, signed_name=m.user.full_name)
    return SampledUnit.objects.get(draw__round=row, enterprise=cast.ent)


def member_record(cast):
    """The 金水 unit's record with one finding naming js, not yet signed."""
    from crosscheck.services import record as record_services
    from inspections.models import Inspection

    unit = member_unit(cast)
    record = record_services.record_open(actor=cast.other_county, unit=unit)
    record_services.finding_add(
        actor=cast.other_county,
        record=record,
        code="not_filed",
        description="矩阵核查发现：应立案未立案",
        about={"inspection": Inspection.objects.get(enterprise=cast.ent).pk},
        people=[(cast.county, "lead")],
    )
    return record


def member_finding(cast):
    return member_record(cast).findings.get()


def accountability(cast):
    """js's accountability record, waiting for 郑州's answer."""
    from crosscheck.services import record as record_services

    record = member_record(cast)
    for m in record.team.members.select_related("user"):
        record_services.record_sign(
            actor=m.user, record=record, signature=SIGNATURE, summary="矩阵核查情况"
        )
    return record.findings.get().accountabilities.get()


def answered_accountability(cast):
    from crosscheck.services import record as record_services

    row = accountability(cast)
    record_services.accountability_respond(actor=cast.city, row=row, response="已约谈")
    row.refresh_from_db()
    return row
