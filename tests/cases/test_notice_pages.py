"""The combined notice as the bureau and the enterprise use it in the browser and the API."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from cases.models import Case, Notice, Path, Reply
from cases.services.classification import classify
from tests.cases.test_notice import reviewed


@pytest.fixture
def frozen():
    moment = dt.datetime(2026, 9, 1, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
    with time_machine.travel(moment, tick=False):
        yield


@pytest.mark.django_db
def test_draft_serve_print_and_answer(client, cast, frozen):
    from tests.cases import factories as f

    gap = f.problem(cast, code="GL-01")
    classify(actor=cast.county, problems=[gap], path=Path.GUIDANCE, reason="制度缺失")
    case = reviewed(cast, "HF-01", 250_000)
    client.force_login(cast.county)
    page = client.get(reverse("cases:case", args=[case.pk])).content.decode()
    assert "拟定事先告知书" in page
    drafted = client.post(reverse("cases:notice-draft", args=[case.pk]), follow=True)
    body = drafted.content.decode()
    assert "已拟定告知书，共 2 项" in body and gap.description in body
    notice = Notice.objects.get()
    # the enterprise sees no draft
    client.force_login(cast.enterprise_user)
    assert client.get(reverse("cases:notice", args=[notice.pk])).status_code == 404
    assert notice.pk not in [n["id"] for n in client.get("/api/v1/notices/").json()["results"]]
    client.force_login(cast.county)
    refused = client.post(
        reverse("cases:notice-serve", args=[notice.pk]),
        {"served_on": "2026-09-01", "method": "left", "recipient": ""},
    )
    assert refused.status_code == 400
    assert "留置送达须写明拒收事由" in refused.content.decode()
    served = client.post(
        reverse("cases:notice-serve", args=[notice.pk]),
        {"served_on": "2026-09-01", "method": "direct", "recipient": "王经理"},
        follow=True,
    )
    assert "豫0105环罚告字〔2026〕1号" in served.content.decode()
    pdf = client.get(reverse("cases:notice-pdf", args=[notice.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    case.refresh_from_db()
    assert case.status == Case.Status.NOTIFIED
    # the enterprise reads it, answers online, and the bureau sees the answer
    client.force_login(cast.enterprise_user)
    mine = client.get(reverse("cases:notices")).content.decode()
    assert "豫0105环罚告字〔2026〕1号" in mine
    answered = client.post(
        reverse("cases:notice-reply", args=[notice.pk]),
        {"kind": "statement", "text": "已整改完毕，请求从轻。"},
        follow=True,
    )
    assert "已提交陈述申辩" in answered.content.decode()
    api = client.post(
        f"/api/v1/notices/{notice.pk}/replies/",
        {"kind": "hearing", "text": "申请听证"},
        content_type="application/json",
    )
    assert api.status_code == 201 and api.json()["is_late"] is False
    assert Reply.objects.count() == 2
    client.force_login(cast.other_enterprise_user)
    assert client.get(reverse("cases:notice", args=[notice.pk])).status_code == 404
    client.force_login(cast.county)
    assert (
        "已整改完毕，请求从轻"
        in client.get(reverse("cases:notice", args=[notice.pk])).content.decode()
    )


@pytest.mark.django_db
def test_a_refused_draft_says_why_on_the_case_page(client, cast, frozen):
    from tests.cases import factories as f

    case = f.case(cast)  # not yet filed
    client.force_login(cast.county)
    response = client.post(reverse("cases:notice-draft", args=[case.pk]))
    assert response.status_code == 400
    assert "尚有案件未调查终结" in response.content.decode()
    assert not Notice.objects.exists()
