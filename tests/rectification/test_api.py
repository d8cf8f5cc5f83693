"""Stage 4 through /api/v1/: the lists and details in scope, each write one service call with its
refusals as field errors, evidence sent in resumable pieces, and the bureau's checks kept from the
enterprise."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import Case
from inspections.models import Problem
from rectification.models import (
    Extension,
    FacilityProposal,
    ItemCheck,
    ItemEvidence,
    ProgressReport,
    RectificationItem,
)
from rectification.services import plan as services
from tests.rectification import factories as f

S = RectificationItem.Status
JSON = "application/json"


def _post(client, name: str, pk: int, body: dict):
    return client.post(reverse(name, args=[pk]), body, content_type=JSON)


def _check_body(**changes) -> dict:
    return {
        "method": "site",
        "checked_on": timezone.localdate().isoformat(),
        "officers": ["js", f.staff("js2").username],
        "conclusion": "现场核查，滤袋已更换，运行正常",
        "close": True,
        **changes,
    }


@pytest.mark.django_db
def test_the_lists_hold_what_the_user_may_see(client, cast):
    plan = f.plan(cast)
    item = plan.items.get()
    services.plan_build(
        actor=cast.other_county, enterprise=f.problem(cast, enterprise=cast.other_ent).enterprise
    )
    for user, plans, items in (
        (cast.county, [plan.pk], [item.pk]),
        (cast.enterprise_user, [plan.pk], [item.pk]),
        (cast.other_county, [], []),
        (cast.other_enterprise_user, [], []),
    ):
        client.force_login(user)
        found = client.get(reverse("rectification-plan-list")).json()["results"]
        assert [row["id"] for row in found if row["id"] == plan.pk] == plans, user
        found = client.get(reverse("rectification-item-list")).json()["results"]
        assert [row["id"] for row in found if row["id"] == item.pk] == items, user
    client.force_login(cast.province)
    assert client.get(reverse("rectification-plan-list")).json()["count"] == 2
    # the page's filters: the unit's name, the status
    rows = client.get(reverse("rectification-plan-list"), {"q": "金水"}).json()["results"]
    assert [row["id"] for row in rows] == [plan.pk]
    assert rows[0]["item_count"] == 1 and rows[0]["enterprise_name"] == cast.ent.name
    rows = client.get(reverse("rectification-item-list"), {"county": "410105"}).json()["results"]
    assert [row["id"] for row in rows] == [item.pk]
    assert client.get(reverse("rectification-item-list"), {"status": "closed"}).json()["count"] == 0


@pytest.mark.django_db
def test_a_plan_and_an_item_out_of_scope_are_not_found(client, cast):
    plan = f.plan(cast)
    item = plan.items.get()
    client.force_login(cast.other_county)
    assert client.get(reverse("rectification-plan-detail", args=[plan.pk])).status_code == 404
    assert client.get(reverse("rectification-item-detail", args=[item.pk])).status_code == 404
    refused = _post(client, "api-rectification-item-plan", item.pk, {"responsible": "越权"})
    assert refused.status_code == 404
    client.force_login(cast.enterprise_user)
    detail = client.get(reverse("rectification-plan-detail", args=[plan.pk])).json()
    assert detail["pdf_url"] == reverse("rectification:plan-pdf", args=[plan.pk])
    assert detail["items"] == [
        {
            "id": item.pk,
            "number": 1,
            "status": "not_started",
            "status_label": "未启动",
            "deadline": None,
            "problem_description": item.problem.description,
        }
    ]


@pytest.mark.django_db
def test_the_item_list_reads_in_a_fixed_number_of_queries(client, cast):
    f.plan(cast, "GL-01")
    client.force_login(cast.county)
    url = reverse("rectification-item-list")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    f.plan(cast, "GL-02", "GL-03")
    with CaptureQueriesContext(connection) as more:
        assert client.get(url).json()["count"] == 3
    assert len(more) == len(few)


@pytest.mark.django_db
def test_the_plan_of_an_item_is_edited_and_a_bad_measure_writes_nothing(client, cast):
    item = f.plan(cast).items.get()
    inspector = f.staff("js2")
    client.force_login(cast.county)
    answer = _post(
        client,
        "api-rectification-item-plan",
        item.pk,
        {
            "requirement": "更换除尘滤袋并保持运行记录",
            "deadline": (timezone.localdate() + timezone.timedelta(days=20)).isoformat(),
            "supervisor": inspector.username,
            "funds": "3.50",
            "measures": ["更换滤袋", "建立运行台账"],
            "milestones": [
                {
                    "title": "滤袋到货",
                    "due_on": (timezone.localdate() + timezone.timedelta(days=5)).isoformat(),
                }
            ],
        },
    )
    assert answer.status_code == 200, answer.json()
    body = answer.json()
    assert body["requirement"] == "更换除尘滤袋并保持运行记录"
    assert body["supervisor"] == {"username": "js2", "name": inspector.full_name}
    assert [m["text"] for m in body["measures"]] == ["更换滤袋", "建立运行台账"]
    assert [m["title"] for m in body["milestones"]] == ["滤袋到货"] and body["funds"] == "3.50"

    before = list(item.measures.values_list("text", flat=True))
    bad = _post(
        client,
        "api-rectification-item-plan",
        item.pk,
        {"responsible": "张三", "measures": ["更换滤袋", "  "]},
    )
    assert bad.status_code == 400 and "measures" in bad.json()
    assert "第 2 条整改措施为空" in bad.json()["measures"][0]
    item.refresh_from_db()
    assert item.responsible == "" and list(item.measures.values_list("text", flat=True)) == before
    # nothing sent is nothing to do
    assert _post(client, "api-rectification-item-plan", item.pk, {}).status_code == 400
    # a person out of reach is refused like one who does not exist
    other = _post(client, "api-rectification-item-plan", item.pk, {"supervisor": "jx"})
    nobody = _post(client, "api-rectification-item-plan", item.pk, {"supervisor": "nobody"})
    assert other.status_code == nobody.status_code == 400
    assert other.json() == nobody.json()

    # the enterprise writes its part, never the bureau's
    client.force_login(cast.enterprise_user)
    mine = _post(client, "api-rectification-item-plan", item.pk, {"responsible": "张三"})
    assert mine.status_code == 200 and mine.json()["responsible"] == "张三"
    theirs = _post(client, "api-rectification-item-plan", item.pk, {"requirement": "不用整改"})
    assert theirs.status_code == 403
    measure = item.measures.get(number=1)
    done = _post(
        client,
        "api-rectification-measure-done",
        item.pk,
        {"measure": measure.pk, "done_on": timezone.localdate().isoformat()},
    )
    assert done.status_code == 200 and done.json()["status"] == S.IN_PROGRESS
    assert done.json()["measures"][0]["done_on"] == timezone.localdate().isoformat()
    elsewhere = services.plan_build(
        actor=cast.other_county, enterprise=f.problem(cast, enterprise=cast.other_ent).enterprise
    ).items.get()
    services.item_update(actor=cast.other_county, item=elsewhere, values={}, measures=["别处"])
    foreign = _post(
        client,
        "api-rectification-measure-done",
        item.pk,
        {"measure": elsewhere.measures.get().pk},
    )
    assert foreign.status_code == 400 and "measure" in foreign.json()


@pytest.mark.django_db
def test_progress_with_a_file_that_is_no_photo_is_refused_and_writes_nothing(client, cast):
    item = f.plan(cast).items.get()
    client.force_login(cast.enterprise_user)
    url = reverse("api-rectification-progress", args=[item.pk])
    fake = f.jpeg()
    fake.file = io.BytesIO(b"not a jpeg at all")
    bad = client.post(url, {"text": "已更换滤袋", "kind": "photo", "files": [fake]})
    assert bad.status_code == 400 and "file" in bad.json()
    assert not ProgressReport.objects.exists() and not ItemEvidence.objects.exists()
    good = client.post(url, {"text": "已更换滤袋", "kind": "photo", "files": [f.jpeg(), f.jpeg()]})
    assert good.status_code == 201
    assert good.json()["text"] == "已更换滤袋" and len(good.json()["evidence"]) == 2
    item.refresh_from_db()
    assert item.status == S.IN_PROGRESS and item.progress == "已更换滤袋"
    # text only, as JSON
    plain = _post(client, "api-rectification-progress", item.pk, {"text": "调试中"})
    assert plain.status_code == 201 and plain.json()["evidence"] == []


@pytest.mark.django_db
def test_evidence_sent_in_resumable_pieces_is_attached_by_its_upload_id(client, cast):
    item = f.plan(cast).items.get()
    data = f.jpeg().read()
    client.force_login(cast.enterprise_user)
    started = client.post(
        reverse("api-uploads"),
        {"name": "整改后.jpg", "size": len(data), "content_type": "image/jpeg"},
        content_type=JSON,
    ).json()
    half = len(data) // 2
    for offset, piece in ((0, data[:half]), (half, data[half:])):
        answer = client.patch(
            started["url"],
            piece,
            content_type="application/offset+octet-stream",
            headers={"Upload-Offset": str(offset)},
        )
        assert answer.status_code == 200
    assert answer.json()["complete"]
    attached = _post(
        client,
        "api-rectification-evidence",
        item.pk,
        {
            "kind": "photo",
            "upload": started["id"],
            "taken_at": "2020-06-01T10:00:00+08:00",
            "latitude": "34.757975",
            "longitude": "113.665412",
        },
    )
    assert attached.status_code == 201, attached.json()
    body = attached.json()
    evidence = ItemEvidence.objects.get(item=item).evidence
    assert body["name"] == "整改后.jpg" and body["kind"] == "photo"
    assert body["url"] == reverse("inspections:evidence", args=[evidence.pk])
    assert body["latitude"] == pytest.approx(34.757975) and body["taken_at"]
    assert evidence.file.read() == data
    # the file opens where the item is seen
    assert client.get(body["url"]).status_code == 200
    # an upload is taken once
    again = _post(
        client, "api-rectification-evidence", item.pk, {"kind": "photo", "upload": started["id"]}
    )
    assert again.status_code == 400 and "file" in again.json()
    assert ItemEvidence.objects.count() == 1


@pytest.mark.django_db
def test_applied_then_checked_and_closed_the_problem_is_closed(client, cast):
    item = f.ready_item(cast, f.plan(cast).items.get())
    client.force_login(cast.enterprise_user)
    applied = _post(
        client, "api-rectification-apply", item.pk, {"note": "已完成", "expected": item.status}
    )
    assert applied.status_code == 200 and applied.json()["status"] == S.APPLIED
    assert _post(client, "api-rectification-check", item.pk, _check_body()).status_code == 403

    client.force_login(cast.county)
    stale = _post(client, "api-rectification-check", item.pk, _check_body(expected="in_progress"))
    assert stale.status_code == 400 and not ItemCheck.objects.exists()
    strangers = _post(
        client, "api-rectification-check", item.pk, _check_body(officers=["js", "jx"])
    )
    assert strangers.status_code == 400 and "officers" in strangers.json()
    closed = _post(client, "api-rectification-check", item.pk, _check_body(expected="applied"))
    assert closed.status_code == 201, closed.json()
    assert closed.json()["outcome"] == "closed" and closed.json()["officers"] == ["js", "js2"]
    item.refresh_from_db()
    item.problem.refresh_from_db()
    assert item.status == S.CLOSED and item.problem.status == Problem.Status.CLOSED

    # the bureau sees its check on the item; the enterprise does not
    detail = client.get(reverse("rectification-item-detail", args=[item.pk])).json()
    assert [c["id"] for c in detail["checks"]] == [closed.json()["id"]]
    client.force_login(cast.enterprise_user)
    detail = client.get(reverse("rectification-item-detail", args=[item.pk])).json()
    assert detail["checks"] == [] and detail["status"] == S.CLOSED
    assert len(detail["evidence"]) == 1 and detail["measures"][0]["done_on"]


@pytest.mark.django_db
def test_an_extension_is_requested_and_decided(client, cast):
    item = f.plan(cast).items.get()
    wanted = (timezone.localdate() + timezone.timedelta(days=30)).isoformat()
    client.force_login(cast.enterprise_user)
    asked = _post(
        client,
        "api-rectification-extension",
        item.pk,
        {"reason": "设备到货延迟", "deadline": wanted},
    )
    assert asked.status_code == 201 and asked.json()["status"] == "requested"
    twice = _post(
        client, "api-rectification-extension", item.pk, {"reason": "再申请", "deadline": wanted}
    )
    assert twice.status_code == 400 and Extension.objects.count() == 1
    extension = Extension.objects.get()
    assert (
        _post(
            client, "api-rectification-extension-decide", extension.pk, {"grant": True}
        ).status_code
        == 403
    )

    client.force_login(cast.other_county)
    assert (
        _post(
            client, "api-rectification-extension-decide", extension.pk, {"grant": True}
        ).status_code
        == 404
    )
    client.force_login(cast.county)
    unexplained = _post(
        client, "api-rectification-extension-decide", extension.pk, {"grant": False}
    )
    assert unexplained.status_code == 400 and "note" in unexplained.json()
    granted = _post(
        client, "api-rectification-extension-decide", extension.pk, {"grant": True, "note": "同意"}
    )
    assert granted.status_code == 200
    assert granted.json()["status"] == "granted" and granted.json()["granted_deadline"] == wanted
    item.refresh_from_db()
    assert item.deadline.isoformat() == wanted
    client.force_login(cast.enterprise_user)
    detail = client.get(reverse("rectification-item-detail", args=[item.pk])).json()
    assert [e["status"] for e in detail["extensions"]] == ["granted"]


@pytest.mark.django_db
def test_a_proposal_is_listed_for_the_bureau_and_confirmed_into_a_case(client, cast):
    proposal = f.proposal(cast)
    client.force_login(cast.enterprise_user)
    assert client.get(reverse("rectification-proposal-list")).status_code == 403
    client.force_login(cast.other_county)
    assert client.get(reverse("rectification-proposal-list")).json()["count"] == 0
    decide = reverse("api-rectification-proposal-decide", args=[proposal.pk])
    assert (
        client.post(decide, {"confirm": False, "note": "越权"}, content_type=JSON).status_code
        == 404
    )

    client.force_login(cast.county)
    rows = client.get(reverse("rectification-proposal-list"), {"status": "proposed"}).json()
    assert [row["id"] for row in rows["results"]] == [proposal.pk]
    unknown = client.post(
        decide, {"confirm": True, "investigators": ["js", "jx"]}, content_type=JSON
    )
    assert unknown.status_code == 400 and "investigators" in unknown.json()
    assert not Case.objects.exists()
    confirmed = client.post(
        decide,
        {"confirm": True, "investigators": ["js", f.staff("js2").username]},
        content_type=JSON,
    )
    assert confirmed.status_code == 200, confirmed.json()
    body = confirmed.json()
    assert body["status"] == FacilityProposal.Status.CONFIRMED and body["case"] and body["problem"]
    case = Case.objects.get(pk=body["case"])
    assert sorted(case.investigators.values_list("username", flat=True)) == ["js", "js2"]
    again = client.post(decide, {"confirm": False, "note": "不予处理"}, content_type=JSON)
    assert again.status_code == 400
