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
