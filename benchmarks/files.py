"""Import, exports and the record PDF, each against the bare library doing the same work.

Time and memory are measured in a fresh worker process per run (`python -m benchmarks.files
TASK ...`), which prints one JSON line: seconds, and memory growth over the process's resting size.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import env
from benchmarks.timing import interleaved, ms, peak_rss_mb, rss_mb

IMPORT_DB_FACTOR = 0  # the import runs on a database of its own, emptied before each run
EXPORT_GOAL, IMPORT_GOAL, PDF_GOAL = 1.3, 3.0, 1.2
REQUEST_GOAL = 1.0  # seconds: a long export or import only starts its job in the request
ENTERPRISE_SQL = """
    SELECT e.credit_code, e.name, c.name, k.name, k.code, e.address, i.code, i.name, e.is_key_unit,
           e.key_water, e.key_air, e.key_soil, e.key_noise, e.key_risk, e.in_yellow_river_basin,
           e.permit_class, e.has_hazardous_waste, e.permit_no, e.permit_valid_until,
           e.auto_monitoring_installed, e.auto_monitoring_connected, e.legal_representative,
           e.contact_person, e.contact_phone, e.longitude, e.latitude
    FROM enterprises_enterprise e JOIN campaign_region c ON c.id = e.city_id
    JOIN campaign_region k ON k.id = e.county_id JOIN campaign_industry i ON i.id = e.industry_id
    ORDER BY e.city_id, e.county_id, e.name"""
PROBLEM_SQL = """
    SELECT e.name, c.name, k.name, t.code, t.title, p.source, p.self_found, p.kind, p.severity,
           p.description, p.measure, p.deadline, p.status,
           to_char(p.found_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI')
    FROM inspections_problem p JOIN enterprises_enterprise e ON e.id = p.enterprise_id
    JOIN campaign_region c ON c.id = p.city_id JOIN campaign_region k ON k.id = p.county_id
    JOIN inspections_checkitem t ON t.id = p.item_id
    WHERE p.primary_id IS NULL
      AND p.status IN ('open', 'handling', 'rectifying', 'verifying', 'closed')
    ORDER BY p.found_at DESC, p.id"""


# --- worker side --------------------------------------------------------------------------------
def _bare_write(sql: str) -> int:
    """Fetch the same rows with a server-side cursor and write them with openpyxl write-only."""
    from django.db import connection
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("rows")
    count = 0
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql)
        while rows := cursor.fetchmany(2000):
            for row in rows:
                sheet.append(list(row))
                count += 1
    with tempfile.TemporaryFile() as out:
        workbook.save(out)
    return count


def _job_id(response) -> int:
    assert response.status_code == 302 and "/jobs/" in response["Location"], response.status_code
    return int(response["Location"].rstrip("/").rsplit("/", 1)[1])


def _run_job(job_id: int) -> tuple[float, object]:
    """What the Celery worker does with the job, timed in this process."""
    from campaign.models import Job
    from campaign.services.jobs import job_run

    started = time.perf_counter()
    job_run(job_id)
    seconds = time.perf_counter() - started
    job = Job.objects.get(pk=job_id)
    assert job.status == "done", job.message
    return seconds, job


def _app_export(url: str) -> dict:
    """The request (which only starts the job: the broker here is in memory, with no worker), then
    the job as the worker runs it."""
    from django.test import Client

    from campaign.models import User

    client = Client()
    client.force_login(User.objects.get(username="scale-province"))
    started = time.perf_counter()
    response = client.get(url)
    request_seconds = time.perf_counter() - started
    job_seconds, job = _run_job(_job_id(response))
    return {
        "request_seconds": request_seconds,
        "job_seconds": job_seconds,
        "rows": job.total,
        "bytes": job.result_file.size,
    }


def _bare_read(path: str) -> int:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    count = sum(1 for _ in workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()
    return count


def _app_import(path: str) -> dict:
    from django.db import connection

    from campaign.models import User
    from enterprises.models import EnterpriseImport

    with connection.cursor() as cursor:  # a clean registry each run: every row is new
        cursor.execute(
            "TRUNCATE enterprises_enterprise, enterprises_enterprise_users, "
            "enterprises_enterpriseimport, auditlog_logentry CASCADE"
        )
    from django.test import Client

    client = Client()
    client.force_login(User.objects.get(username="bench-importer"))
    with open(path, "rb") as handle:
        started = time.perf_counter()
        response = client.post("/enterprises/import/", {"list_kind": "census", "file": handle})
        request_seconds = time.perf_counter() - started
    if response.status_code == 302 and "/jobs/" in response["Location"]:
        job_seconds, _job = _run_job(_job_id(response))
    else:  # a short list is imported in the request
        job_seconds = request_seconds
    record = EnterpriseImport.objects.latest("pk")
    assert record.status == "succeeded", record.errors[:3]
    return {
        "created": record.created_count,
        "request_seconds": request_seconds,
        "job_seconds": job_seconds,
    }


def worker(task: str, argument: str) -> None:
    import django

    django.setup()
    from django.db import connection

    connection.ensure_connection()
    resting = rss_mb()
    started = time.perf_counter()
    detail = {
        "bare-write-enterprises": lambda: _bare_write(ENTERPRISE_SQL),
        "bare-write-problems": lambda: _bare_write(PROBLEM_SQL),
        "export-enterprises": lambda: _app_export("/enterprises/export.xlsx"),
        "export-problems": lambda: _app_export("/problems/export.xlsx"),
        "bare-read": lambda: _bare_read(argument),
        "import": lambda: _app_import(argument),
    }[task]()
    seconds = time.perf_counter() - started
    if isinstance(detail, dict) and "job_seconds" in detail:  # the work is the job's
        seconds = detail["job_seconds"]
    print(
        json.dumps(
            {"seconds": seconds, "growth_mb": peak_rss_mb() - resting, "detail": detail},
            ensure_ascii=False,
        )
    )


# --- driver side --------------------------------------------------------------------------------
def _run_worker(factor: float, task: str, argument: str = "") -> dict:
    environment = {**os.environ, **env.variables(factor)}
    if task in ("export-enterprises", "export-problems", "import"):
        # the request only sends the job (to a broker in memory, no worker): its own time is
        # measured apart from the job's, which the worker process runs itself
        environment |= {"CELERY_TASK_ALWAYS_EAGER": "0", "CELERY_BROKER_URL": "memory://"}
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.files", task, argument],
        cwd=env.ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"{task} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def _pair(factor: float, target: str, floor: str, argument: str = "", repeat: int = 3) -> tuple:
    """Alternate target and floor runs; keep the fastest of each (the least disturbed)."""
    runs = {target: [], floor: []}
    for _ in range(repeat):
        for task in (floor, target):
            runs[task].append(_run_worker(factor, task, argument))
    best = {task: min(values, key=lambda r: r["seconds"]) for task, values in runs.items()}
    return best[target], best[floor]


def exports(factor: float, repeat: int) -> list[dict]:
    results = []
    for name, target, floor in [
        ("排污单位名单导出（全省）", "export-enterprises", "bare-write-enterprises"),
        ("问题台账导出（全省）", "export-problems", "bare-write-problems"),
    ]:
        app, bare = _pair(factor, target, floor, repeat=repeat)
        ratio = app["seconds"] / bare["seconds"]
        request = app["detail"]["request_seconds"]
        results.append(
            {
                "name": name,
                "seconds": app["seconds"],
                "request_seconds": request,
                "floor_seconds": bare["seconds"],
                "ratio": ratio,
                "growth_mb": app["growth_mb"],
                "floor_growth_mb": bare["growth_mb"],
                "rows": bare["detail"],
                "ok": ratio <= EXPORT_GOAL and request < REQUEST_GOAL,
            }
        )
        print(
            f"  {name}: request {request:.2f} s, job {app['seconds']:.1f} s "
            f"(+{app['growth_mb']:.0f} MB), bare write-only {bare['seconds']:.1f} s "
            f"(+{bare['growth_mb']:.0f} MB) → {ratio:.2f}×",
            flush=True,
        )
    return results


def make_import_file(path: Path, rows: int, seed: int = 7) -> None:
    """An enterprise list as a bureau sends it: the template's headers, valid rows, every county."""
    import random

    from openpyxl import Workbook

    from campaign.models import Industry, Region
    from demo.credit_codes import make_credit_code
    from enterprises.importing import COLUMNS

    rng = random.Random(seed)
    counties = list(
        Region.objects.filter(level="county", kind="division").values_list("code", "name")
    )
    industries = list(Industry.objects.filter(level="class").values_list("code", flat=True))
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("排污单位名单")
    sheet.append([c.header for c in COLUMNS])
    codes = set()
    for n in range(rows):
        code, name = rng.choice(counties)
        while (credit := make_credit_code(rng, code)) in codes:
            pass
        codes.add(credit)
        key = n % 26 == 0
        by_header = {
            "统一社会信用代码": credit,
            "单位名称": f"{name}第{n}号测试有限公司",
            "所属区县代码": code,
            "详细地址": f"{name}工业路 {n % 500} 号",
            "行业代码": rng.choice(industries),
            "是否重点排污单位": "是" if key else "否",
            "法定代表人": "张三",
            "联系电话": f"1380000{n % 10000:04d}",
            "重点排污单位类别": "水、气" if key else "",
            "是否黄河流域": "否",
            "联系人": "李四",
            "排污许可证编号": f"{credit}001P" if key else "",
            "排污许可证有效期至": "2023-12-31" if key else "",
            "排污许可管理类别": "重点管理" if key else "登记管理",
            "是否产生危险废物": "是" if key else "否",
            "是否有尾矿库": "否",
            "是否使用放射源或射线装置": "否",
            "经度": f"{113 + rng.random():.6f}",
            "纬度": f"{34 + rng.random():.6f}",
            "是否安装自动监控": "是" if key else "否",
            "自动监控是否联网": "是" if key else "否",
        }
        sheet.append([by_header[c.header] for c in COLUMNS])
    workbook.save(path)


def prepare_import_database() -> None:
    """A migrated database with reference data and an importer account, nothing else."""
    from benchmarks import run as runner

    runner.ensure_database(IMPORT_DB_FACTOR, generate=False)
    environment = {**os.environ, **env.variables(IMPORT_DB_FACTOR)}
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup();"
            "from campaign.models import User;"
            "User.objects.get_or_create(username='bench-importer', defaults={'role': 'province'})",
        ],
        cwd=env.ROOT,
        env=environment,
        check=True,
    )


