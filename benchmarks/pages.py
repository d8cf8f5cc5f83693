"""Page and API speed for a provincial, a city and a county user, against two floors: a one-row
view (what no page can beat) and, per list, the same rows by one raw SQL query rendered by the same
template or, for the API, built as plain dicts (benchmarks/floors.py)."""

from __future__ import annotations

import time

from benchmarks.floors import FLOORS, floor_url
from benchmarks.timing import interleaved, ms

USERS = [
    ("省级", "scale-province"),
    ("市级（郑州）", "scale-city-4101"),
    ("县级（金水）", "scale-county-410105-1"),
]
# label, address, and the name of its same-rows floor
PAGES = [
    ("排污单位名单", "/enterprises/", "enterprises"),
    ("排污单位 API", "/api/v1/enterprises/", "enterprises-api"),
    ("企业自查列表", "/self-checks/", "self-checks"),
    ("自查表 API", "/api/v1/self-checks/", "self-checks-api"),
    ("现场检查列表", "/inspections/", "inspections"),
    ("现场检查 API", "/api/v1/inspections/", "inspections-api"),
    ("问题台账", "/problems/", "problems"),
    ("问题台账 API", "/api/v1/problems/", "problems-api"),
]
# stage 3 (`--only cases`): the case list and 到期提醒 with every open clock
CASE_PAGES = [
    ("案件列表", "/cases/", "cases"),
    ("案件 API", "/api/v1/cases/", "cases-api"),
    ("到期提醒（全部未完成）", "/cases/deadlines/?within=", "case-deadlines"),
    ("到期提醒 API", "/api/v1/case-deadlines/", "case-deadlines-api"),
]
GOAL = 3.0  # × the one-row floor
GOAL_ROWS = 2.0  # × the same rows by raw SQL and the same template (API: plain dicts)


def run(rounds: int, pages: list[tuple[str, str, str]] = PAGES) -> list[dict]:
    from django.test import Client
    from django.test.utils import override_settings

    from campaign.models import User
    from enterprises.models import Enterprise

    results = []
    with override_settings(ROOT_URLCONF="benchmarks.urls"):
        for label, username in USERS:
            user = User.objects.get(username=username)
            client = Client()
            client.force_login(user)
            one = Enterprise.objects.filter(county__code="410105").order_by("pk").first()
            one_row_url = f"/bench/floor/{one.pk}/"

            def get(url, client=client):
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)
                return response

            for name, url, rows_name in pages:
                assert FLOORS[rows_name][1] == url, (rows_name, url)
                rows_url = floor_url(rows_name)
                samples = interleaved(
                    {
                        "floor": lambda f=one_row_url: get(f),
                        "rows": lambda r=rows_url: get(r),
                        "page": lambda url=url: get(url),
                    },
                    rounds,
                )
                queries, whole, sql = _one(get, url)
                rows_queries, rows_whole, rows_sql = _one(get, rows_url)
                floor, rows, page = samples["floor"], samples["rows"], samples["page"]
                ratio = page.median / floor.median
                rows_ratio = page.median / rows.median
                results.append(
                    {
                        "page": name,
                        "url": url,
                        "user": label,
                        "median_ms": ms(page.median),
                        "p95_ms": ms(page.p95),
                        "floor_median_ms": ms(floor.median),
                        "floor_p95_ms": ms(floor.p95),
                        "ratio": ratio,
                        "ratio_p95": page.p95 / floor.p95,
                        "queries": queries,
                        # where one request's time goes: the database, and the rest (Python)
                        "sql_share": sql / whole if whole else 0.0,
                        "ok": ratio <= GOAL,
                        "rows_url": rows_url,
                        "rows_floor_median_ms": ms(rows.median),
                        "rows_floor_p95_ms": ms(rows.p95),
                        "rows_ratio": rows_ratio,
                        "rows_ratio_p95": page.p95 / rows.p95,
                        "rows_floor_queries": rows_queries,
                        "rows_floor_sql_share": rows_sql / rows_whole if rows_whole else 0.0,
                        "rows_ok": rows_ratio <= GOAL_ROWS,
                    }
                )
                print(
                    f"  {name:<10} {label:<8} {ms(page.median):>7} ms (p95 {ms(page.p95)}) "
                    f"one row {ms(floor.median)} ms → {ratio:.2f}×, {queries} queries; "
                    f"same rows {ms(rows.median)} ms → {rows_ratio:.2f}×",
                    flush=True,
                )
    return results


def _one(get, url) -> tuple[int, float, float]:
    """One request with its queries captured: how many, its time, and the database's part."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        get(url)
        whole = time.perf_counter() - started
    return len(queries), whole, sum(float(q["time"]) for q in queries.captured_queries)
