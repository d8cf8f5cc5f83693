"""Integrity documents, assignments, signatures (who, which version, when, from where), self-checks."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from campaign.models import Assignment, IntegrityDocument, Region
from campaign.models.integrity import SELF_CHECK_ITEMS
from campaign.services import integrity as services
from tests import org_factories


@pytest.fixture
def setup(cast):
    campaign = org_factories.campaign()
    v1 = services.integrity_document_publish(
        actor=cast.admin,
        campaign=campaign,
        kind=IntegrityDocument.Kind.COMMITMENT,
        title="承诺书",
        body="第一版",
    )
    today = timezone.localdate()
    assignment = services.assignment_create(
        actor=cast.province,
        campaign=campaign,
        user=cast.county,
        title="异地交叉核查",
        destination=Region.objects.get(level="city", code="4103"),
        starts_on=today + dt.timedelta(days=2),
        ends_on=today + dt.timedelta(days=8),
    )
    return campaign, v1, assignment


def test_nobody_verifies_their_own_city(cast, setup):
    campaign, _v1, _a = setup
    with pytest.raises(ValidationError, match="不能安排其到本市"):
        services.assignment_create(
            actor=cast.province,
            campaign=campaign,
            user=cast.county,
            title="x",
            destination=Region.objects.get(level="city", code="4101"),
            starts_on=dt.date(2020, 8, 1),
            ends_on=dt.date(2020, 8, 9),
        )
    with pytest.raises(PermissionDenied):
        services.assignment_create(
            actor=cast.city,
            campaign=campaign,
            user=cast.county,
            title="x",
            destination=Region.objects.get(level="city", code="4103"),
            starts_on=dt.date(2020, 8, 1),
            ends_on=dt.date(2020, 8, 9),
        )


PHONE = (
    "Mozilla/5.0 (Linux; Android 10; HMA-AL00) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/78.0.3904.62 Mobile Safari/537.36 MicroMessenger/7.0.14"
)


def test_a_device_is_described_in_words():
    from campaign.devices import describe

    assert describe(PHONE) == "安卓手机 · 微信"
    assert describe(
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120.0 Safari/537.36 Edg/120.0"
    ) == ("Windows 电脑 · Edge 浏览器")
    assert describe("Mozilla/5.0 (iPhone; CPU iPhone OS 14_0) Version/14.0 Safari/604.1") == (
        "苹果手机 · Safari 浏览器"
    )
    assert describe("curl/8.0") == "其他设备 · 其他浏览器" and describe("") == "未记录"


def test_signing_in_the_browser_records_version_time_and_origin(client, cast, setup):
    campaign, _v1, assignment = setup
    services.integrity_document_publish(
        actor=cast.admin,
        campaign=campaign,
        kind=IntegrityDocument.Kind.COMMITMENT,
        title="承诺书",
        body="第二版",
    )
    with pytest.raises(ValidationError):
        services.assignment_ensure_committed(assignment)
    client.force_login(cast.county)
    page = client.get(reverse("campaign:assignment", args=[assignment.pk])).content.decode()
    assert "第二版" in page and "第一版" not in page
    response = client.post(
        reverse("campaign:assignment-sign", args=[assignment.pk]),
        {"agree": "on", "signed_name": "别人"},
    )
    assert response.status_code == 400 and "须与本人姓名" in response.content.decode()
    response = client.post(
        reverse("campaign:assignment-sign", args=[assignment.pk]),
        {"agree": "on", "signed_name": cast.county.full_name},
        HTTP_USER_AGENT=PHONE,
        REMOTE_ADDR="10.41.1.5",
    )
    assert response.status_code == 302
    commitment = Assignment.objects.get(pk=assignment.pk).commitment
    assert commitment.document.version == 2 and commitment.ip_address == "10.41.1.5"
    assert commitment.user_agent == PHONE and not commitment.is_late
    # the reviewer reads the device in words; the header is kept as sent
    client.force_login(cast.patrol)
    page = client.get(reverse("campaign:assignment", args=[assignment.pk])).content.decode()
    assert '<span data-testid="device">安卓手机 · 微信</span>' in page and PHONE in page
    services.assignment_ensure_committed(assignment)  # the check the cross-region stage calls
    # a second signature is refused
    with pytest.raises(ValidationError):
        services.commitment_sign(
            actor=cast.county, assignment=assignment, signed_name=cast.county.full_name
        )


def test_signing_after_the_start_is_accepted_and_late(cast, setup):
    _c, _v1, assignment = setup
    at = timezone.now() + dt.timedelta(days=3)
    commitment = services.commitment_sign(
        actor=cast.county, assignment=assignment, signed_name=cast.county.full_name, at=at
    )
    assert commitment.is_late


def test_only_the_person_signs_and_self_checks(client, cast, setup):
    _c, _v1, assignment = setup
    client.force_login(cast.patrol)
    assert client.get(reverse("campaign:assignment", args=[assignment.pk])).status_code == 200
    response = client.post(
        reverse("campaign:assignment-sign", args=[assignment.pk]),
        {"agree": "on", "signed_name": cast.county.full_name},
    )
    assert response.status_code == 403
    client.force_login(cast.other_county)
    assert client.get(reverse("campaign:assignment", args=[assignment.pk])).status_code == 404


def test_self_check_after_the_end_with_explanations(cast, setup):
    _c, _v1, assignment = setup
    answers = {key: {"ok": True, "note": ""} for key, _ in SELF_CHECK_ITEMS}
    with pytest.raises(ValidationError, match="任务结束"):
        services.integrity_self_check_submit(
            actor=cast.county, assignment=assignment, answers=answers
        )
    after = timezone.now() + dt.timedelta(days=9)
    answers["gifts"] = {"ok": False, "note": ""}
    with pytest.raises(ValidationError) as excinfo:
        services.integrity_self_check_submit(
            actor=cast.county, assignment=assignment, answers=answers, at=after
        )
    assert "请说明具体情况" in str(excinfo.value)
    answers["gifts"] = {"ok": False, "note": "企业送来茶叶一盒，已当场退回。"}
    check = services.integrity_self_check_submit(
        actor=cast.county, assignment=assignment, answers=answers, at=after
    )
    assert check.has_issue and check.answers["gifts"]["note"].startswith("企业送来")


def test_patrol_sees_who_has_not_signed_and_exports_it(client, cast, setup):
    _c, _v1, assignment = setup
    client.force_login(cast.patrol)
    page = client.get(reverse("campaign:assignments"), {"missing": "commitment"}).content.decode()
    assert cast.county.full_name in page
    services.commitment_sign(
        actor=cast.county, assignment=assignment, signed_name=cast.county.full_name
    )
    page = client.get(reverse("campaign:assignments"), {"missing": "commitment"}).content.decode()
    assert cast.county.full_name not in page
    from tests.xlsx import read_xlsx, response_bytes

    rows = read_xlsx(response_bytes(client.get(reverse("campaign:assignments-export"))))
    assert rows[1][0] == cast.county.full_name and rows[1][6] == "已签署" and rows[1][8] == "未填报"
    found = client.get(reverse("campaign:assignments"), {"q": cast.county.full_name})
    assert '<b data-testid="result-count">1</b>' in found.content.decode()
    none = client.get(reverse("campaign:assignments"), {"q": "没有这个人"}).content.decode()
    assert '<b data-testid="result-count">0</b>' in none and cast.county.full_name not in none


def test_the_self_check_says_before_it_is_filled_that_it_opens_when_the_task_ends(client, cast):
    from django.urls import reverse

    from tests import org_factories

    assignment = org_factories.assignment(cast)  # starts in 3 days
    client.force_login(cast.county)
    page = client.get(reverse("campaign:assignment", args=[assignment.pk])).content.decode()
    assert "尚未开放" in page and "当天起即可在此填写自查表" in page
    assert "提交自查表" not in page  # no form that would only be refused
