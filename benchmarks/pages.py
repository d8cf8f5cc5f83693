"""Page and API speed for a provincial, a city and a county user, against a one-row floor view."""

from __future__ import annotations

import time

from benchmarks.timing import interleaved, ms

USERS = [
    ("省级", "scale-province"),
    ("市级（郑州）", "scale-city-4101"),
    ("县级（金水）", "scale-county-410105-1"),
]
PAGES = [
    ("排污单位名单", "/enterprises/"),
    ("排污单位 API", "/api/v1/enterprises/"),
    ("企业自查列表", "/self-checks/"),
    ("自查表 API", "/api/v1/self-checks/"),
    ("现场检查列表", "/inspections/"),
    ("现场检查 API", "/api/v1/inspections/"),
    ("问题台账", "/problems/"),
    ("问题台账 API", "/api/v1/problems/"),
]
GOAL = 3.0


def run(rounds: int) -> list[dict]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from campaign.models import User
    from enterprises.models import Enterprise

    results = []
    with override_settings(ROOT_URLCONF="benchmarks.urls"):
        for label, username in USERS:
            user = User.objects.get(username=username)
            client = Client()
            client.force_login(user)
            one = Enterprise.objects.filter(county__code="410105").order_by("pk").first()
            floor_url = f"/bench/floor/{one.pk}/"

            def get(url, client=client):
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)
                return response

            for name, url in PAGES:
                samples = interleaved(
                    {"floor": lambda f=floor_url: get(f), "page": lambda url=url: get(url)}, rounds
                )
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    get(url)
                    whole = time.perf_counter() - started
                sql = sum(float(q["time"]) for q in queries.captured_queries)
                floor, page = samples["floor"], samples["page"]
                ratio = page.median / floor.median
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
                        "queries": len(queries),
                        # where one request's time goes: the database, and the rest (Python)
                        "sql_share": sql / whole if whole else 0.0,
                        "ok": ratio <= GOAL,
                    }
                )
                print(
                    f"  {name:<10} {label:<8} {ms(page.median):>7} ms (p95 {ms(page.p95)}) "
                    f"floor {ms(floor.median)} ms → {ratio:.2f}×, {len(queries)} queries",
                    flush=True,
                )
    return results
