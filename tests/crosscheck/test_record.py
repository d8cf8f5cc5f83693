"""The verification record: a signed member records findings that point at the unit's records and
name who handled them; a problem the team found enters the ledger; the team signs and every named
person gets an accountability record, answered by their city on the working calendar and decided
by the province; the patrol group sees those that concern integrity."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from campaign import access
from campaign.models import User
from campaign.services.integrity import commitment_sign
from crosscheck.models import Accountability, Finding, VerificationRecord
from crosscheck.services import record as services
from enterprises.models import Enterprise
from inspections.models import CheckItem, Problem
from tests import org_factories as org
from tests.crosscheck import factories as f
from tests.inspections import factories as stage2

SIGNATURE = "data:image/png;base64," + "A" * 300
C = Finding.Code


def _ready(cast):
    """The 金水 unit inspected by js (lead) and js2, sampled; its team has signed."""
    org.document(cast)
    Enterprise.objects.filter(pk=cast.ent.pk).update(is_key_unit=True)
    inspection = stage2.inspection(cast)
    row = f.teamed_round(cast, share="1", release_at=timezone.now() - dt.timedelta(hours=1))
    members = list(row.teams.get().members.select_related("user", "assignment"))
    for m in members:
        commitment_sign(actor=m.user, assignment=m.assignment, signed_name=m.user.full_name)
    unit = row.draw.units.get(enterprise=cast.ent)
    return members, unit, inspection


@pytest.mark.django_db
def test_findings_name_who_handled_the_unit_and_the_signed_record_opens_accountability(cast):
    members, unit, inspection = _ready(cast)
    leader = members[0].user
    js2 = User.objects.get(username="js2")
    with pytest.raises(PermissionDenied):
        services.record_open(actor=cast.county, unit=unit)  # not in the team: 404 before that
    record = services.record_open(actor=leader, unit=unit)
    assert services.record_open(actor=members[1].user, unit=unit) == record
    item = CheckItem.objects.filter(problem_kind="violation").first()
    missed = services.finding_add(
        actor=leader,
        record=record,
        code=C.MISSED_SERIOUS,
        description="废气处理设施未运行，检查未发现",
        people=[(cast.county, "lead")],
        check_item=item,
    )
    assert (
        missed.problem.source == Problem.Source.CROSSCHECK and missed.problem.enterprise == cast.ent
    )
    not_filed = services.finding_add(
        actor=leader,
        record=record,
        code=C.NOT_FILED,
        description="检查记录载明的违法行为未立案",
        about={"inspection": inspection.pk},
        people=[(js2, "inspector")],
    )
    assert not_filed.inspection == inspection
    refused = [
        ({"people": [(cast.other_county, "lead")]}, "people"),  # never handled the unit
        ({"people": [(cast.county, "handler")]}, "people"),  # not in that capacity
        ({"code": C.LENIENT, "about": {}}, "about"),  # a lax handling of which record?
        ({"about": {"inspection": 10**9}}, "inspection"),
        ({"code": C.NEW_PROBLEM}, "check_item"),
        ({"description": " "}, "description"),
    ]
    for change, field in refused:
        values = {"code": C.NOT_FILED, "description": "x", "about": {"inspection": inspection.pk}}
        with pytest.raises(ValidationError) as error:
            services.finding_add(actor=leader, record=record, **(values | change))
        assert field in error.value.message_dict, change
    assert record.findings.count() == 2

    with pytest.raises(ValidationError) as error:
        services.record_sign(actor=leader, record=record, signature=SIGNATURE)
    assert "summary" in error.value.message_dict
    services.record_sign(actor=leader, record=record, signature=SIGNATURE, summary="核查了三项记录")
    with pytest.raises(ValidationError, match="已签名"):
        services.record_sign(actor=leader, record=record, signature=SIGNATURE)
    for m in members[1:]:
        assert not Accountability.objects.exists()
        services.record_sign(actor=m.user, record=record, signature=SIGNATURE)
    record.refresh_from_db()
    assert record.status == VerificationRecord.Status.SIGNED
    rows = {a.person.username: a for a in Accountability.objects.select_related("person", "city")}
    assert set(rows) == {"js", "js2"} and {a.city.code for a in rows.values()} == {"4101"}
    assert rows["js"].proposed == "criticism" and rows["js2"].proposed == "notice"
    assert rows["js"].response_due > timezone.localdate()
    with pytest.raises(ValidationError, match="已签署"):
        services.finding_add(actor=leader, record=record, code=C.OK, description="补充")


@pytest.mark.django_db
def test_the_city_answers_the_province_decides_and_each_sees_what_is_theirs(cast):
    members, unit, inspection = _ready(cast)
    leader = members[0].user
    record = services.record_open(actor=leader, unit=unit)
    services.finding_add(
        actor=leader,
        record=record,
        code=C.NOT_FILED,
        description="应立案未立案",
        about={"inspection": inspection.pk},
        people=[(cast.county, "lead")],
    )
    for m in members:
        services.record_sign(actor=m.user, record=record, signature=SIGNATURE, summary="情况")
    row = Accountability.objects.get()

    def sees(user) -> bool:
        return access.visible(user, Accountability.objects.all()).exists()

    assert sees(cast.province) and sees(cast.city) and sees(cast.county)  # js: their own
    assert not sees(cast.other_city) and not sees(cast.patrol) and not sees(cast.other_county)

    with pytest.raises(ValidationError, match="期限届满或市局反馈后"):
        services.accountability_decide(actor=cast.province, row=row, decision="notice")
    with pytest.raises(PermissionDenied):
        services.accountability_respond(actor=cast.county, row=row, response="我没错")
    with pytest.raises(ValidationError) as error:
        services.accountability_respond(actor=cast.city, row=row, response=" ")
    assert "response" in error.value.message_dict
    services.accountability_respond(actor=cast.city, row=row, response="已约谈，责令整改")
    with pytest.raises(ValidationError) as error:
        services.accountability_decide(actor=cast.province, row=row, decision="none")
    assert "decision_note" in error.value.message_dict
    services.accountability_decide(actor=cast.province, row=row, decision="transfer", note="移交")
    row.refresh_from_db()
    assert (row.status, row.decision, row.integrity) == ("decided", "transfer", True)
    assert [e.to_status for e in row.events.all()] == ["proposed", "responded", "decided"]
    assert sees(cast.patrol)  # it concerns integrity now


@pytest.mark.django_db
def test_without_an_answer_the_province_decides_once_the_time_is_up(cast):
    members, unit, inspection = _ready(cast)
    leader = members[0].user
    record = services.record_open(actor=leader, unit=unit)
    services.finding_add(
        actor=leader,
        record=record,
        code=C.LENIENT,
        description="处罚偏轻",
        about={"inspection": inspection.pk},
        people=[(cast.county, "lead")],
    )
    for m in members:
        services.record_sign(actor=m.user, record=record, signature=SIGNATURE, summary="情况")
    row = Accountability.objects.get()
    later = timezone.make_aware(
        dt.datetime.combine(row.response_due + dt.timedelta(days=1), dt.time(9))
    )
    with time_machine.travel(later):
        assert services.response_overdue(row)
        services.accountability_decide(actor=cast.province, row=row, decision="talk")
    row.refresh_from_db()
    assert row.status == "decided" and not row.response


@pytest.mark.django_db
def test_the_record_is_the_teams_and_the_provinces_not_the_target_bureaus_or_other_grants(
    client, cast
):
    from django.urls import reverse

    from campaign.services import grant_object_access

    members, unit, inspection = _ready(cast)
    leader = members[0].user
    services.finding_record(
        actor=leader,
        unit=unit,
        code=C.NOT_FILED,
        description="只给核查组和省级看的发现",
        about={"inspection": inspection.pk},
        people=[(cast.county, "lead")],
    )
    # the unit's own county sees that it was sampled (released), not what the team found
    client.force_login(cast.county)
    page = client.get(reverse("crosscheck:unit", args=[unit.pk]))
    assert page.status_code == 200 and "只给核查组和省级看的发现" not in page.content.decode()
    # an expert holding a grant on the unit for another purpose sees no verification record
    grant_object_access(
        user=cast.expert,
        obj=cast.ent,
        granted_by=cast.province,
        ends_at=timezone.now() + dt.timedelta(days=1),
        reason="现场检查专家",
    )
    assert not access.visible(cast.expert, VerificationRecord.objects.all()).exists()
    assert not access.visible(cast.expert, Finding.objects.all()).exists()
    assert access.visible(leader, Finding.objects.all()).count() == 1
    # a refused finding leaves no empty record behind
    VerificationRecord.objects.all().delete()
    with pytest.raises(ValidationError):
        services.finding_record(actor=leader, unit=unit, code=C.LENIENT, description="x")
    assert not VerificationRecord.objects.exists()


@pytest.mark.django_db
def test_a_member_writes_only_once_signed_and_while_the_round_runs(cast):
    members, unit, _ = _ready(cast)
    leader = members[0].user
    row = unit.draw.round
    before = row.release_at - dt.timedelta(minutes=5)
    with time_machine.travel(before), pytest.raises((PermissionDenied, Http404)):
        services.record_open(actor=leader, unit=unit)
    after = timezone.make_aware(dt.datetime.combine(row.ends_on + dt.timedelta(days=1), dt.time(9)))
    with time_machine.travel(after), pytest.raises(Http404):  # the grant on the unit is over
        services.record_open(actor=leader, unit=unit)
    assert services.record_open(actor=leader, unit=unit)