def imports(sizes: list[int], repeat: int) -> list[dict]:
    prepare_import_database()
    results = []
    folder = env.ROOT / "var" / "bench-files"
    folder.mkdir(parents=True, exist_ok=True)
    for rows in sizes:
        path = folder / f"enterprises-{rows}.xlsx"
        if not path.exists():
            make_import_file(path, rows)
        app, bare = _pair(IMPORT_DB_FACTOR, "import", "bare-read", str(path), repeat=repeat)
        ratio = app["seconds"] / bare["seconds"]
        request = app["detail"]["request_seconds"]
        results.append(
            {
                "name": f"排污单位名单导入 {rows:,} 行",
                "rows": rows,
                "seconds": app["seconds"],
                "request_seconds": request,
                "floor_seconds": bare["seconds"],
                "ratio": ratio,
                "growth_mb": app["growth_mb"],
                "floor_growth_mb": bare["growth_mb"],
                "ok": ratio <= IMPORT_GOAL and request < REQUEST_GOAL,
            }
        )
        print(
            f"  import {rows} rows: request {request:.2f} s, job {app['seconds']:.1f} s (+{app['growth_mb']:.0f} MB), "
            f"bare read {bare['seconds']:.1f} s (+{bare['growth_mb']:.0f} MB) → {ratio:.2f}×",
            flush=True,
        )
    return results


