"""Random teams of a round: drawn once from the 执法能手 and expert pools, never to their own city
(a city round: county), never to a unit they handled or declared a conflict with; replayable; a
member opens the team's sampled units only after signing the commitment, from the release until
the round ends, and nothing else."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from campaign import access
from campaign.models import Assignment
from campaign.services.integrity import commitment_sign
from crosscheck.models import DrawReplay, SampledUnit, Team, TeamDraw, TeamMember
from crosscheck.services import round as round_services
from crosscheck.services import team as services
from enterprises.models import Enterprise
from inspections.models import InspectionMember
from tests import org_factories as org
from tests.crosscheck import factories as f
from tests.factories import EnterpriseFactory, region
from tests.inspections import factories as stage2

R = TeamMember.Role


def _province_round(cast, **extra):
    f.key_units("410105", 3)
    f.key_units("410305", 3)
    row = f.province_round(cast, share="1", minimum=1, **extra)
    round_services.sample_draw(
        actor=cast.province, row=row, witnesses="见证人甲", seed="s", release_now=True
    )
    row.refresh_from_db()
    return row


def _pool(cast):
    return {
        "zz": f.skilled(cast, "410105", 2),
        "ly": f.skilled(cast, "410305", 2),
        "kf": f.skilled(cast, "4102", 2, level="city"),
        "experts": f.experts(cast, 3, industry="2614"),
    }


@pytest.mark.django_db
def test_teams_are_drawn_once_by_the_rule_and_never_to_their_own_city(cast):
    row = _province_round(cast)
    pool = _pool(cast)
    record = services.team_draw(actor=cast.province, row=row, witnesses="省纪检组", seed="7")
    assert record.seed == "7" and record.rule == {"officers": 2, "experts": 1, "by_county": False}
    teams = {t.target_city.code: t for t in Team.objects.select_related("target_city")}
    assert set(teams) == {"4101", "4103"}
    everyone = []
    for code, team in teams.items():
        members = list(team.members.select_related("user__region__parent", "assignment"))
        roles = [m.role for m in members]
        assert roles.count(R.LEADER) == 1 and roles.count(R.OFFICER) == 1
        assert roles.count(R.EXPERT) == 1
        for m in members:
            home = m.user.region
            if home is not None:
                assert code not in (home.code, home.parent.code if home.parent else None)
            assert m.assignment.destination.code == code and m.assignment.ends_on == row.ends_on
        leader = next(m for m in members if m.role == R.LEADER)
        assert leader.user.pool_memberships.get().lead_qualified
        everyone += [m.user_id for m in members]
    assert len(everyone) == len(set(everyone))  # nobody in two teams
    # the 郑州 officers can only have gone to 洛阳 and the other way round
    zz_ids = {u.pk for u in pool["zz"]}
    assert not zz_ids & set(teams["4101"].members.values_list("user_id", flat=True))
    with pytest.raises(ValidationError, match="已编组"):
        services.team_draw(actor=cast.province, row=row, witnesses="再来")

    same = services.team_replay(actor=cast.province, row=row)
    assert (same.kind, same.sample_same, same.frame_same) == ("teams", True, True)
    # a person joining the pool later changes the pool, not the teams drawn
    f.skilled(cast, "4102", 1, lead=0, level="city")
    later = services.team_replay(actor=cast.province, row=row)
    assert later.sample_same and not later.frame_same and len(later.changes["added"]) == 1
    # a member swapped in the database is caught
    expert = TeamMember.objects.filter(role=R.EXPERT).first()
    spare = next(u for u in pool["experts"] if not TeamMember.objects.filter(user=u).exists())
    TeamMember.objects.filter(pk=expert.pk).update(user=spare)
    assert not services.team_replay(actor=cast.province, row=row).sample_same


@pytest.mark.django_db
def test_who_handled_a_unit_or_declared_a_conflict_stays_away_from_it(cast):
    Enterprise.objects.filter(pk=cast.ent.pk).update(is_key_unit=True)  # sampled (share 1)
    row = _province_round(cast)
    pool = _pool(cast)
    kf_lead, kf_other = pool["kf"]
    ly_unit = SampledUnit.objects.filter(city__code="4103").first().enterprise
    # 开封's lead inspected the 金水 unit before; its other officer declares a conflict with 洛阳's
    inspection = stage2.inspection(cast)
    InspectionMember.objects.create(inspection=inspection, user=kf_lead, role="inspector")
    services.conflict_declare(
        actor=kf_other, credit_code=ly_unit.credit_code, unit_name="亲属任职单位", reason="亲属"
    )
    targets = {t.code: t for t in services.targets_of(row)}
    assert kf_lead.pk in targets["4101"].kept_away and kf_other.pk in targets["4103"].kept_away
    services.team_draw(actor=cast.province, row=row, witnesses="见证人")
    assert not TeamMember.objects.filter(user=kf_lead, team__target_city__code="4101").exists()
    assert not TeamMember.objects.filter(user=kf_other, team__target_city__code="4103").exists()


@pytest.mark.django_db
def test_a_pool_too_small_is_named_and_nothing_is_written(cast):
    row = _province_round(cast)
    f.skilled(cast, "410105", 2)  # only 郑州 officers: nobody may go to 郑州
    f.experts(cast, 2)
    with pytest.raises(ValidationError, match="郑州市：") as error:
        services.team_draw(actor=cast.province, row=row, witnesses="见证人")
    assert "执法能手不足" in str(error.value) or "组长" in str(error.value)
    assert not TeamDraw.objects.exists() and not Team.objects.exists()
    assert not Assignment.objects.exists()
    for bad, field in [({"officers": 1}, "officers"), ({"experts": 0}, "experts")]:
        with pytest.raises(ValidationError) as error:
            services.team_draw(actor=cast.province, row=row, witnesses="见证人", **bad)
        assert field in error.value.message_dict


@pytest.mark.django_db
def test_a_member_opens_the_teams_units_only_once_signed_released_and_until_the_end(cast):
    release = timezone.now() + dt.timedelta(days=1)
    row = _province_round(cast, release_at=release)
    _pool(cast)
    org.document(cast)
    services.team_draw(actor=cast.province, row=row, witnesses="见证人")
    member = TeamMember.objects.filter(team__target_city__code="4101", role=R.OFFICER).first()
    user = member.user
    mine = set(SampledUnit.objects.filter(city__code="4101").values_list("enterprise", flat=True))
    unsampled = EnterpriseFactory(county=region("410105"), is_key_unit=True)

    def seen() -> set[int]:
        user.refresh_from_db()
        user.__dict__.pop("_jurisdiction", None)
        return set(access.visible(user, Enterprise.objects.all()).values_list("pk", flat=True))

    home = set(access.visible(user, Enterprise.objects.all()).values_list("pk", flat=True))
    after_release = release + dt.timedelta(hours=1)
    with time_machine.travel(after_release):
        assert seen() == home  # not signed: nothing opened
    commitment_sign(actor=user, assignment=member.assignment, signed_name=user.full_name)
    assert seen() == home  # signed, but the sample is not released yet
    with time_machine.travel(after_release):
        assert seen() == home | mine and unsampled.pk not in seen()
        units = access.visible(user, SampledUnit.objects.all())
        # and, as for every bureau once released, those sampled in the member's own county
        own = SampledUnit.objects.filter(county=user.region).values_list("enterprise", flat=True)
        assert set(units.values_list("enterprise", flat=True)) == mine | set(own)
    with time_machine.travel(timezone.make_aware(dt.datetime.combine(row.ends_on, dt.time(23)))):
        assert seen() == home | mine
    with time_machine.travel(
        timezone.make_aware(dt.datetime.combine(row.ends_on + dt.timedelta(days=1), dt.time(1)))
    ):
        assert seen() == home  # the round is over


@pytest.mark.django_db
def test_a_city_round_sends_its_counties_officers_never_to_their_own_county(cast):
    for code in ("410105", "410102", "410103"):
        for _ in range(2):
            EnterpriseFactory(county=region(code))
    row = round_services.round_open(
        actor=cast.city,
        level="city",
        title="郑州市交叉核查",
        share="1",
        minimum=1,
        release_at=timezone.now(),
        ends_on=timezone.localdate() + dt.timedelta(days=10),
    )
    round_services.sample_draw(actor=cast.city, row=row, witnesses="市局监察室", release_now=True)
    row.refresh_from_db()
    officers = [
        *f.skilled(cast, "410105", 2),
        *f.skilled(cast, "410102", 2),
        *f.skilled(cast, "410103", 2),
    ]
    f.skilled(cast, "410305", 2)  # 洛阳's: not in 郑州's round
    f.experts(cast, 3)
    services.team_draw(actor=cast.city, row=row, witnesses="市局监察室")
    teams = list(Team.objects.select_related("target_county"))
    assert {t.target_county.code for t in teams} == {"410105", "410102", "410103"}
    for team in teams:
        for m in team.members.exclude(role=R.EXPERT).select_related("user__region"):
            assert m.user in officers and m.user.region != team.target_county
    assert DrawReplay.objects.count() == 0
