"""Teams in the browser's forms: the province draws the teams and replays them on the round's page;
a member signs the commitment, finds the team's units under 我的核查任务 and opens them — and gets
404 for a unit outside the sample and for every unit once the round is over; conflicts declared."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from crosscheck.models import ConflictDeclaration, TeamDraw, TeamMember
from tests import org_factories as org
from tests.crosscheck import factories as f
from tests.factories import EnterpriseFactory, region


@pytest.mark.django_db
def test_the_province_draws_teams_on_the_page_and_replays_them(client, cast):
    row = f.pooled_round(cast)
    client.force_login(cast.province)
    url = reverse("crosscheck:team-draw", args=[row.pk])
    bad = client.post(url, {"officers": 2, "experts": 1, "witnesses": ""})
    assert bad.status_code == 400 and not TeamDraw.objects.exists()
    short = client.post(url, {"officers": 3, "experts": 1, "witnesses": "省纪检组 王某"})
    assert short.status_code == 400 and "执法能手不足" in short.content.decode()
    assert 'value="省纪检组 王某"' in short.content.decode()  # what was typed is kept
    done = client.post(url, {"officers": 2, "experts": 1, "witnesses": "省纪检组 王某"})
    assert done.status_code == 302
    page = client.get(reverse("crosscheck:round", args=[row.pk])).content.decode()
    assert "<td>1</td><td>郑州市</td>" in page and "未签承诺书" in page
    record = TeamDraw.objects.get()
    replay = client.post(
        reverse("crosscheck:team-replay", args=[row.pk]), {"digest": record.digest}, follow=True
    )
    assert "复核一致：重新编组结果与存档相同，人员库未变。" in replay.content.decode()


@pytest.mark.django_db
def test_a_member_signs_then_opens_only_the_teams_units_until_the_round_ends(client, cast):
    release = timezone.now() + dt.timedelta(hours=2)
    org.document(cast)
    row = f.teamed_round(cast, release_at=release)
    member = TeamMember.objects.filter(role="leader").select_related("user").get()
    sampled = row.draw.units.first().enterprise
    outside = EnterpriseFactory(county=region("410105"), is_key_unit=True)
    client.force_login(member.user)

    page = client.get(reverse("crosscheck:my-teams")).content.decode()
    assert "尚未签署廉洁自律承诺书" in page and sampled.name not in page
    signed = client.post(
        reverse("campaign:assignment-sign", args=[member.assignment_id]),
        {"signed_name": member.user.full_name, "agree": "on"},
    )
    assert signed.status_code == 302, signed.content.decode()[:500]
    detail = reverse("enterprises:detail", args=[sampled.pk])
    assert client.get(detail).status_code == 404  # before the release
    with time_machine.travel(release + dt.timedelta(minutes=5)):
        page = client.get(reverse("crosscheck:my-teams")).content.decode()
        assert sampled.name in page
        assert client.get(detail).status_code == 200
        assert client.get(reverse("enterprises:detail", args=[outside.pk])).status_code == 404
    after = timezone.make_aware(dt.datetime.combine(row.ends_on + dt.timedelta(days=1), dt.time(8)))
    with time_machine.travel(after):
        client.force_login(member.user)  # a new sign-in: the old session has timed out
        assert client.get(detail).status_code == 404


@pytest.mark.django_db
def test_a_person_declares_a_conflict_and_a_bad_code_keeps_what_was_typed(client, cast):
    client.force_login(cast.county)
    url = reverse("crosscheck:conflict-new")
    bad = client.post(
        url, {"credit_code": "91410105MA44AB123X", "unit_name": "某化工", "reason": "亲属"}
    )
    assert bad.status_code == 400 and "某化工" in bad.content.decode()
    good = client.post(
        url, {"credit_code": cast.other_ent.credit_code, "unit_name": "某化工", "reason": "亲属"}
    )
    assert good.status_code == 302
    again = client.post(
        url, {"credit_code": cast.other_ent.credit_code, "unit_name": "某化工", "reason": "亲属"}
    )
    assert again.status_code == 400 and "已申报过" in again.content.decode()
    assert ConflictDeclaration.objects.get().user == cast.county
    client.force_login(cast.other_county)
    assert "某化工" not in client.get(reverse("crosscheck:conflicts")).content.decode()
    client.force_login(cast.province)
    assert "某化工" in client.get(reverse("crosscheck:conflicts")).content.decode()


@pytest.mark.django_db
def test_the_api_draws_lists_and_replays_teams_and_takes_conflicts(client, cast):
    row = f.pooled_round(cast)
    client.force_login(cast.province)
    url = reverse("api-verification-team-draw", args=[row.pk])
    bad = client.post(url, {"officers": 1, "witnesses": "甲"}, "application/json")
    assert bad.status_code == 400 and "officers" in bad.json()
    made = client.post(url, {"witnesses": "甲", "seed": "5"}, "application/json")
    assert made.status_code == 201
    (team,) = made.json()
    assert team["target_city_code"] == "4101" and len(team["members"]) == 3
    assert [m["role"] for m in team["members"]] == ["leader", "officer", "expert"]
    assert not any(m["signed"] for m in team["members"])
    listed = client.get(reverse("api-verification-teams", args=[row.pk])).json()
    assert listed == made.json()
    replay = client.post(
        reverse("api-verification-team-replay", args=[row.pk]),
        {"digest": TeamDraw.objects.get().digest},
        "application/json",
    )
    assert replay.status_code == 201 and replay.json()["sample_same"] is True

    client.force_login(cast.county)
    conflicts = reverse("api-verification-conflicts")
    wrong = client.post(
        conflicts, {"credit_code": "123", "unit_name": "某厂", "reason": "亲属"}, "application/json"
    )
    assert wrong.status_code == 400 and "credit_code" in wrong.json()
    body = {"credit_code": cast.other_ent.credit_code, "unit_name": "某厂", "reason": "亲属"}
    assert client.post(conflicts, body, "application/json").status_code == 201
    assert [c["unit_name"] for c in client.get(conflicts).json()["results"]] == ["某厂"]