def pdf(rounds: int) -> list[dict]:
    """The record form's PDF view against WeasyPrint rendering the same HTML alone."""
    from django.template.loader import render_to_string
    from django.test import Client
    from django.utils import timezone
    from weasyprint import HTML

    from campaign.models import User
    from inspections.models import Inspection

    inspection = (
        Inspection.objects.filter(status="submitted", enterprise__county__code="410105")
        .order_by("pk")
        .first()
    )
    lead = inspection.members.get(role="lead").user
    client = Client()
    client.force_login(User.objects.get(pk=lead.pk))
    findings = list(inspection.findings.select_related("item").prefetch_related("evidence"))
    html = render_to_string(
        "inspections/inspection_pdf.html",
        {
            "i": inspection,
            "findings": findings,
            "members": inspection.members.select_related("user"),
            "photos": [],
            "printed_at": timezone.now(),
        },
    )

    def view():
        response = client.get(f"/inspections/{inspection.pk}/pdf/")
        assert response.status_code == 200 and response.content.startswith(b"%PDF")

    samples = interleaved(
        {"floor": lambda: HTML(string=html).write_pdf(), "view": view}, rounds, warmup=1
    )
    floor, target = samples["floor"], samples["view"]
    ratio = target.median / floor.median
    print(f"  PDF: {ms(target.median)} ms, WeasyPrint alone {ms(floor.median)} ms → {ratio:.2f}×")
    return [
        {
            "name": f"现场检查记录表 PDF（{len(findings)} 个检查项目）",
            "median_ms": ms(target.median),
            "p95_ms": ms(target.p95),
            "floor_median_ms": ms(floor.median),
            "ratio": ratio,
            "ok": ratio <= PDF_GOAL and target.median <= 1.5,
        }
    ]


if __name__ == "__main__":
    worker(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "")
