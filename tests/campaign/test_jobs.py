"""Background jobs: a long export or import runs as a job the user follows and finds again; the job
and its file are the asker's alone; a dead worker's job is not left running; files expire."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

from campaign.models import Job
from campaign.services import jobs as services
from config import celery_app
from enterprises.models import Enterprise, EnterpriseImport
from tests.enterprises.test_import import CODE_A, good_rows
from tests.factories import EnterpriseFactory, region
from tests.xlsx import make_xlsx, read_xlsx, response_bytes


@pytest.fixture
def eager():
    """Tasks run in the test's own process (the real worker has its own tests below)."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def small_limits(settings):
    settings.EXPORT_JOB_ROWS = 2
    settings.IMPORT_JOB_ROWS = 1
    return settings


def test_a_long_export_runs_as_a_job_that_only_its_asker_sees(
    client, cast, eager, small_limits, django_capture_on_commit_callbacks
):
    for n in range(3):
        EnterpriseFactory(county=region("410105"), name=f"金水导出单位{n}")
    EnterpriseFactory(county=region("410305"), name="涧西导出单位")
    client.force_login(cast.county)
    # a short list still answers in the request
    short = client.get(reverse("enterprises:export"), {"q": "金水导出单位0"})
    assert short["Content-Type"].startswith("application/vnd.openxmlformats")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("enterprises:export"), {"q": "导出单位"})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("job", args=[job.pk])
    assert job.params == {"q": ["导出单位"]} and job.created_by == cast.county
    assert (job.status, job.done, job.total) == ("done", 3, 3)  # 金水's three, not 涧西's
    assert list(job.events.values_list("to_status", flat=True)) == ["queued", "running", "done"]
    page = client.get(reverse("job", args=[job.pk])).content.decode()
    assert "已导出 3 家单位。" in page and reverse("job-file", args=[job.pk]) in page
    rows = read_xlsx(response_bytes(client.get(reverse("job-file", args=[job.pk]))))
    assert sorted(r[1] for r in rows[1:]) == [f"金水导出单位{n}" for n in range(3)]
    listed = client.get(reverse("jobs")).content.decode()
    assert "导出排污单位名单" in listed and "下载" in listed
    api = client.get(reverse("api-job-detail", args=[job.pk])).json()
    assert api["status"] == "done" and api["file_url"] == reverse("job-file", args=[job.pk])
    # nobody else, the province included, sees the job or fetches its file
    for other in (cast.other_county, cast.province, cast.admin, cast.city):
        client.force_login(other)
        assert client.get(reverse("job", args=[job.pk])).status_code == 404
        assert client.get(reverse("job-file", args=[job.pk])).status_code == 404
        assert client.get(reverse("api-job-detail", args=[job.pk])).status_code == 404
        assert client.get(reverse("api-job-list")).json()["count"] == 0


def test_the_api_starts_an_export_with_the_lists_filters_and_refuses_bad_ones(
    client, cast, eager, django_capture_on_commit_callbacks
):
    client.force_login(cast.city)
    url = reverse("api-job-list")
    refused = client.post(
        url, {"kind": "enterprises.export", "params": {"county": "410305"}}, "application/json"
    )
    assert refused.status_code == 400 and "county" in refused.json()  # another city's county
    unknown = client.post(url, {"kind": "everything.export"}, "application/json")
    assert unknown.status_code == 400 and "kind" in unknown.json()
    assert not Job.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(
            url, {"kind": "enterprises.export", "params": {"county": "410105"}}, "application/json"
        )
    assert started.status_code == 202 and started.json()["status"] == "queued"
    job = client.get(reverse("api-job-detail", args=[started.json()["id"]])).json()
    assert job["status"] == "done" and job["total"] == 1 and job["percent"] == 100
    # the patrol group has no enterprise lists, so no export of them either
    client.force_login(cast.patrol)
    assert client.post(url, {"kind": "enterprises.export"}, "application/json").status_code == 403


