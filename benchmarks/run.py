"""`make bench`: every figure of the scale issue, each against the floor it cannot beat.

Runs on PostgreSQL and Redis (127.0.0.1), on a database of its own per factor
(`ecs_bench_f1`), generated once with `generate_scale` and reused while it is complete.
Prints a table and writes it to benchmarks/RESULTS.md with the date and the machine.

    python -m benchmarks.run [--factor 1]
        [--only pages,counts,pdf,exports,import,load,cases,clocks,rectification,crosscheck]

`cases` is the case list and 到期提醒 (pages and API) for the same three users as `pages`; `clocks`
recomputes every open clock after a calendar update; `rectification` builds a city's plans in one
go (`plans_build`, on a scratch copy of the database) against a bulk insert of the same rows, and
exports the 整改台账 for the three users against openpyxl write-only (benchmarks/rectification.py).
A database generated before a stage existed gets that stage's data added once
(`generate_scale --complete`). BENCH_DATABASE names a database already generated at the factor
(instead of ecs_bench_f<factor>). `crosscheck` draws a provincial verification sample over every key
unit and its teams over the pools, with their replays, in a transaction rolled back, and draws a
frame five times the size in memory (benchmarks/crosscheck.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import time

from benchmarks import env

SECTIONS = [
    "pages",
    "counts",
    "pdf",
    "exports",
    "import",
    "load",
    "cases",
    "clocks",
    "rectification",
    "crosscheck",
]


def _manage(factor: float, *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=env.ROOT,
        env={**os.environ, **env.variables(factor)},
        check=True,
    )


COMPLETED: dict[str, float] = {}  # seconds taken to add a later stage to a generated database


def ensure_database(factor: float, generate: bool = True) -> float | None:
    """Create, migrate and (once) fill the factor's database; return the generation time if run."""
    import psycopg2

    name = env.database_name(factor)
    admin = psycopg2.connect(f"{env.POSTGRES}/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
        # the server's disks are SSDs: random reads cost about what sequential ones do (the
        # default 4 makes the planner scan whole tables rather than follow an index)
        cursor.execute(f'ALTER DATABASE "{name}" SET random_page_cost = 1.1')
    admin.close()
    _manage(factor, "migrate", "--noinput", "-v0")
    _manage(factor, "load_reference_data", "-v0")
    if not generate:
        return None
    check = psycopg2.connect(f"{env.POSTGRES}/{name}")
    with check.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM campaign_user WHERE username = 'scale-province'")
        ready = cursor.fetchone()[0] == 1
        cursor.execute("SELECT COUNT(*) FROM enterprises_enterprise")
        has_rows = cursor.fetchone()[0] > 0
        # generated before stage 4 or 5: its plans or pools are added once, as the whole
        # generation writes them
        cursor.execute(
            "SELECT NOT EXISTS (SELECT 1 FROM rectification_rectificationplan)"
            " OR NOT EXISTS (SELECT 1 FROM campaign_poolmembership)"
        )
        completing = ready and cursor.fetchone()[0]
    check.close()
    seconds = None
    if completing:
        started = time.monotonic()
        _manage(factor, "generate_scale", "--complete", "--force")
        COMPLETED["seconds"] = time.monotonic() - started
    if not ready:
        if has_rows:
            raise SystemExit(f"{name} holds data that generate_scale did not write: drop it first.")
        started = time.monotonic()
        _manage(factor, "generate_scale", "--factor", str(factor), "--force")
        seconds = time.monotonic() - started
    if seconds is not None or completing:
        vacuum = psycopg2.connect(f"{env.POSTGRES}/{name}")
        vacuum.autocommit = True
        with vacuum.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        vacuum.close()
    manifest = env.ROOT / "var" / "bench-static" / "staticfiles.json"
    newest = max(p.stat().st_mtime for p in (env.ROOT / "static").rglob("*") if p.is_file())
    if not manifest.exists() or manifest.stat().st_mtime < newest:
        _manage(factor, "collectstatic", "--noinput", "-v0")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--factor", type=float, default=1.0)
    parser.add_argument("--only", default=",".join(SECTIONS))
    parser.add_argument("--rounds", type=int, default=30, help="samples per page")
    parser.add_argument("--import-rows", default="13000,130000")
    parser.add_argument("--users", type=int, default=200, help="simulated inspectors (load)")
    parser.add_argument("--duration", default="2m", help="load test duration")
    parser.add_argument("--no-write", action="store_true", help="do not rewrite RESULTS.md")
    args = parser.parse_args()
    only = [s for s in args.only.split(",") if s]
    unknown = set(only) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown sections: {', '.join(sorted(unknown))}")

    print(f"准备数据库（系数 {args.factor:g}）…", flush=True)
    generated = ensure_database(args.factor)
    env.apply(args.factor)
    import django

    django.setup()
    from benchmarks import clocks, counts, crosscheck, files, load, pages, rectification, report

    results: dict = {
        "generation_seconds": generated,
        "completion_seconds": COMPLETED.get("seconds"),
    }
    started = time.monotonic()
    if "pages" in only:
        print("页面与 API（中位数、95 分位，对照一行读取的最小视图）…", flush=True)
        results["pages"] = pages.run(args.rounds)
    if "counts" in only:
        print("覆盖与统计（对照同表上的 GROUP BY）…", flush=True)
        results["counts"] = counts.run(max(5, args.rounds // 3))
    if "pdf" in only:
        print("检查记录表 PDF（对照 WeasyPrint 单独渲染同一 HTML）…", flush=True)
        results["pdf"] = files.pdf(max(5, args.rounds // 3))
    if "exports" in only:
        print("导出（对照 openpyxl write-only 写同样的行）…", flush=True)
        results["exports"] = files.exports(args.factor, repeat=2)
    if "import" in only:
        print("导入（对照 openpyxl 只读读取同一文件）…", flush=True)
        sizes = [int(n) for n in args.import_rows.split(",") if n]
        results["imports"] = files.imports(sizes, repeat=1)
    if "cases" in only:
        print("案件与到期提醒（对照一行底线与同行底线）…", flush=True)
        results["cases"] = pages.run(args.rounds, pages.CASE_PAGES)
    if "clocks" in only:
        print("重算全部未完成期限（对照同样行的裸循环与一条 UPDATE）…", flush=True)
        results["clocks"] = clocks.run(max(3, args.rounds // 6))
    if "rectification" in only:
        print(
            "指导整改：整改台账页面、导出，市级一键登记造册（对照一行底线、write-only、批量写入）…"
        )
        results["rectification"] = rectification.run(args.factor, args.rounds)
    if "crosscheck" in only:
        print("异地核查：全省重点排污单位抽样、随机编组及其复核（单位：秒）…", flush=True)
        results["crosscheck"] = crosscheck.run(args.factor, max(3, args.rounds // 10))
    if "load" in only:
        print(f"负载：{args.users} 名县级执法人员，{args.duration}（gunicorn）…", flush=True)
        results["load"] = load.run(args.factor, args.users, args.duration)
    results["elapsed_seconds"] = time.monotonic() - started
    text = report.render(results, factor=args.factor, machine=env.machine(), when=dt.datetime.now())
    print(text)
    if not args.no_write:
        (env.ROOT / "benchmarks" / "RESULTS.md").write_text(
            report.merge(env.ROOT / "benchmarks" / "RESULTS.md", text), encoding="utf-8"
        )


if __name__ == "__main__":
    main()
