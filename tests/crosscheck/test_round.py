"""A verification round: the province (or a city, for its non-key units) sets the rule and draws
once; anyone with access replays the draw and sees the same sample, and a changed frame is named;
the sample stays with the province until its release time."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from campaign import access
from crosscheck import sampling
from crosscheck.models import SampleDraw, SampledUnit, VerificationRound
from crosscheck.services import round as services
from enterprises.models import Enterprise
from tests.cases.factories import problem
from tests.crosscheck import factories as f
from tests.factories import EnterpriseFactory, region

S = VerificationRound.Status


@pytest.mark.django_db
def test_the_province_draws_once_with_everything_needed_to_replay(cast):
    f.key_units("410105", 11)
    f.key_units("410305", 4)
    EnterpriseFactory(county=region("410105"))  # not a key unit: not in the province's frame
    row = f.province_round(cast)
    assert row.status == S.DRAFT and list(row.events.values_list("to_status", flat=True)) == [
        "draft"
    ]
    draw = services.sample_draw(
        actor=cast.province, row=row, witnesses="省纪检组 王某", seed="7731"
    )
    row.refresh_from_db()
    assert row.status == S.DRAWN
    assert draw.seed == "7731" and draw.frame_size == 15 and draw.witnesses == "省纪检组 王某"
    # 郑州 11 key units → its minimum 3; 洛阳 4 → 3
    units = list(draw.units.select_related("city"))
    assert sorted(u.city.code for u in units) == ["4101"] * 3 + ["4103"] * 3
    frame = [sampling.Candidate(*line[:3], tuple(line[3])) for line in draw.frame]
    assert [u.enterprise_id for u in units] == [
        c.enterprise_id for c in sampling.draw(frame, services.rule_of(row), "7731")
    ]
    assert draw.frame_digest == sampling.frame_digest(frame, services.rule_of(row))
    with pytest.raises(ValidationError, match="已抽取"):
        services.sample_draw(actor=cast.province, row=row, witnesses="再抽一次")


@pytest.mark.django_db
def test_risk_signals_are_read_from_the_campaigns_ledger(cast):
    risky = f.key_units("410105", 1)[0]
    f.key_units("410105", 3)
    # an environmental violation recorded and no case opened on it
    problem(cast, enterprise=risky)  # HF-01, a violation
    row = f.province_round(cast)
    signals = {c.enterprise_id: c.signals for c in services.frame_of(row)}
    assert signals[risky.pk] == ("violation_without_case",)
    assert {s for pk, s in signals.items() if pk != risky.pk} == {()}


@pytest.mark.django_db
def test_a_replay_draws_the_same_sample_and_names_what_changed_in_the_frame(cast):
    units = f.key_units("410105", 12)
    row = f.province_round(cast)
    draw = services.sample_draw(actor=cast.province, row=row, witnesses="见证人甲")
    same = services.sample_replay(actor=cast.province, draw=draw)
    assert (same.sample_same, same.frame_same, same.changes) == (True, True, {})

    added = f.key_units("410105", 1)[0]
    Enterprise.objects.filter(pk=units[0].pk).update(is_key_unit=False)
    later = services.sample_replay(actor=cast.province, draw=SampleDraw.objects.get(pk=draw.pk))
    assert later.sample_same and not later.frame_same
    assert later.changes == {"added": [added.pk], "removed": [units[0].pk]}

    # a sample altered in the database is caught
    first = draw.units.order_by("position").first()
    outsider = next(u for u in units if not draw.units.filter(enterprise=u).exists())
    SampledUnit.objects.filter(pk=first.pk).update(enterprise=outsider)
    assert not services.sample_replay(actor=cast.province, draw=draw).sample_same


@pytest.mark.django_db
def test_the_sample_is_the_provinces_alone_until_its_release(cast):
    f.key_units("410105", 4)
    f.key_units("410305", 4)
    release = timezone.now() + dt.timedelta(days=2)
    row = f.province_round(cast, release_at=release)
    services.sample_draw(actor=cast.province, row=row, witnesses="见证人甲")
    units = SampledUnit.objects.all()

    def seen(user):
        return sorted(u.county.code for u in access.visible(user, units).select_related("county"))

    assert len(seen(cast.province)) == 6
    for user in (cast.city, cast.county, cast.other_city, cast.enterprise_user, cast.expert):
        assert seen(user) == []
    # the round itself, with its frame, is the province's (a city's own round is the city's)
    assert not access.visible(cast.city, VerificationRound.objects.all()).exists()
    with time_machine.travel(release + dt.timedelta(minutes=1)):
        assert seen(cast.city) == ["410105"] * 3
        assert seen(cast.county) == ["410105"] * 3
        assert seen(cast.other_city) == ["410305"] * 3
        assert seen(cast.enterprise_user) == []  # never announced to the unit


@pytest.mark.django_db
def test_a_city_draws_from_its_own_non_key_units(cast):
    plain = [EnterpriseFactory(county=region("410105")) for _ in range(5)]
    f.key_units("410105", 2)
    EnterpriseFactory(county=region("410305"))
    with pytest.raises(ValidationError, match="省级用户"):
        services.round_open(
            actor=cast.city,
            level="province",
            title="x",
            share="0.1",
            minimum=1,
            release_at=timezone.now(),
            ends_on=timezone.localdate(),
        )
    row = services.round_open(
        actor=cast.city,
        level="city",
        title="郑州市非重点排污单位交叉核查",
        share="20%",
        minimum=2,
        release_at=timezone.now() + dt.timedelta(days=1),
        ends_on=timezone.localdate() + dt.timedelta(days=10),
    )
    assert row.city == cast.city.region and row.share == Decimal("0.2")
    draw = services.sample_draw(actor=cast.city, row=row, witnesses="市局监察室")
    assert {c[0] for c in draw.frame} == {e.pk for e in [*plain, cast.ent]}  # 郑州, not key
    assert draw.units.count() == 2
    # the organiser sees its sample at once; its counties only after the release
    assert access.visible(cast.city, SampledUnit.objects.all()).count() == 2
    assert not access.visible(cast.county, SampledUnit.objects.all()).exists()
    assert access.visible(cast.city, VerificationRound.objects.all()).get() == row
    assert not access.visible(cast.other_city, VerificationRound.objects.all()).exists()


@pytest.mark.django_db
def test_bad_rules_are_refused_by_field_and_only_bureaus_draw(cast):
    cases = [
        ({"share": "abc"}, "share"),
        ({"share": "0"}, "share"),
        ({"share": "1.5"}, "share"),
        ({"minimum": 0}, "minimum"),
        ({"weights": {"unknown": 1}}, "weights"),
        ({"weights": {"many_problems": 11}}, "weights"),
        ({"title": "  "}, "title"),
        ({"ends_on": timezone.localdate() - dt.timedelta(days=1)}, "ends_on"),
        ({"level": "county"}, "level"),
    ]
    for values, field in cases:
        with pytest.raises(ValidationError) as error:
            f.province_round(cast, **values)
        assert field in error.value.message_dict, values
    assert not VerificationRound.objects.exists()
    for user in (cast.county, cast.expert, cast.enterprise_user, cast.patrol):
        with pytest.raises(PermissionDenied):
            services.round_open(
                actor=user,
                level="city",
                title="x",
                share="0.1",
                minimum=1,
                release_at=timezone.now(),
                ends_on=timezone.localdate(),
            )
    row = f.province_round(cast)
    with pytest.raises(ValidationError) as error:
        services.sample_draw(actor=cast.province, row=row, witnesses=" ")
    assert "witnesses" in error.value.message_dict
    with pytest.raises(ValidationError, match="抽样框为空"):
        services.sample_draw(actor=cast.province, row=row, witnesses="见证人甲")
    row.refresh_from_db()
    assert row.status == S.DRAFT and not SampleDraw.objects.exists()
