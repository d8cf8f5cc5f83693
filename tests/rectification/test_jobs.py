"""A long 整改台账 export runs as a background job with the page's filters: it writes the cells the
request writes, under the asker's reach (the enterprise sees no case and no check of the bureau),
and a filter the list refuses starts no job."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from campaign.models import Job
from campaign.services import jobs as job_services
from cases.services import classification
from config import celery_app
from rectification.models import RectificationItem
from rectification.services import plan as plan_services
from rectification.services import verification
from tests.rectification import factories as f
from tests.rectification.test_exports import HEADERS, planned
from tests.xlsx import read_xlsx, response_bytes

EXPORT = "rectification:items-export"


@pytest.fixture
def eager():
    """Tasks run in the test's own process."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def ledger(cast):
    """金水's plan (a filled item, a 攻坚 task, a violation in a case closed with a reason) and
    涧西's plan with one item."""
    plan, item = planned(cast)
    violation = f.problem(cast, code="HF-01")  # joins the plan
    js2 = f.staff("js2")
    classification.classify(
        actor=cast.county,
        problems=[violation],
        path="strict",
        reason="x",
        investigators=[cast.county, js2],
    )
    verification.item_check(
        actor=cast.county,
        item=RectificationItem.objects.get(problem=violation),
        method="paper",
        checked_on=timezone.localdate(),
        officers=[cast.county, js2],
        conclusion="已停产拆除",
        close=True,
        reason="企业已关停",
    )
    f.problem(cast, code="GL-01", enterprise=cast.other_ent)
    other = plan_services.plan_build(actor=cast.other_county, enterprise=cast.other_ent)
    return {
        "plan": plan,
        "item": item,
        "violation": violation,
        "case_pk": violation.case_links.get().case_id,
        "other_problem": other.items.get().problem_id,
    }


def _job_rows(client, on_commit, query=None) -> tuple[Job, list[tuple]]:
    """Export through the page, the job run when the request's transaction commits."""
    with on_commit(execute=True):
        response = client.get(reverse(EXPORT), query or {})
    job = Job.objects.latest("pk")
    assert response.status_code == 302 and response["Location"] == reverse("job", args=[job.pk])
    assert job.status == "done", job.message
    return job, read_xlsx(response_bytes(client.get(reverse("job-file", args=[job.pk]))))


def _by_problem(rows: list[tuple]) -> dict[int, dict]:
    return {row[0]: dict(zip(HEADERS, row, strict=True)) for row in rows[1:]}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "query"),
    [
        ("county", {}),
        ("city", {"source": "inspection", "open": "false"}),
        ("province", {"county": "410105"}),
        ("enterprise_user", {}),
    ],
)
def test_the_job_writes_the_cells_the_request_writes(
    client, cast, eager, settings, django_capture_on_commit_callbacks, ledger, role, query
):
    client.force_login(getattr(cast, role))
    settings.EXPORT_JOB_ROWS = 10_000
    direct = read_xlsx(response_bytes(client.get(reverse(EXPORT), query)))
    assert len(direct) > 1
    settings.EXPORT_JOB_ROWS = 0
    job, rows = _job_rows(client, django_capture_on_commit_callbacks, query)
    assert rows == direct
    assert job.total == job.done == len(direct) - 1


@pytest.mark.django_db
def test_a_long_list_starts_a_job_with_the_page_s_filters_and_a_short_one_answers_at_once(
    client, cast, eager, settings, django_capture_on_commit_callbacks, ledger
):
    settings.EXPORT_JOB_ROWS = 1
    client.force_login(cast.county)
    short = client.get(reverse(EXPORT), {"status": "closed"})  # the violation's item alone
    assert short["Content-Type"].startswith("application/vnd.openxmlformats")
    assert not Job.objects.exists()
    job, rows = _job_rows(client, django_capture_on_commit_callbacks, {"open": "true", "page": "2"})
    assert job.kind == "rectification.items.export" and job.created_by == cast.county
    assert job.params == {"open": ["true"], "campaign_id": ledger["plan"].campaign_id}
    assert rows[0] == HEADERS and (job.done, job.total) == (2, 2)  # 金水's open items
    assert ledger["violation"].pk not in _by_problem(rows)
    page = client.get(reverse("job", args=[job.pk])).content.decode()
    assert "已导出 2 项整改事项。" in page and reverse("job-file", args=[job.pk]) in page
    assert "导出整改台账" in client.get(reverse("jobs")).content.decode()


@pytest.mark.django_db
def test_the_job_reads_under_the_asker_s_reach(
    client, cast, eager, settings, django_capture_on_commit_callbacks, ledger
):
    settings.EXPORT_JOB_ROWS = 0
    client.force_login(cast.county)
    _job, rows = _job_rows(client, django_capture_on_commit_callbacks)
    county = _by_problem(rows)
    assert ledger["other_problem"] not in county and len(county) == 3  # 金水's three items only
    closed = county[ledger["violation"].pk]
    assert closed["是否立案（案号）"] == f"是（{ledger['case_pk']}）"
    assert closed["核查结论"] == "已停产拆除" and closed["未满足条件销号"] == "是（企业已关停）"

    client.force_login(cast.other_county)
    _job, rows = _job_rows(client, django_capture_on_commit_callbacks)
    assert list(_by_problem(rows)) == [ledger["other_problem"]]

    # the enterprise: its own items, without the bureau's case and checks
    client.force_login(cast.enterprise_user)
    _job, rows = _job_rows(client, django_capture_on_commit_callbacks)
    own = _by_problem(rows)
    assert set(own) == set(county)
    closed = own[ledger["violation"].pk]
    assert closed["是否立案（案号）"] == "否"
    for bureau_only in ("核查人", "核查日期", "核查结论", "未满足条件销号"):
        assert closed[bureau_only] in ("", None)
    assert closed["进展"] == "已销号" and closed["销号日期"] is not None


@pytest.mark.django_db
def test_a_filter_the_list_refuses_starts_no_job(client, cast, settings, ledger):
    settings.EXPORT_JOB_ROWS = 0
    client.force_login(cast.city)
    for params in ({"county": "410305"}, {"deadline_from": "2020-13-45"}):  # 洛阳's; no such day
        # the page: a refused filter matches nothing, so the file has its headers only
        response = client.get(reverse(EXPORT), params)
        assert read_xlsx(response_bytes(response)) == [HEADERS]
        with pytest.raises(ValidationError):
            job_services.job_start(
                actor=cast.city,
                kind="rectification.items.export",
                params={k: [v] for k, v in params.items()},
            )
    url = reverse("api-job-list")
    refused = client.post(
        url,
        {"kind": "rectification.items.export", "params": {"county": "410305"}},
        "application/json",
    )
    assert refused.status_code == 400 and "county" in refused.json()
    assert not Job.objects.exists()
    # the patrol group has no 整改台账, so no export of it either
    client.force_login(cast.patrol)
    started = client.post(url, {"kind": "rectification.items.export"}, "application/json")
    assert started.status_code == 403 and not Job.objects.exists()


@pytest.mark.django_db
def test_a_campaign_that_is_gone_fails_the_job_in_chinese(cast, eager, ledger):
    job = job_services.job_start(
        actor=cast.county, kind="rectification.items.export", params={"campaign_id": "999999"}
    )
    job_services.job_run(job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and "该年度的执法行动不存在" in job.message
