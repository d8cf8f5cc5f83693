"""A round's times and its end: the organiser moves the release while nothing is drawn, a draw
past the release opens the sample only when the drawer says so, and closing the round (every
record signed) ends the members' reach at once while the accountability goes on."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from campaign.models import AccessGrant
from crosscheck.models import RoundEvent, VerificationRound
from crosscheck.services import record as record_services
from crosscheck.services import round as services
from tests.crosscheck import factories as f

S = VerificationRound.Status


@pytest.mark.django_db
def test_a_draw_past_the_release_time_needs_the_drawers_word(cast):
    f.key_units("410105", 3)
    row = f.province_round(cast, release_at=timezone.now() - dt.timedelta(minutes=5))
    with pytest.raises(ValidationError) as refused:
        services.sample_draw(actor=cast.province, row=row, witnesses="见证人甲")
    assert "立即" in refused.value.message_dict["release_now"][0]
    row.refresh_from_db()
    assert row.status == S.DRAFT and not hasattr(row, "draw")
    services.sample_draw(actor=cast.province, row=row, witnesses="见证人甲", release_now=True)
    row.refresh_from_db()
    assert row.status == S.DRAWN


@pytest.mark.django_db
def test_the_release_moves_while_nothing_is_drawn_and_never_into_the_past(cast):
    row = f.draft_round(cast)
    release = timezone.now() + dt.timedelta(days=5)
    ends = timezone.localdate() + dt.timedelta(days=50)
    with pytest.raises(ValidationError, match="晚于现在"):
        services.round_reschedule(
            actor=cast.province,
            row=row,
            release_at=timezone.now() - dt.timedelta(hours=1),
            ends_on=ends,
        )
    with pytest.raises(ValidationError, match="不能早于"):
        services.round_reschedule(
            actor=cast.province, row=row, release_at=release, ends_on=timezone.localdate()
        )
    with pytest.raises(PermissionDenied):
        services.round_reschedule(actor=cast.county, row=row, release_at=release, ends_on=ends)
    services.round_reschedule(actor=cast.province, row=row, release_at=release, ends_on=ends)
    row.refresh_from_db()
    assert row.release_at == release and row.ends_on == ends
    services.sample_draw(actor=cast.province, row=row, witnesses="见证人甲")
    with pytest.raises(ValidationError, match="已抽取"):
        services.round_reschedule(actor=cast.province, row=row, release_at=release, ends_on=ends)


@pytest.mark.django_db
def test_closing_waits_for_every_record_then_ends_the_members_reach(client, cast):
    record = f.member_record(cast)  # 涧西's jx leads the team; the record is not signed yet
    unit, row, jx = record.unit, record.unit.draw.round, cast.other_county
    client.force_login(jx)
    unit_page = reverse("crosscheck:unit", args=[unit.pk])
    enterprise_page = reverse("enterprises:detail", args=[unit.enterprise_id])
    assert client.get(unit_page).status_code == 200
    assert client.get(enterprise_page).status_code == 200

    with pytest.raises(ValidationError, match="未签署"):
        services.round_close(actor=cast.province, row=row)
    for m in record.team.members.select_related("user"):
        record_services.record_sign(
            actor=m.user, record=record, signature=f.SIGNATURE, summary="核查情况"
        )
    with pytest.raises(Http404):  # a city organises its own rounds, never the province's
        services.round_close(actor=cast.city, row=row)

    services.round_close(actor=cast.province, row=row, note="各组均已完成")
    row.refresh_from_db()
    assert row.status == S.CLOSED and row.closed_at is not None
    event = RoundEvent.objects.filter(round=row).latest("pk")
    assert event.to_status == S.CLOSED and event.note == "核查 1/1 家；各组均已完成"
    # the grants end now, not on the round's last day
    grants = AccessGrant.objects.filter(user=jx)
    assert grants.exists() and not grants.filter(revoked_at__isnull=True).exists()
    assert client.get(unit_page).status_code == 404
    assert client.get(enterprise_page).status_code == 404
    assert record_services.member_of(jx, unit) is None
    # the accountability goes on: 郑州 still answers
    accountability = record.findings.get().accountabilities.get()
    record_services.accountability_respond(actor=cast.city, row=accountability, response="已约谈")
    with pytest.raises(ValidationError, match="已结束"):
        services.round_close(actor=cast.province, row=row)


@pytest.mark.django_db
def test_the_round_page_closes_with_a_note_and_refuses_an_open_record(client, cast):
    record = f.member_record(cast)
    row = record.unit.draw.round
    client.force_login(cast.province)
    page = client.get(reverse("crosscheck:round", args=[row.pk])).content.decode()
    assert 'data-testid="close"' in page
    url = reverse("crosscheck:close", args=[row.pk])
    unconfirmed = client.post(url, {"note": "提前结束"})
    assert unconfirmed.status_code == 400 and "请确认" in unconfirmed.content.decode()
    refused = client.post(url, {"note": "提前结束", "confirm": "yes"})
    assert refused.status_code == 400
    body = refused.content.decode()
    assert "未签署" in body and "提前结束" in body  # the note typed is kept
    row.refresh_from_db()
    assert row.status == S.DRAWN


@pytest.mark.django_db
def test_the_api_moves_the_release_and_closes(client, cast):
    row = f.draft_round(cast)
    client.force_login(cast.province)
    url = reverse("api-verification-round-reschedule", args=[row.pk])
    bad = client.post(url, {"release_at": "2001-01-01T09:00", "ends_on": "2001-02-01"})
    assert bad.status_code == 400 and "release_at" in bad.json()
    moved = client.post(url, f.reschedule_body(), content_type="application/json")
    assert moved.status_code == 200, moved.content
    drawn = f.drawn_round(cast)
    close = reverse("api-verification-round-close", args=[drawn.pk])
    unconfirmed = client.post(close, {"confirm": False}, content_type="application/json")
    assert unconfirmed.status_code == 400 and "confirm" in unconfirmed.json()
    closed = client.post(
        close,
        {"note": "无核查组", "confirm": True},
        content_type="application/json",
    )
    assert closed.status_code == 200 and closed.json()["status"] == S.CLOSED
    assert closed.json()["closed_at"]


@pytest.mark.django_db
def test_closing_a_round_leaves_the_members_grants_of_another_round(client, cast):
    """Two rounds send 涧西's jx to the same unit; the second's title begins with the first's.
    Closing the first ends only the grants the first gave."""
    from campaign.services.integrity import commitment_sign
    from crosscheck.models import TeamMember
    from crosscheck.services import team as team_services

    unit = f.member_unit(cast)
    first, jx = unit.draw.round, cast.other_county
    second = f.province_round(
        cast,
        title=f"{first.title}（第二批）",
        share="1",
        minimum=1,
        release_at=timezone.now() - dt.timedelta(minutes=30),
    )
    services.sample_draw(actor=cast.province, row=second, witnesses="见证人", release_now=True)
    team_services.team_draw(actor=cast.province, row=second, witnesses="见证人", seed="2")
    place = TeamMember.objects.select_related("assignment").get(team__round=second, user=jx)
    commitment_sign(actor=jx, assignment=place.assignment, signed_name=jx.full_name)

    services.round_close(actor=cast.province, row=first)
    live = AccessGrant.objects.filter(user=jx, revoked_at__isnull=True)
    assert live.exists() and all("第二批" in g.reason for g in live)
    client.force_login(jx)
    assert client.get(reverse("enterprises:detail", args=[unit.enterprise_id])).status_code == 200