def test_a_long_import_runs_as_a_job_and_still_names_every_bad_row(
    client, cast, eager, small_limits, django_capture_on_commit_callbacks
):
    client.force_login(cast.county)
    bad = good_rows()
    bad[1][2] = "410305"  # 涧西: out of 金水's reach
    upload = io.BytesIO(make_xlsx(bad))
    upload.name = "金水名单.xlsx"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("enterprises:import"), {"list_kind": "key_units", "file": upload}
        )
    job = Job.objects.get()
    assert response["Location"] == reverse("job", args=[job.pk])
    record = EnterpriseImport.objects.get()
    assert job.status == "failed" and job.result_url == reverse(
        "enterprises:import-detail", args=[record.pk]
    )
    assert "校验发现 1 处错误，未写入任何数据" in job.message and job.input_name == "金水名单.xlsx"
    assert not Enterprise.objects.filter(credit_code=CODE_A).exists()
    page = client.get(reverse("job", args=[job.pk])).content.decode()
    assert "查看结果" in page and "校验发现 1 处错误" in page
    detail = client.get(job.result_url).content.decode()
    assert "不在您的管辖范围内" in detail
    # the same list, right, through the API
    good = io.BytesIO(make_xlsx(good_rows()))
    good.name = "金水名单.xlsx"
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(
            reverse("api-job-list"),
            {"kind": "enterprises.import", "params": '{"list_kind": "key_units"}', "file": good},
        )
    assert started.status_code == 202, started.content
    job = Job.objects.get(pk=started.json()["id"])
    assert job.status == "done" and "新增 2 家" in job.message
    assert (job.done, job.total) == (4, 4)  # two rows checked, then written
    assert Enterprise.objects.filter(credit_code=CODE_A).exists()


def _declaring(rows: int) -> bytes:
    """A small workbook whose sheet declares `rows` rows (one far cell), as a crafted file would."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["统一社会信用代码", "单位名称", "所属区县代码"])
    sheet.cell(row=rows, column=1, value="")
    sheet.cell(row=rows, column=2, value=" ")
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _without_dimension(data: bytes) -> bytes:
    """The same workbook with the sheet's <dimension> removed (the size is then not declared)."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                content = re.sub(rb"<dimension [^>]*/>", b"", content)
            target.writestr(item, content)
    return out.getvalue()


def test_an_import_is_bounded_before_its_rows_are_read(client, cast, settings):
    client.force_login(cast.county)
    upload = io.BytesIO(_declaring(1_000_000))
    upload.name = "一百万行.xlsx"
    assert len(upload.getvalue()) < 10_000
    response = client.post(reverse("enterprises:import"), {"list_kind": "census", "file": upload})
    page = response.content.decode()
    assert response.status_code == 400 and "超过导入上限（300000 行数据" in page
    assert not EnterpriseImport.objects.exists() and not Job.objects.exists()
    upload.seek(0)
    api = client.post(
        reverse("api-job-list"),
        {"kind": "enterprises.import", "params": '{"list_kind": "census"}', "file": upload},
    )
    assert api.status_code == 400 and "超过导入上限" in str(api.json()["file"])
    # a sheet that does not declare its size is read no further than the limit
    settings.MAX_IMPORT_ROWS = 3
    rows = [*good_rows(), *good_rows()]  # four data rows, the two codes twice
    from enterprises import services as enterprise_services

    record = enterprise_services.enterprise_import(
        actor=cast.county,
        file=io.BytesIO(_without_dimension(make_xlsx(rows))),
        original_name="无范围.xlsx",
        list_kind="census",
    )
    assert record.status == "failed" and "超过 3 行数据" in record.errors[0]["message"]


