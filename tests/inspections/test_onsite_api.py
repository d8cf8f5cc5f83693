"""Stage 2 API: plan, record lines with revisions (409), evidence upload, submit; scoped; codes; pdf_url."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from campaign.models import User
from tests.factories import UserFactory, region
from tests.inspections.factories import use_catalogue

PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 100


def api_for(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_plan_fill_conflict_upload_and_submit_over_the_api(cast):
    use_catalogue()
    UserFactory(username="js2", role="county", region=region("410105"), badge_no="41010520002")
    api = api_for(cast.county)
    body = {
        "enterprise": cast.other_ent.pk,
        "planned_on": "2020-05-12",
        "source": "special",
        "lead": "js",
        "inspectors": ["js2"],
    }
    assert (
        api.post(reverse("api-inspection-plan"), body, format="json").status_code == 400
    )  # 涧西: out of scope
    body["enterprise"] = cast.ent.pk
    body["inspectors"] = []
    response = api.post(reverse("api-inspection-plan"), body, format="json")
    assert response.status_code == 400 and "两名执法人员" in str(response.json())
    body["inspectors"] = ["js2"]
    created = api.post(reverse("api-inspection-plan"), body, format="json").json()
    assert (
        created["county_code"] == "410105"
        and created["city_code"] == "4101"
        and created["pdf_url"] is None
    )
    from inspections.models import Inspection
    from inspections.services import onsite

    inspection = Inspection.objects.get(pk=created["id"])
    onsite.inspection_start(actor=cast.county, inspection=inspection)
    finding = inspection.findings.first()
    url = reverse("api-finding-save", args=[finding.pk])
    assert api.post(url, {"revision": 0, "result": "ok"}, format="json").json()["revision"] == 1
    conflict = api_for(User.objects.get(username="js2")).post(
        url, {"revision": 0, "result": "na"}, format="json"
    )
    assert conflict.status_code == 409 and conflict.json()["current"]["result"] == "ok"
    assert (
        api_for(cast.city).post(url, {"revision": 1, "result": "na"}, format="json").status_code
        == 403
    )
    assert (
        api_for(cast.other_county)
        .post(url, {"revision": 1, "result": "na"}, format="json")
        .status_code
        == 404
    )
    upload = api.post(
        reverse("api-finding-evidence", args=[finding.pk]),
        {
            "file": SimpleUploadedFile("a.png", PNG, content_type="image/png"),
            "taken_at": "2020-05-12T10:20:00+08:00",
            "latitude": "34.758",
            "longitude": "113.665",
        },
        format="multipart",
    )
    assert upload.status_code == 201 and float(upload.json()["evidence"][0]["latitude"]) == 34.758
    response = api.post(
        reverse("api-inspection-submit", args=[inspection.pk]), {"confirm": True}, format="json"
    )
    assert response.status_code == 400 and "未签名" in str(response.json())
    listing = api_for(cast.city).get(reverse("inspection-list")).json()
    assert (
        listing["count"] == 1
        and {m["role"]: m["badge_no"] for m in listing["results"][0]["team"]}["lead"]
        == "41010520001"
    )
    assert api_for(cast.other_city).get(reverse("inspection-list")).json()["count"] == 0
    # a list carries the header and the team; the record's lines are at the inspection's address
    assert "findings" not in listing["results"][0]
    assert listing["results"][0]["team"][0]["signed"] is False
    detail = api_for(cast.city).get(reverse("inspection-detail", args=[inspection.pk])).json()
    assert {f["item_code"] for f in detail["findings"]} == set(
        inspection.findings.values_list("item__code", flat=True)
    )


def test_a_write_made_with_a_token_names_its_author_in_the_history(cast):
    from auditlog.models import LogEntry
    from rest_framework.authtoken.models import Token

    from inspections.models import InspectionFinding
    from inspections.services import onsite
    from tests.inspections.factories import inspection

    use_catalogue()
    planned = inspection(cast)
    onsite.inspection_start(actor=cast.county, inspection=planned)
    finding = planned.findings.first()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=cast.county).key}")
    response = api.post(
        reverse("api-finding-save", args=[finding.pk]),
        {"revision": 0, "result": "ok"},
        format="json",
    )
    assert response.status_code == 200
    entry = LogEntry.objects.get_for_object(InspectionFinding.objects.get(pk=finding.pk)).latest(
        "timestamp"
    )
    assert entry.actor == cast.county


def test_file_links_in_the_api_open_with_the_same_token(cast):
    from django.test import Client
    from rest_framework.authtoken.models import Token

    from inspections.services import onsite
    from tests.inspections.factories import inspection
    from tests.inspections.test_onsite import complete

    use_catalogue()
    record = complete(cast, inspection(cast))
    onsite.inspection_submit(actor=cast.county, inspection=record)
    token = Token.objects.create(user=cast.county).key
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    pdf_url = api.get(reverse("inspection-detail", args=[record.pk])).json()["pdf_url"]
    browser = Client()
    assert browser.get(pdf_url).status_code == 302  # no session, no token: to the login page
    response = browser.get(pdf_url, HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    # a token of someone the record is hidden from gets the same answer as for a missing record
    other = Token.objects.create(user=cast.other_county).key
    assert browser.get(pdf_url, HTTP_AUTHORIZATION=f"Token {other}").status_code == 404
    assert browser.get(pdf_url, HTTP_AUTHORIZATION="Token wrong").status_code == 302


def test_the_api_refuses_a_place_off_the_globe(cast):
    from inspections.services import onsite
    from tests.inspections.factories import inspection

    use_catalogue()
    planned = inspection(cast)
    onsite.inspection_start(actor=cast.county, inspection=planned)
    finding = planned.findings.first()
    url = reverse("api-finding-evidence", args=[finding.pk])
    for field, value in (("latitude", "91"), ("longitude", "-181")):
        upload = SimpleUploadedFile("p.png", PNG, content_type="image/png")
        response = api_for(cast.county).post(
            url, {"file": upload, field: value}, format="multipart"
        )
        assert response.status_code == 400 and field in response.json()
    assert not finding.evidence.exists()


def test_the_header_is_saved_with_its_revision_and_a_recorder_from_the_team_only(cast):
    from tests.inspections import factories as stage1

    inspection = stage1.finding(cast).inspection
    api = api_for(cast.county)
    url = reverse("api-inspection-header", args=[inspection.pk])
    outsider = UserFactory(username="js3", role="county", region=region("410105"))
    refused = api.post(
        url, {"revision": inspection.revision, "recorder": outsider.pk}, format="json"
    )
    assert refused.status_code == 400 and "记录人须为本检查组的执法人员" in str(refused.json())
    saved = api.post(
        url,
        {
            "revision": inspection.revision,
            "place": "生产车间",
            "started_at": "2026-12-03T09:30",
            "recorder": cast.county.pk,
        },
        format="json",
    )
    body = saved.json()
    assert saved.status_code == 200, body
    assert body["place"] == "生产车间" and body["recorder"] == cast.county.pk
    assert body["revision"] == inspection.revision + 1
    assert "表头：未填写检查结束时间" in body["missing"]
    inspection.refresh_from_db()
    # a wall-clock time typed on the phone is Beijing time
    assert inspection.started_at.isoformat() == "2026-12-03T01:30:00+00:00"
    stale = api.post(url, {"revision": inspection.revision - 1, "place": "别处"}, format="json")
    assert stale.status_code == 409 and stale.json()["current"]["place"] == "生产车间"


def test_signing_over_the_api_is_for_the_team_and_keeps_the_image(cast):
    from tests.inspections import factories as stage1

    inspection = stage1.finding(cast).inspection
    url = reverse("api-inspection-sign", args=[inspection.pk])
    assert (
        api_for(cast.city).post(url, {"signature": stage1.SIGNATURE}, format="json").status_code
        == 403
    )
    bad = api_for(cast.county).post(url, {"signature": "data:image/png;base64,xx"}, format="json")
    assert bad.status_code == 400 and "签名无效" in str(bad.json())
    no_name = api_for(cast.county).post(
        url, {"signature": stage1.SIGNATURE, "who": "representative"}, format="json"
    )
    assert no_name.status_code == 400 and "企业现场负责人姓名" in str(no_name.json())
    signed = api_for(cast.county).post(url, {"signature": stage1.SIGNATURE}, format="json")
    assert signed.status_code == 200
    me = next(m for m in signed.json()["team"] if m["badge_no"] == cast.county.badge_no)
    assert me["signed"] is True
    assert inspection.members.get(user=cast.county).signature == stage1.SIGNATURE


def test_a_self_check_item_is_saved_over_the_api_by_its_own_enterprise_only(cast):
    from inspections.models import SelfCheck
    from tests.inspections import factories as stage1

    check = stage1.self_check(cast)
    SelfCheck.objects.filter(pk=check.pk).update(status="draft")
    answer = check.answers.first()
    url = reverse("api-answer-save", args=[answer.pk])
    assert api_for(cast.other_enterprise_user).post(url, {"result": "na"}).status_code == 404
    assert api_for(cast.county).post(url, {"result": "na"}).status_code == 403
    api = api_for(cast.enterprise_user)
    assert "请选择自查结果" in str(api.post(url, {}, format="json").json())
    draft = api.post(url, {"result": "noncompliant", "problem": "台账不全"}, format="json")
    assert draft.status_code == 200
    assert draft.json()["missing"] == ["未填写整改措施", "未填写整改时限", "未填写责任人"]
    upload = api.post(
        reverse("api-answer-evidence", args=[answer.pk]),
        {"file": SimpleUploadedFile("台账.png", PNG, content_type="image/png")},
        format="multipart",
    )
    assert upload.status_code == 201 and upload.json()["evidence"][0]["name"] == "台账.png"
    SelfCheck.objects.filter(pk=check.pk).update(status="submitted")
    closed = api.post(url, {"result": "compliant"}, format="json")
    assert closed.status_code == 400
    answer.refresh_from_db()
    assert answer.problem == "台账不全"


def test_the_page_script_writes_with_its_session_and_the_csrf_token_read_when_sending(cast):
    """The phone's outbox posts to the API with the browser session: without the CSRF token
    it is refused (403), with the token read from the cookie at send time it goes through."""
    from django.test import Client

    from tests.inspections import factories as stage1

    finding = stage1.finding(cast)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(cast.county)
    browser.get(reverse("inspections:inspection", args=[finding.inspection_id]))
    url = reverse("api-finding-save", args=[finding.pk])
    body = {"revision": finding.revision, "result": "ok"}
    assert browser.post(url, body, content_type="application/json").status_code == 403
    token = browser.cookies["csrftoken"].value
    saved = browser.post(url, body, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert saved.status_code == 200 and saved.json()["revision"] == finding.revision + 1


def test_the_second_inspector_signs_on_the_same_phone_with_their_own_password(cast):
    from django.core.cache import cache

    from campaign.models import User
    from inspections.services.onsite import SIGN_ATTEMPTS
    from tests.inspections import factories as stage1

    cache.clear()
    inspection = stage1.finding(cast).inspection
    second = User.objects.get(username="js2")
    second.set_password("second-pass-2020")
    second.save()
    api = api_for(cast.county)  # the lead holds the phone
    url = reverse("api-inspection-sign", args=[inspection.pk])
    body = {"signature": stage1.SIGNATURE, "signer": second.pk}
    wrong = api.post(url, body | {"signer_password": "not-theirs"}, format="json")
    assert wrong.status_code == 400 and "密码不正确" in str(wrong.json())
    assert not inspection.members.get(user=second).signature
    outsider = api.post(
        url, body | {"signer": cast.other_county.pk, "signer_password": "x"}, format="json"
    )
    assert outsider.status_code == 400 and "本检查组的执法人员" in str(outsider.json())
    signed = api.post(url, body | {"signer_password": "second-pass-2020"}, format="json")
    assert signed.status_code == 200
    theirs = inspection.members.get(user=second)
    assert theirs.signature == stage1.SIGNATURE and theirs.signed_at is not None
    assert not inspection.members.get(user=cast.county).signature  # the holder's own is untouched
    # guessing a colleague's password stops after a few tries
    for _ in range(SIGN_ATTEMPTS):
        api.post(url, body | {"signer_password": "guess"}, format="json")
    locked = api.post(url, body | {"signer_password": "second-pass-2020"}, format="json")
    assert locked.status_code == 400 and "连续输错" in str(locked.json())
    cache.clear()
