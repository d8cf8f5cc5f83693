"""Stage 3 as a bureau uses it in the browser and through the API."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from cases.models import Case, Classification, Path, ViolationType
from inspections.models import Problem
from tests.cases import factories as f
from tests.xlsx import rows

S = Case.Status


@pytest.fixture
def frozen():
    with time_machine.travel(
        dt.datetime(2026, 9, 1, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False
    ):
        yield


@pytest.mark.django_db
def test_a_county_classifies_from_the_queue_and_the_cases_appear(client, cast, frozen):
    violation = f.problem(cast, code="HF-01")
    gap = f.problem(cast, code="GL-01")
    client.force_login(cast.county)
    page = client.get(reverse("cases:classify"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "依法处理" in text and "行政指导" in text and violation.description in text
    # a refused batch keeps the choice and says why, beside nothing written
    refused = client.post(
        reverse("cases:classify"),
        {"problems": [violation.pk, gap.pk], "path": Path.STRICT, "reason": "批量立案"},
    )
    assert refused.status_code == 400
    assert "只能行政指导" in refused.content.decode()
    assert (
        f'value="{gap.pk}" id="p{gap.pk}" aria-label="选择问题 {gap.pk}" checked'
        in refused.content.decode()
    )
    assert not Classification.objects.exists()
    done = client.post(
        reverse("cases:classify"),
        {
            "problems": [violation.pk],
            "path": Path.STRICT,
            "reason": "现场查实",
            "investigators": [cast.county.pk, f.staff("js2").pk],
        },
        follow=True,
    )
    assert "登记案件 1 件" in done.content.decode()
    case = Case.objects.get()
    listing = client.get(reverse("cases:list"))
    assert case.title in listing.content.decode()
    detail = client.get(reverse("cases:case", args=[case.pk]))
    body = detail.content.decode()
    assert "立案审查" in body and "《环境行政处罚办法》" not in body  # 2026: the current rules
    assert "生态环境部令第30号" in body and "2026-09-16" in body  # 15 days from 09-01
    # the county inspector cannot approve: no 批准立案 button; the 负责人 sees it
    assert "批准立案" not in body
    client.force_login(f.staff("js-head", head=True))
    assert "批准立案" in client.get(reverse("cases:case", args=[case.pk])).content.decode()


@pytest.mark.django_db
def test_a_step_refused_by_the_service_keeps_what_was_typed(client, cast, frozen):
    head = f.staff("js-head", head=True)
    case = f.case(cast)
    client.force_login(head)
    response = client.post(
        reverse("cases:step", args=[case.pk]),
        {"to": S.NOT_FILED, "expected": S.FILING, "note": ""},
    )
    assert response.status_code == 400
    assert "不予立案须写明理由" in response.content.decode()
    ok = client.post(
        reverse("cases:step", args=[case.pk]),
        {"to": S.INVESTIGATING, "expected": S.FILING, "on": "2026-09-01"},
        follow=True,
    )
    assert "已办理：调查取证" in ok.content.decode()
    case.refresh_from_db()
    assert case.status == S.INVESTIGATING
    # a second click on the same page (the status it saw is gone) is refused, not repeated
    again = client.post(
        reverse("cases:step", args=[case.pk]),
        {"to": S.INVESTIGATING, "expected": S.FILING},
    )
    assert again.status_code == 400
    assert case.events.count() == 2
    assert client.get(reverse("cases:step", args=[case.pk])).status_code == 405


@pytest.mark.django_db
def test_open_a_case_directly_from_a_complaint(client, cast, frozen):
    f.catalogue()
    client.force_login(cast.county)
    response = client.post(
        reverse("cases:open"),
        {
            "enterprise": cast.ent.pk,
            "title": "涉嫌超标排放案",
            "source": Case.Source.COMPLAINT,
            "path": Path.STRICT,
            "discovered_on": "2026-08-28",
            "violation_type": ViolationType.objects.get(code="EXCEED-AIR").pk,
            "investigators": [cast.county.pk, f.staff("js2").pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.get()
    assert (case.source, case.discovered_on) == (Case.Source.COMPLAINT, dt.date(2026, 8, 28))
    # another county's unit is not offered, and a forged post is refused
    other = client.post(
        reverse("cases:open"),
        {
            "enterprise": cast.other_ent.pk,
            "title": "越权",
            "source": Case.Source.OTHER,
            "path": Path.STRICT,
            "discovered_on": "2026-08-28",
        },
    )
    assert other.status_code == 400
    assert Case.objects.count() == 1


@pytest.mark.django_db
def test_lists_filter_export_and_stay_in_scope(client, cast, frozen):
    case = f.case(cast, discovered_on=dt.date(2026, 8, 10))  # 立案 clock due 08-25: overdue
    client.force_login(cast.county)
    overdue = client.get(reverse("cases:list"), {"overdue": "true"})
    assert case.title in overdue.content.decode()
    assert "有逾期期限" in overdue.content.decode()
    assert (
        case.title not in client.get(reverse("cases:list"), {"status": S.CLOSED}).content.decode()
    )
    sheet = rows(client.get(reverse("cases:export"), {"overdue": "true"}))
    assert sheet[0][:4] == ("案件编号", "当事人", "县（区）", "案由")
    assert [r[0] for r in sheet[1:]] == [case.pk]
    reminders = client.get(reverse("cases:deadlines"), {"overdue": "true"})
    assert "立案审查" in reminders.content.decode() and "已逾期" in reminders.content.decode()
    workbook = rows(client.get(reverse("cases:deadlines-export"), {"overdue": "true"}))
    assert workbook[1][4] == "立案审查" and workbook[1][12] == "已逾期"
    for user in (cast.other_county, cast.other_city):
        client.force_login(user)
        assert case.title not in client.get(reverse("cases:list")).content.decode()
        assert client.get(reverse("cases:case", args=[case.pk])).status_code == 404
        assert (
            client.get(reverse("cases:deadlines"), {"within": ""})
            .content.decode()
            .count(case.title)
            == 0
        )
    for user in (cast.enterprise_user, cast.patrol, cast.expert):
        client.force_login(user)
        assert client.get(reverse("cases:list")).status_code == 403


@pytest.mark.django_db
def test_the_api_shows_each_deadline_and_takes_steps(client, cast, frozen):
    head = f.staff("js-head", head=True)
    case = f.case(cast)
    client.force_login(cast.county)
    detail = client.get(f"/api/v1/cases/{case.pk}/").json()
    filing = detail["deadlines"][0]
    assert filing["key"] == "filing" and filing["unit"] == "d" and filing["length"] == 15
    assert filing["start_date"] == "2026-09-01" and filing["due_date"] == "2026-09-16"
    assert "第30号" in filing["basis"] and filing["overdue"] is False
    refused = client.post(
        f"/api/v1/cases/{case.pk}/step/",
        {"to": S.INVESTIGATING, "expected": S.FILING},
        content_type="application/json",
    )
    assert refused.status_code == 403
    client.force_login(head)
    moved = client.post(
        f"/api/v1/cases/{case.pk}/step/",
        {"to": S.INVESTIGATING, "expected": S.FILING},
        content_type="application/json",
    )
    assert moved.status_code == 200, moved.content
    assert moved.json()["status"] == S.INVESTIGATING
    assert {d["key"] for d in moved.json()["deadlines"]} == {"filing", "decision"}
    client.force_login(cast.other_county)
    assert client.get(f"/api/v1/cases/{case.pk}/").status_code == 404
    assert client.get("/api/v1/cases/").json()["count"] == 0


@pytest.mark.django_db
def test_the_api_classifies_a_batch(client, cast, frozen):
    gap = f.problem(cast, code="GL-01")
    violation = f.problem(cast, code="HF-01")
    client.force_login(cast.county)
    response = client.post(
        "/api/v1/classifications/",
        {
            "problems": [gap.pk],
            "path": Path.GUIDANCE,
            "reason": "制度不健全",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()[0]["path"] == Path.GUIDANCE and response.json()[0]["case"] is None
    gap.refresh_from_db()
    assert gap.status == Problem.Status.HANDLING
    client.force_login(cast.other_county)
    outside = client.post(
        "/api/v1/classifications/",
        {"problems": [violation.pk], "path": Path.STRICT, "reason": "越权"},
        content_type="application/json",
    )
    assert outside.status_code == 400
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_the_problem_page_shows_its_path_and_case_to_the_bureau_only(client, cast, frozen):
    violation = f.problem(cast, code="HF-01")
    from cases.services.classification import classify

    classify(
        actor=cast.county,
        problems=[violation],
        path=Path.STRICT,
        reason="现场查实的处置理由",
        investigators=[cast.county, f.staff("js2")],
    )
    case = Case.objects.get()
    client.force_login(cast.county)
    page = client.get(reverse("inspections:problem", args=[violation.pk])).content.decode()
    assert "依法处理" in page and "现场查实的处置理由" in page and case.title in page
    client.force_login(cast.enterprise_user)
    page = client.get(reverse("inspections:problem", args=[violation.pk])).content.decode()
    assert "现场查实的处置理由" not in page and case.title not in page
