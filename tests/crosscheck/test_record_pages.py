"""The verification record and accountability in the browser's forms and through the API."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from campaign.models import User
from crosscheck.models import Accountability, Finding, VerificationRecord
from crosscheck.services import record as services
from tests.crosscheck import factories as f
from tests.crosscheck.test_record import SIGNATURE, _ready


@pytest.mark.django_db
def test_a_member_records_and_signs_and_the_city_and_province_act_on_the_pages(client, cast):
    members, unit, inspection = _ready(cast)
    leader = members[0].user
    url = reverse("crosscheck:unit", args=[unit.pk])
    client.force_login(cast.other_county)  # not in the team, nothing granted
    assert client.get(url).status_code == 404
    client.force_login(leader)
    page = client.get(url).content.decode()
    assert "记录核查发现" in page and "现场检查" in page  # the unit's inspection to point at
    bad = client.post(
        reverse("crosscheck:finding-add", args=[unit.pk]),
        {
            "code": "not_filed",
            "description": "检查发现违法未立案",
            "people": [f"{cast.county.pk}:lead"],
        },
    )
    assert bad.status_code == 400 and "检查发现违法未立案" in bad.content.decode()
    assert "请选择该发现所针对的记录" in bad.content.decode()
    good = client.post(
        reverse("crosscheck:finding-add", args=[unit.pk]),
        {
            "code": "not_filed",
            "description": "检查发现违法未立案",
            "about": f"inspection:{inspection.pk}",
            "people": [f"{cast.county.pk}:lead"],
        },
    )
    assert good.status_code == 302
    record = VerificationRecord.objects.get()
    sign = reverse("crosscheck:record-sign", args=[record.pk])
    assert client.post(sign, {"summary": "", "signature": SIGNATURE}).status_code == 400
    for m in members:
        client.force_login(m.user)
        response = client.post(sign, {"summary": "核查了检查记录和案件", "signature": SIGNATURE})
        assert response.status_code == 302
    record.refresh_from_db()
    assert record.status == "signed"
    row = Accountability.objects.get()

    client.force_login(cast.city)
    listed = client.get(reverse("crosscheck:accountability-list")).content.decode()
    assert cast.county.full_name in listed
    assert (
        client.post(
            reverse("crosscheck:accountability-respond", args=[row.pk]), {"response": ""}
        ).status_code
        == 400
    )
    assert (
        client.post(
            reverse("crosscheck:accountability-respond", args=[row.pk]), {"response": "已约谈"}
        ).status_code
        == 302
    )
    client.force_login(cast.other_city)
    assert client.get(reverse("crosscheck:accountability", args=[row.pk])).status_code == 404
    client.force_login(cast.province)
    decided = client.post(
        reverse("crosscheck:accountability-decide", args=[row.pk]),
        {"decision": "notice", "note": "全省通报"},
    )
    assert decided.status_code == 302
    export = client.get(reverse("crosscheck:accountability-export"))
    sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    (line,) = list(sheet.iter_rows(min_row=2, values_only=True))
    assert line[0] == cast.county.full_name and line[-1] == "已决定" and line[-3] == "通报批评"
    client.force_login(cast.county)  # the person sees their own
    assert client.get(reverse("crosscheck:accountability", args=[row.pk])).status_code == 200


@pytest.mark.django_db
def test_the_api_records_a_new_problem_signs_and_decides(client, cast):
    members, unit, inspection = _ready(cast)
    leader = members[0].user
    client.force_login(leader)
    url = reverse("api-verification-finding-add", args=[unit.pk])
    unknown = client.post(
        url,
        {
            "code": "new_problem",
            "description": "危废贮存不规范",
            "people": [{"username": "nobody", "capacity": "lead"}],
        },
        "application/json",
    )
    assert unknown.status_code == 400 and "people" in unknown.json()
    made = client.post(
        url,
        {"code": "new_problem", "description": "危废贮存不规范", "check_item": "HF-01"},
        "application/json",
    )
    assert made.status_code == 201, made.json()
    finding = Finding.objects.get()
    assert finding.problem.source == "crosscheck"
    js2 = User.objects.get(username="js2")
    client.post(
        url,
        {
            "code": "lenient",
            "description": "检查流于形式",
            "about": {"inspection": inspection.pk},
            "people": [{"username": js2.username, "capacity": "inspector"}],
        },
        "application/json",
    )
    record = VerificationRecord.objects.get()
    for m in members:
        client.force_login(m.user)
        signed = client.post(
            reverse("api-verification-record-sign", args=[record.pk]),
            {"signature": SIGNATURE, "summary": "总体情况"},
            "application/json",
        )
        assert signed.status_code == 200, signed.json()
    assert signed.json()["status"] == "signed"
    client.force_login(cast.province)
    rows = client.get(reverse("accountability-list")).json()["results"]
    assert [r["person_username"] for r in rows] == ["js2"]
    early = client.post(
        reverse("api-accountability-decide", args=[rows[0]["id"]]),
        {"decision": "talk"},
        "application/json",
    )
    assert early.status_code == 400
    client.force_login(cast.city)
    answered = client.post(
        reverse("api-accountability-respond", args=[rows[0]["id"]]),
        {"response": "已批评教育"},
        "application/json",
    )
    assert answered.status_code == 200 and answered.json()["status"] == "responded"


@pytest.mark.django_db
def test_the_round_summary_counts_per_city_and_each_figure_opens_its_rows(client, cast):
    members, unit, inspection = _ready(cast)
    leader = members[0].user
    client.force_login(leader)
    client.post(
        reverse("crosscheck:finding-add", args=[unit.pk]),
        {
            "code": "not_filed",
            "description": "应立案未立案的汇总测试",
            "about": f"inspection:{inspection.pk}",
            "people": [f"{cast.county.pk}:lead"],
        },
    )
    record = VerificationRecord.objects.get()
    for m in members:
        client.force_login(m.user)
        client.post(
            reverse("crosscheck:record-sign", args=[record.pk]),
            {"summary": "汇总测试", "signature": SIGNATURE},
        )
    pdf = client.get(reverse("crosscheck:record-pdf", args=[record.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    row = unit.draw.round
    client.force_login(cast.province)
    page = client.get(reverse("crosscheck:summary", args=[row.pk])).content.decode()
    findings_url = (
        reverse("crosscheck:findings") + f"?round={row.pk}&amp;city=4101&amp;status=signed"
        "&amp;code=not_filed"
    )
    assert findings_url in page
    listed = client.get(
        reverse("crosscheck:findings"),
        {"round": row.pk, "city": "4101", "status": "signed", "code": "not_filed"},
    ).content.decode()
    assert "应立案未立案的汇总测试" in listed
    export = client.get(reverse("crosscheck:summary-export", args=[row.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    lines = list(sheet.iter_rows(min_row=3, values_only=True))
    headers = next(sheet.iter_rows(min_row=2, max_row=2, values_only=True))
    zhengzhou = dict(zip(headers, lines[0], strict=True))
    assert zhengzhou["省辖市"] == "郑州市" and zhengzhou["抽取单位"] == 4
    assert zhengzhou["已核查（签署）"] == 1 and zhengzhou["应立案未立案"] == 1
    assert zhengzhou["问责待反馈"] == 1 and lines[-1][0] == "合计"
    summary_pdf = client.get(reverse("crosscheck:summary-pdf", args=[row.pk]))
    assert summary_pdf.content.startswith(b"%PDF")
    client.force_login(cast.city)  # the province's round: not 郑州's to summarise
    assert client.get(reverse("crosscheck:summary", args=[row.pk])).status_code == 404


@pytest.mark.django_db
def test_a_bureau_lists_its_regions_sampled_units_once_released(client, cast):
    members, unit, _ = _ready(cast)
    url = reverse("crosscheck:sampled")
    client.force_login(cast.county)  # 金水: the unit is in its county, the sample released
    assert unit.enterprise.name in client.get(url).content.decode()
    client.force_login(cast.other_city)
    assert unit.enterprise.name not in client.get(url).content.decode()
    client.force_login(members[0].user)  # a member: the team's units
    assert unit.enterprise.name in client.get(url).content.decode()
    export = client.get(reverse("crosscheck:sampled-export"))
    sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    assert unit.enterprise.name in [r[3] for r in sheet.iter_rows(min_row=2, values_only=True)]


@pytest.mark.django_db
def test_the_home_pages_show_each_role_its_verification_work(client, cast):
    """The member sees their team and what is signed; 郑州 the answers it owes (past due flagged);
    the province what waits for its decision; the person named their own record; another city
    nothing of it."""
    record = f.member_record(cast)  # jx leads, the record names js (金水) as lead inspector
    home = reverse("home")
    client.force_login(cast.other_county)
    page = client.get(home).content.decode()
    assert 'data-testid="home-team"' in page and "已签署核查情况表 0/1 家" in page
    for m in record.team.members.select_related("user"):
        services.record_sign(actor=m.user, record=record, signature=f.SIGNATURE, summary="核查")
    row = record.findings.get().accountabilities.get()

    client.force_login(cast.city)
    page = client.get(home).content.decode()
    assert 'data-testid="home-answer-count">1<' in page and "已超过反馈期限" not in page
    assert reverse("crosscheck:accountability", args=[row.pk]) in page
    client.force_login(cast.county)  # js, the person named
    page = client.get(home).content.decode()
    assert 'data-testid="home-my-accountability"' in page and record.unit.enterprise.name in page
    client.force_login(cast.other_city)  # 洛阳: not its person
    assert 'data-testid="home-crosscheck"' not in client.get(home).content.decode()
    client.force_login(cast.province)
    assert 'data-testid="home-decide-count"' not in client.get(home).content.decode()

    # past the city's time: flagged for 郑州, waiting for the province's decision
    later = dt.datetime.combine(row.response_due + dt.timedelta(days=1), dt.time(10))
    with time_machine.travel(timezone.make_aware(later)):
        client.force_login(cast.city)
        assert "已超过反馈期限 1 条" in client.get(home).content.decode()
        client.force_login(cast.province)
        assert 'data-testid="home-decide-count">1<' in client.get(home).content.decode()
