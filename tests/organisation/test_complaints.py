"""The public complaint channel: filing, tracking code, rate limit, attachments, handling by the patrol."""

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from campaign.models import Complaint, ComplaintAttachment
from tests import org_factories

PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 100


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


def form(**values):
    data = {
        "accused": "某核查组执法人员",
        "place": "洛阳市涧西区",
        "happened_on": "2020-08-12",
        "description": "与被检查企业负责人一同饮酒。",
        "reporter_name": "李先生",
        "reporter_contact": "13938860000",
    }
    data.update(values)
    return data


def test_public_files_a_complaint_and_checks_the_status_only(client, cast):
    org_factories.campaign()
    photo = SimpleUploadedFile("现场.png", PNG, content_type="image/png")
    response = client.post(
        reverse("public:complaint-create"), {**form(), "attachments": [photo]}, follow=True
    )
    # filed, then redirected to the confirmation: a reload shows it again and files nothing
    assert response.redirect_chain == [(reverse("public:complaint-done"), 302)]
    complaint = Complaint.objects.get()
    assert complaint.tracking_code in response.content.decode()
    again = client.get(reverse("public:complaint-done")).content.decode()
    assert complaint.tracking_code in again and Complaint.objects.count() == 1
    assert ComplaintAttachment.objects.get().content_type == "image/png"
    page = client.get(
        reverse("public:complaint-status"), {"code": complaint.tracking_code.lower()}
    ).content.decode()
    assert "已受理" in page
    for secret in ("李先生", "13938860000", "饮酒", "某核查组"):
        assert secret not in page
    page = client.get(reverse("public:complaint-status"), {"code": "ZZZZZZZZZZZZ"}).content.decode()
    assert "没有找到该查询码" in page


def test_the_phone_number_is_published(client, cast):
    campaign = org_factories.campaign()
    campaign.complaint_phone = "0371-66309206"
    campaign.save()
    assert "0371-66309206" in client.get(reverse("public:complaint-create")).content.decode()


def test_bad_input_is_refused_with_messages_and_kept(client, cast):
    fake = SimpleUploadedFile("病毒.png", b"MZ\x90\x00 not an image", content_type="image/png")
    response = client.post(
        reverse("public:complaint-create"),
        {**form(accused="", happened_on="2099-01-01"), "attachments": [fake]},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "这个字段是必填项" in page or "必填" in page
    assert not Complaint.objects.exists()
    response = client.post(reverse("public:complaint-create"), {**form(happened_on="2099-01-01")})
    assert (
        "不能晚于今天" in response.content.decode()
        and 'value="洛阳市涧西区"' in response.content.decode()
    )
    fake = SimpleUploadedFile("病毒.png", b"MZ\x90\x00 not an image", content_type="image/png")
    response = client.post(reverse("public:complaint-create"), {**form(), "attachments": [fake]})
    assert "只能上传 JPG、PNG、PDF" in response.content.decode()
    assert not Complaint.objects.exists() and not ComplaintAttachment.objects.exists()


def test_submissions_are_rate_limited_per_client(client, cast):
    for _ in range(5):
        client.post(reverse("public:complaint-create"), form(), REMOTE_ADDR="10.9.9.9")
    response = client.post(reverse("public:complaint-create"), form(), REMOTE_ADDR="10.9.9.9")
    assert response.status_code == 429 and "过于频繁" in response.content.decode()
    assert Complaint.objects.count() == 5
    # another client is not affected
    assert (
        client.post(reverse("public:complaint-create"), form(), REMOTE_ADDR="10.9.9.10").status_code
        == 302  # filed: on to the confirmation
    )


def test_patrol_moves_it_to_concluded_with_a_written_conclusion(client, cast):
    client.post(reverse("public:complaint-create"), form())
    complaint = Complaint.objects.get()
    client.force_login(cast.patrol)
    url = reverse("campaign:complaint-transition", args=[complaint.pk])
    response = client.post(url, {"to_status": "concluded", "note": "直接办结"})
    assert response.status_code == 400 and "不能变为" in response.content.decode()
    assert client.post(url, {"to_status": "investigating", "note": "约谈组长"}).status_code == 302
    response = client.post(url, {"to_status": "concluded", "note": ""})
    assert response.status_code == 400 and "必须填写办理结论" in response.content.decode()
    assert (
        client.post(url, {"to_status": "concluded", "note": "情况属实，已通报批评。"}).status_code
        == 302
    )
    complaint.refresh_from_db()
    assert (
        complaint.status == "concluded"
        and complaint.handler == cast.patrol
        and complaint.concluded_at
    )
    assert list(complaint.transitions.values_list("to_status", flat=True)) == [
        "received",
        "investigating",
        "concluded",
    ]
    client.logout()
    page = client.get(
        reverse("public:complaint-status"), {"code": complaint.tracking_code}
    ).content.decode()
    # the reporter reads the conclusion, not the handling notes
    assert "已办结" in page and "情况属实，已通报批评。" in page and "约谈组长" not in page


def test_only_the_patrol_sees_the_reporter(client, cast):
    client.post(reverse("public:complaint-create"), form())
    complaint = Complaint.objects.get()
    client.force_login(cast.patrol)
    assert (
        "13938860000"
        in client.get(reverse("campaign:complaint", args=[complaint.pk])).content.decode()
    )
    client.force_login(cast.province)
    page = client.get(reverse("campaign:complaint", args=[complaint.pk])).content.decode()
    assert "某核查组执法人员" in page and "13938860000" not in page and "李先生" not in page
    assert (
        client.post(
            reverse("campaign:complaint-transition", args=[complaint.pk]),
            {"to_status": "investigating"},
        ).status_code
        == 403
    )
    from tests.xlsx import read_xlsx, response_bytes

    rows = read_xlsx(response_bytes(client.get(reverse("campaign:complaints-export"))))
    assert "联系方式" not in rows[0] and "13938860000" not in str(rows)
    for user in (cast.admin, cast.city, cast.county):
        client.force_login(user)
        assert client.get(reverse("campaign:complaint", args=[complaint.pk])).status_code == 404


def test_the_patrol_searches_complaints_by_code_person_or_place(client, cast):
    client.post(reverse("public:complaint-create"), form())
    complaint = Complaint.objects.get()
    client.force_login(cast.patrol)
    url = reverse("campaign:complaints")
    for found in (complaint.tracking_code.lower(), complaint.accused[:4], complaint.place[:2]):
        page = client.get(url, {"q": found}).content.decode()
        assert '<b data-testid="result-count">1</b>' in page and complaint.tracking_code in page
    page = client.get(url, {"q": "没有这个人"}).content.decode()
    assert '<b data-testid="result-count">0</b>' in page
    from tests.xlsx import read_xlsx, response_bytes

    export = client.get(reverse("campaign:complaints-export"), {"q": "没有这个人"})
    assert len(read_xlsx(response_bytes(export))) == 1  # the headings only


def test_the_confirmation_forgets_the_code_after_a_while(client, cast):
    import datetime as dt

    import time_machine
    from django.utils import timezone

    org_factories.campaign()
    client.post(reverse("public:complaint-create"), form())
    code = Complaint.objects.get().tracking_code
    assert code in client.get(reverse("public:complaint-done")).content.decode()
    # the next person at a shared computer does not find it
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=11)):
        page = client.get(reverse("public:complaint-done")).content.decode()
    assert code not in page and "尚未提交举报" in page
