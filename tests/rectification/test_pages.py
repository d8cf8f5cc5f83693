"""Stage 4 in the browser's forms: the enterprise's side, the bureau's check, the lists, the home
pages; refusals keep what was typed."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from inspections.models import Problem
from rectification.models import RectificationItem, RectificationPlan
from rectification.services import plan as services
from rectification.services import verification
from tests.rectification import factories as f

S = RectificationItem.Status


@pytest.mark.django_db
def test_the_bureau_builds_a_plan_from_the_waiting_list(client, cast):
    problem = f.problem(cast, code="GL-01")
    client.force_login(cast.county)
    page = client.get(reverse("rectification:plans")).content.decode()
    assert "待登记造册" in page and cast.ent.name in page
    response = client.post(reverse("rectification:build"), {"enterprise": cast.ent.pk})
    plan = RectificationPlan.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "rectification:plan", args=[plan.pk]
    )
    assert plan.items.get().problem == problem
    # another county's unit is refused on the page, with the reason
    refused = client.post(reverse("rectification:build"), {"enterprise": cast.other_ent.pk})
    assert refused.status_code == 400 and "管辖范围内" in refused.content.decode()


# the region's 登记造册 (a background job): test_build_job.py


@pytest.mark.django_db
def test_the_enterprise_reports_progress_and_a_bad_file_keeps_what_was_typed(client, cast):
    item = f.plan(cast).items.get()
    client.force_login(cast.enterprise_user)
    url = reverse("rectification:progress", args=[item.pk])
    fake = f.jpeg()
    fake.file = io.BytesIO(b"not a jpeg at all")
    bad = client.post(url, {"text": "已更换滤袋，正在调试", "kind": "photo", "files": [fake]})
    assert bad.status_code == 400
    html = bad.content.decode()
    assert "已更换滤袋，正在调试" in html and "文件类型不被接受" in html
    assert not item.reports.exists()
    good = client.post(
        url, {"text": "已更换滤袋", "kind": "photo", "files": [f.jpeg(), f.jpeg("2.jpg")]}
    )
    assert good.status_code == 302
    item.refresh_from_db()
    assert item.status == S.IN_PROGRESS and item.evidence.count() == 2
    page = client.get(reverse("rectification:item", args=[item.pk])).content.decode()
    assert "已更换滤袋" in page and "申请销号" in page
    assert "核查销号" not in page  # the bureau's form is not the enterprise's


@pytest.mark.django_db
def test_the_county_closes_an_applied_item_on_its_page(client, cast):
    item = f.applied_item(cast)
    client.force_login(cast.county)
    page = client.get(reverse("rectification:item", args=[item.pk])).content.decode()
    assert "核查销号" in page and "均已满足" in page
    body = {
        "expected": S.APPLIED,
        "method": "site",
        "checked_on": timezone.localdate().isoformat(),
        "officers": [cast.county.pk, f.staff("js2").pk],
        "conclusion": "现场核查，整改到位",
        "close": "1",
    }
    response = client.post(reverse("rectification:check", args=[item.pk]), body)
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == S.CLOSED
    assert item.problem.status == Problem.Status.CLOSED
    # the problem's page shows its rectification
    problem_page = client.get(
        reverse("inspections:problem", args=[item.problem_id])
    ).content.decode()
    assert "一企一案第 1 项" in problem_page and "已销号" in problem_page


@pytest.mark.django_db
def test_a_return_is_seen_by_the_enterprise_with_its_reason(client, cast):
    item = f.applied_item(cast)
    client.force_login(cast.county)
    body = {
        "expected": S.APPLIED,
        "method": "paper",
        "checked_on": timezone.localdate().isoformat(),
        "officers": [cast.county.pk, f.staff("js2").pk],
        "conclusion": "照片不能反映整改后现场",
        "close": "0",
        "reason": "",
    }
    refused = client.post(reverse("rectification:check", args=[item.pk]), body)
    assert refused.status_code == 400 and "照片不能反映整改后现场" in refused.content.decode()
    body["reason"] = "请补充整改后全景照片"
    assert client.post(reverse("rectification:check", args=[item.pk]), body).status_code == 302
    client.force_login(cast.enterprise_user)
    page = client.get(reverse("rectification:item", args=[item.pk])).content.decode()
    assert "已退回整改：请补充整改后全景照片" in page
    assert "照片不能反映整改后现场" not in page  # the bureau's check record stays the bureau's


@pytest.mark.django_db
def test_overdue_items_show_on_both_home_pages(client, cast):
    item = f.plan(cast).items.get()
    services.item_update(
        actor=cast.county,
        item=item,
        values={"deadline": timezone.localdate(), "supervisor": cast.county},
    )
    verification.overdue_run(timezone.localdate() + dt.timedelta(days=1))
    item.refresh_from_db()
    assert item.status == S.OVERDUE
    for user in (cast.enterprise_user, cast.county):
        client.force_login(user)
        page = client.get(reverse("home")).content.decode()
        assert "逾期未完成的整改事项 1 项" in page, user
    client.force_login(cast.other_county)
    assert "逾期未完成的整改事项" not in client.get(reverse("home")).content.decode()
    client.force_login(cast.enterprise_user)
    page = client.get(reverse("rectification:item", args=[item.pk])).content.decode()
    assert "已逾期" in page


@pytest.mark.django_db
def test_the_ledger_exports_and_the_figures_open_their_items(client, cast):
    f.plan(cast, "GL-01", "GL-02")
    client.force_login(cast.city)
    completion = client.get(reverse("rectification:completion")).content.decode()
    assert "0.0%" in completion and "?county=410105" in completion
    listed = client.get(reverse("rectification:items") + "?county=410105&status=not_started")
    assert listed.status_code == 200 and "共 2 项" in listed.content.decode()
    export = client.get(reverse("rectification:items-export") + "?county=410105")
    sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    assert sheet.max_row == 3  # the header and two items
    client.force_login(cast.other_city)
    export = client.get(reverse("rectification:items-export"))
    assert load_workbook(io.BytesIO(b"".join(export.streaming_content))).active.max_row == 1


@pytest.mark.django_db
def test_the_plan_prints(client, cast):
    plan = f.plan(cast)
    client.force_login(cast.enterprise_user)
    response = client.get(reverse("rectification:plan-pdf", args=[plan.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


@pytest.mark.django_db
def test_the_evidence_file_opens_where_its_item_is_seen(client, cast):
    item = f.plan(cast).items.get()
    stored = services.evidence_attach(
        actor=cast.enterprise_user, item=item, kind="photo", upload=f.jpeg()
    )
    url = reverse("inspections:evidence", args=[stored.evidence_id])
    for user, status in (
        (cast.enterprise_user, 200),
        (cast.county, 200),
        (cast.city, 200),
        (cast.other_enterprise_user, 404),
        (cast.other_county, 404),
    ):
        client.force_login(user)
        assert client.get(url).status_code == status, user