def test_a_job_runs_once_and_a_broken_one_fails_in_chinese(cast, eager, small_limits):
    upload = io.BytesIO(make_xlsx(good_rows()))
    job = services.job_start(
        actor=cast.county,
        kind="enterprises.import",
        params={"list_kind": "key_units"},
        upload=upload,
        upload_name="名单.xlsx",
    )
    job.input_file.storage.delete(job.input_file.name)  # the upload is gone from the disk
    services.job_run(job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and f"任务编号 {job.pk}" in job.message
    services.job_run(job.pk)  # delivered again: nothing more happens
    assert job.events.count() == 3


def test_the_beat_jobs_fail_a_dead_workers_job_resend_a_lost_one_and_remove_old_files(
    cast, eager, settings, django_capture_on_commit_callbacks
):
    from django.conf import settings as live

    schedule = live.CELERY_BEAT_SCHEDULE
    reap = celery_app.tasks[schedule["jobs-reap"]["task"]]
    purge = celery_app.tasks[schedule["jobs-purge"]["task"]]
    now = timezone.now()
    dead = services.job_start(actor=cast.county, kind="enterprises.export", params={})
    Job.objects.filter(pk=dead.pk).update(
        status="running", heartbeat_at=now - dt.timedelta(hours=1)
    )
    lost = services.job_start(actor=cast.county, kind="enterprises.export", params={})
    Job.objects.filter(pk=lost.pk).update(created_at=now - dt.timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert reap.apply().get() == 1
    dead.refresh_from_db()
    lost.refresh_from_db()
    assert dead.status == "failed" and "处理进程已停止" in dead.message
    assert lost.status == "done" and lost.result_file
    path = lost.result_file.path
    Job.objects.filter(pk=lost.pk).update(finished_at=now - dt.timedelta(days=8))
    assert purge.apply().get() == 1
    lost.refresh_from_db()
    assert not lost.result_file and lost.files_removed_at is not None
    import os

    assert not os.path.exists(path)


@pytest.mark.parametrize(
    "route",
    [
        "enterprises:export",
        "inspections:problems-export",
        "inspections:inspections-export",
        "inspections:self-checks-export",
        "inspections:missing-export",
    ],
)
def test_a_job_writes_the_same_file_the_request_would_have(
    client, cast, eager, settings, django_capture_on_commit_callbacks, route
):
    from tests.inspections import factories as stage1

    stage1.problem(cast)
    stage1.inspection(cast)
    stage1.self_check(cast)
    EnterpriseFactory(county=region("410105"), name="金水未提交单位")
    client.force_login(cast.city)
    settings.EXPORT_JOB_ROWS = 10_000
    direct = read_xlsx(response_bytes(client.get(reverse(route))))
    settings.EXPORT_JOB_ROWS = 0
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse(route))
    job = Job.objects.get()
    assert response["Location"] == reverse("job", args=[job.pk]) and job.status == "done"
    assert job.total == len(direct) - 1 >= 1
    assert read_xlsx(response_bytes(client.get(reverse("job-file", args=[job.pk])))) == direct


def test_bad_parameters_and_damaged_files_are_refused_not_crashed(client, cast):
    client.force_login(cast.county)
    url = reverse("api-job-list")
    deep = '{"a":' * 200 + "1" + "}" * 200
    for params in ({"q": "\u0000"}, deep):
        body = {"kind": "enterprises.export", "params": params}
        response = (
            client.post(url, body, "application/json")
            if isinstance(params, dict)
            else (client.post(url, {"kind": "enterprises.export", "params": params}))
        )
        assert response.status_code == 400, response.content
    # a workbook damaged inside its archive is refused with a message, on the page and in the API
    good = make_xlsx(good_rows())
    damaged = bytearray(good)
    name = b"xl/workbook.xml"
    at = damaged.index(name) + len(name)  # the member's compressed data follows its header
    damaged[at : at + 40] = b"\xff" * 40
    upload = io.BytesIO(bytes(damaged))
    upload.name = "损坏.xlsx"
    page = client.post(reverse("enterprises:import"), {"list_kind": "census", "file": upload})
    assert page.status_code == 400 and "无法读取该文件" in page.content.decode()
    assert not Job.objects.exists()


def test_an_export_filtered_out_of_reach_is_empty_not_everything(client, cast):
    client.force_login(cast.city)
    rows = read_xlsx(
        response_bytes(client.get(reverse("enterprises:export"), {"county": "410305"}))
    )
    assert len(rows) == 1  # the headings: 涧西 is not 郑州's, and 郑州's own are not shown instead
    assert len(read_xlsx(response_bytes(client.get(reverse("enterprises:export"))))) == 2
