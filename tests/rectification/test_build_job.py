"""登记造册 of a whole county or city runs as a background job the bureau follows (a city
registers thousands of units: minutes of work), unit by unit, with what it made and what it left
to another bureau in its outcome."""

from __future__ import annotations

import pytest
from django.urls import reverse

from campaign.models import Job
from config import celery_app
from inspections.models import Problem
from rectification.models import RectificationPlan
from tests.rectification import factories as f


@pytest.fixture
def eager():
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.mark.django_db
def test_the_region_is_built_by_a_job_only_when_confirmed(
    client, cast, eager, django_capture_on_commit_callbacks
):
    f.problem(cast, code="GL-01")
    f.problem(cast, code="GL-02")
    f.problem(cast, code="GL-01", enterprise=cast.other_ent)  # 涧西's: not 金水's to build
    client.force_login(cast.county)
    refused = client.post(reverse("rectification:build-region"), {})
    assert refused.status_code == 400 and "请确认" in refused.content.decode()
    assert not Job.objects.exists() and not RectificationPlan.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("rectification:build-region"), {"confirm": "yes"})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("job", args=[job.pk])
    assert (job.kind, job.created_by, job.status) == (
        "rectification.plans.build",
        cast.county,
        "done",
    )
    assert (job.done, job.total) == (1, 1)  # one unit with open problems in 金水
    plan = RectificationPlan.objects.get()
    assert plan.enterprise == cast.ent and plan.items.count() == 2
    assert job.message == "已登记造册：新建方案 1 个，新增整改事项 2 项。"
    assert job.result_url == reverse("rectification:plans")
    page = client.get(reverse("job", args=[job.pk])).content.decode()
    assert "一键登记造册" in page and job.message in page

    # a problem recorded since joined the plan by itself: building again makes nothing twice
    f.problem(cast, code="GL-03")
    assert RectificationPlan.objects.get().items.count() == 3
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("rectification:build-region"), {"confirm": "yes"})
    again = Job.objects.latest("pk")
    assert again.message == "已登记造册：新建方案 0 个，新增整改事项 0 项。"
    assert (again.done, again.total) == (0, 0)
    assert RectificationPlan.objects.get().items.count() == 3


@pytest.mark.django_db
def test_a_unit_moved_away_is_named_in_the_outcome(
    client, cast, eager, django_capture_on_commit_callbacks
):
    f.problem(cast, code="GL-01")
    moved = f.problem(cast, code="GL-02", enterprise=cast.other_ent)
    # recorded in 金水 before the unit moved to 涧西
    Problem.objects.filter(pk=moved.pk).update(county=cast.ent.county, city=cast.ent.city)
    client.force_login(cast.county)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("rectification:build-region"), {"confirm": "yes"})
    job = Job.objects.get()
    assert job.status == "done" and (job.done, job.total) == (2, 2)
    assert f"另有 1 家单位已迁出本辖区，请由其现属地登记：{cast.other_ent.name}" in job.message
    assert list(RectificationPlan.objects.values_list("enterprise", flat=True)) == [cast.ent.pk]


@pytest.mark.django_db
def test_the_province_is_told_at_once_to_build_per_city_or_unit(client, cast, eager):
    f.problem(cast, code="GL-01")
    client.force_login(cast.province)
    response = client.post(reverse("rectification:build-region"), {"confirm": "yes"})
    assert response.status_code == 400
    assert "全省范围请由各市、县（区）生态环境部门分别登记造册" in response.content.decode()
    assert not Job.objects.exists() and not RectificationPlan.objects.exists()
