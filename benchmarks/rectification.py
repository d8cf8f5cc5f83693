"""Stage 4 at scale: 登记造册 of a whole city, the 整改台账 export and its pages, each against a floor.

- build: `plans_build` for every unit of one city with open problems (one transaction per unit,
  as the bureau's button runs it) against one SQL statement writing the same rows in bulk: the
  plans, the items (numbered per unit, the requirement from the check item's standard), their
  first events and first measures, the problems moved to 整改中 (open ones, and those under
  行政指导 without a live case) with the ledger's events naming the item. It runs on a scratch copy
  of the scale database (`CREATE DATABASE … TEMPLATE …`, dropped afterwards: the service commits
  per unit, the scale data stay as generated). Before each run the city's stage 4 is undone (its
  plans, items and what hangs from them deleted, its problems put back in the status before their
  first step naming an item, the audit rows of the run removed), so both sides start from a city
  without plans. The first run of each also checks that both write the same rows.
- exports: what the job `rectification.items.export` does, without its job row (the count its
  progress starts from, then `items_workbook(items_for_export(...))`: plain values per chunk of
  items into a write-only workbook) for a provincial, a city and a county user, in a fresh worker
  process each, against openpyxl write-only writing the same rows and columns fetched by one SQL
  query (as `files.exports` for the ledger).
- pages: 整改台账 and one item's page for the same three users against the one-row floor, with
  their SQL counts (`tests/test_query_counts.py` holds them constant whatever the rows).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

from benchmarks import env
from benchmarks.timing import Sample, interleaved, ms, peak_rss_mb, rss_mb

CITY = "4101"  # 郑州, the city user of the page benchmarks
BUILD_GOAL = 3.0  # × the bulk insert (a background-size job, as the import and the clocks)
EXPORT_GOAL = 1.3  # × openpyxl write-only, as the other exports
PAGE_GOAL = 3.0  # × the one-row view
USERS = {
    "province": ("省级", "scale-province"),
    "city": ("市级（郑州）", "scale-city-4101"),
    "county": ("县级（金水）", "scale-county-410105-1"),
}
SCRATCH_REDIS = "redis://127.0.0.1:6379/8"  # the scratch copy's count cache stays apart


# --- the tables, from the models (worker side) ---------------------------------------------------
def _tables() -> dict[str, str]:
    from django.contrib.contenttypes.models import ContentType

    from cases.models import Case, CaseProblem, Classification
    from enterprises.models import Enterprise
    from inspections.models import CheckItem, Problem, ProblemEvent
    from rectification.models import (
        ItemEvent,
        ItemEvidence,
        ItemMeasure,
        Milestone,
        RectificationItem,
        RectificationPlan,
    )

    names = {
        "plan": RectificationPlan,
        "item": RectificationItem,
        "item_event": ItemEvent,
        "measure": ItemMeasure,
        "milestone": Milestone,
        "item_evidence": ItemEvidence,
        "problem": Problem,
        "problem_event": ProblemEvent,
        "check_item": CheckItem,
        "enterprise": Enterprise,
        "classification": Classification,
        "case": Case,
        "case_problem": CaseProblem,
    }
    tables = {key: model._meta.db_table for key, model in names.items()}
    tables["item_type"] = str(ContentType.objects.get_for_model(RectificationItem).pk)
    return tables


# --- 登记造册 (worker side, on the scratch copy) ----------------------------------------------------
CITY_ITEMS = """SELECT i.id FROM {item} i JOIN {plan} pl ON pl.id = i.plan_id
    WHERE pl.city_id = %(city)s AND pl.campaign_id = %(campaign)s"""

# the service's candidates: open primary problems of the city not yet in an item
CANDIDATES = """SELECT p.* FROM {problem} p
    WHERE p.campaign_id = %(campaign)s AND p.city_id = %(city)s AND p.primary_id IS NULL
      AND p.status = ANY(%(active)s)
      AND NOT EXISTS (SELECT 1 FROM {item} x WHERE x.problem_id = p.id)"""

# the floor: every row the service writes, in one statement (each CTE runs once)
BULK = """
WITH cand AS ({candidates}),
plans AS (
    INSERT INTO {plan} (campaign_id, enterprise_id, county_id, city_id, created_by_id, created_at,
                        note)
    SELECT %(campaign)s, e.id, e.county_id, e.city_id, %(actor)s, %(now)s, ''
    FROM {enterprise} e WHERE e.id IN (SELECT enterprise_id FROM cand)
    RETURNING id, enterprise_id
),
items AS (
    INSERT INTO {item} (plan_id, problem_id, number, requirement, requirement_source, funds,
                        responsible, responsible_phone, supervisor_id, deadline, original_deadline,
                        facility_task, status, progress, applied_at, closed_on, return_reason,
                        closing_flagged, overdue_since, escalated_on, created_at, updated_at)
    SELECT plans.id, c.id,
           ROW_NUMBER() OVER (PARTITION BY c.enterprise_id ORDER BY c.found_at, c.id),
           CASE WHEN btrim(ci.standard, E' \\t\\r\\n') <> ''
                THEN '按要求完成整改，达到：' || btrim(ci.standard, E' \\t\\r\\n')
                ELSE '按要求完成整改。' END,
           '', NULL, c.responsible, '', NULL, c.deadline, c.deadline,
           ci.code = ANY(%(facility)s), 'not_started', '', NULL, NULL, '', FALSE, NULL, NULL,
           %(now)s, %(now)s
    FROM cand c JOIN plans ON plans.enterprise_id = c.enterprise_id
    JOIN {check_item} ci ON ci.id = c.item_id
    RETURNING id, problem_id
),
item_events AS (
    INSERT INTO {item_event} (item_id, from_status, to_status, by_id, at, note)
    SELECT items.id, '', 'not_started', %(actor)s, %(now)s, %(note)s FROM items
),
measures AS (
    INSERT INTO {measure} (item_id, number, text, done_on)
    SELECT items.id, 1, btrim(c.measure, E' \\t\\r\\n'), NULL
    FROM items JOIN {problem} c ON c.id = items.problem_id
    WHERE btrim(c.measure, E' \\t\\r\\n') <> ''
),
moved AS (
    UPDATE {problem} p SET status = 'rectifying'
    FROM items JOIN {problem} c ON c.id = items.problem_id
    WHERE p.id = items.problem_id AND (
        c.status = 'open' OR (
            c.status = 'handling'
            AND EXISTS (SELECT 1 FROM {classification} k
                        WHERE k.problem_id = c.id AND k.path = 'guidance')
            AND NOT EXISTS (SELECT 1 FROM {case_problem} cp JOIN {case} k ON k.id = cp.case_id
                            WHERE cp.problem_id = c.id AND k.status <> ALL(%(finished)s))))
    RETURNING p.id, c.status AS before, items.id AS item_id
),
problem_events AS (
    INSERT INTO {problem_event} (problem_id, from_status, to_status, by_id, at, note, ref_type_id,
                                 ref_id)
    SELECT moved.id, moved.before, 'rectifying', %(actor)s, %(now)s, %(note)s, {item_type},
           moved.item_id
    FROM moved
)
SELECT (SELECT COUNT(*) FROM plans), (SELECT COUNT(*) FROM items), (SELECT COUNT(*) FROM moved)
"""


def _params(city, campaign, actor) -> dict:
    from django.conf import settings
    from django.utils import timezone

    from cases.models import Case
    from inspections.models import Problem

    return {
        "city": city.pk,
        "campaign": campaign.pk,
        "actor": actor.pk,
        "now": timezone.now(),
        "active": [str(s) for s in Problem.ACTIVE],
        "finished": [str(s) for s in Case.FINISHED],
        "facility": list(settings.RECTIFICATION_FACILITY_ITEMS),
        "note": "列入一企一案整改方案",
    }


def _reset(city, campaign, marker: int) -> None:
    """Undo the city's stage 4: no plan, no item, its problems as before their first step naming
    an item; the audit rows written since `marker` removed. Untimed."""
    from django.db import connection, transaction

    from rectification.models import RectificationItem, RectificationPlan

    t = _tables()
    params = {"city": city.pk, "campaign": campaign.pk}
    items = CITY_ITEMS.format(**t)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {t['problem']} p SET status = f.from_status FROM ("
            f"SELECT DISTINCT ON (e.problem_id) e.problem_id, e.from_status "
            f"FROM {t['problem_event']} e WHERE e.ref_type_id = {t['item_type']} "
            f"AND e.ref_id IN ({items}) ORDER BY e.problem_id, e.at, e.id) f "
            "WHERE p.id = f.problem_id",
            params,
        )
        cursor.execute(
            f"DELETE FROM {t['problem_event']} WHERE ref_type_id = {t['item_type']} "
            f"AND ref_id IN ({items})",
            params,
        )
        # every row hanging from the city's items and plans (the scale data: events, measures,
        # milestones, photos; the other tables are empty there)
        for model, ids in (
            (RectificationItem, items),
            (
                RectificationPlan,
                f"SELECT id FROM {t['plan']} WHERE city_id = %(city)s "
                "AND campaign_id = %(campaign)s",
            ),
        ):
            for rel in model._meta.related_objects:
                if rel.related_model in (RectificationItem, RectificationPlan):
                    continue
                if rel.many_to_many:
                    through = rel.through._meta
                    column = next(
                        f.column
                        for f in through.fields
                        if f.is_relation and f.related_model is model
                    )
                    table = through.db_table
                else:
                    column, table = rel.field.column, rel.related_model._meta.db_table
                cursor.execute(f"DELETE FROM {table} WHERE {column} IN ({ids})", params)
        cursor.execute(f"DELETE FROM {t['item']} WHERE id IN ({items})", params)
        cursor.execute(
            f"DELETE FROM {t['plan']} WHERE city_id = %(city)s AND campaign_id = %(campaign)s",
            params,
        )
        cursor.execute("DELETE FROM auditlog_logentry WHERE id > %s", [marker])


def _fingerprint(city, campaign) -> dict:
    """What a build leaves in the city: problems with their item, measures and events."""
    from django.db import connection

    t = _tables()
    params = {"city": city.pk, "campaign": campaign.pk}
    queries = {
        "problems": f"""SELECT p.id, p.status, i.number, i.requirement, i.deadline,
                i.original_deadline, i.facility_task, i.status, i.responsible, pl.county_id,
                pl.city_id, pl.created_by_id
            FROM {t["problem"]} p LEFT JOIN {t["item"]} i ON i.problem_id = p.id
            LEFT JOIN {t["plan"]} pl ON pl.id = i.plan_id
            WHERE p.city_id = %(city)s AND p.campaign_id = %(campaign)s ORDER BY p.id""",
        "measures": f"""SELECT i.problem_id, m.number, m.text FROM {t["measure"]} m
            JOIN {t["item"]} i ON i.id = m.item_id WHERE i.id IN ({CITY_ITEMS.format(**t)})
            ORDER BY 1, 2""",
        "item_events": f"""SELECT i.problem_id, e.from_status, e.to_status, e.by_id, e.note
            FROM {t["item_event"]} e JOIN {t["item"]} i ON i.id = e.item_id
            WHERE i.id IN ({CITY_ITEMS.format(**t)}) ORDER BY 1, 2, 3""",
        "problem_events": f"""SELECT e.problem_id, e.from_status, e.to_status, e.by_id, e.note,
                i.problem_id FROM {t["problem_event"]} e
            JOIN {t["item"]} i ON i.id = e.ref_id AND e.ref_type_id = {t["item_type"]}
            WHERE i.id IN ({CITY_ITEMS.format(**t)}) ORDER BY 1, 2, 3""",
    }
    found = {}
    with connection.cursor() as cursor:
        for name, sql in queries.items():
            cursor.execute(sql, params)
            found[name] = cursor.fetchall()
    return found


def _counted(fn) -> tuple[object, int]:
    """`fn`'s result and how many statements it sent (counted, not logged)."""
    from django.db import connection

    sent = 0

    def count(execute, sql, params, many, context):
        nonlocal sent
        sent += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        result = fn()
    return result, sent


def build_worker(rounds: int) -> dict:
    from auditlog.models import LogEntry
    from django.db import connection, transaction

    from campaign.models import Region, User
    from campaign.selectors.calendar import campaign_current
    from rectification.services.plan import plans_build

    city = Region.objects.get(code=CITY, level=Region.Level.CITY)
    actor = User.objects.get(username=USERS["city"][1])
    campaign = campaign_current()
    marker = LogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    t = _tables()

    def service():
        return plans_build(actor=actor, region=city, campaign=campaign)

    def floor():
        params = _params(city, campaign, actor)
        sql = BULK.format(candidates=CANDIDATES.format(**t), **t)
        with transaction.atomic(), connection.cursor() as cursor:
            # the CTEs' results have no statistics: nested loops over them would be quadratic
            cursor.execute("SET LOCAL enable_nestloop = off")
            cursor.execute(sql, params)
            plans, items, moved = cursor.fetchone()
        return {"plans": plans, "items": items, "moved": moved}

    def timed(fn) -> tuple[object, int]:
        started = time.perf_counter()
        result, sent = _counted(fn)
        times["service" if fn is service else "floor"].append(time.perf_counter() - started)
        return result, sent

    times: dict[str, list[float]] = {"service": [], "floor": []}
    _reset(city, campaign, marker)
    before = _fingerprint(city, campaign)
    # the first run of each (timed too: a run takes minutes, warming up is nothing beside it)
    # checks that both write the same rows, and counts the statements each one sends
    made, service_queries = timed(service)
    audit = LogEntry.objects.filter(pk__gt=marker).count()
    by_service = _fingerprint(city, campaign)
    _reset(city, campaign, marker)
    assert _fingerprint(city, campaign) == before, "the reset did not restore the city"
    bulk, floor_queries = timed(floor)
    by_floor = _fingerprint(city, campaign)
    for name in by_service:
        assert by_floor[name] == by_service[name], f"floor and service differ in {name}"
    assert (made["plans"], made["items"]) == (bulk["plans"], bulk["items"]), (made, bulk)
    for _ in range(rounds - 1):
        for fn in (service, floor):
            _reset(city, campaign, marker)
            timed(fn)
    _reset(city, campaign, marker)
    return {
        "plans": bulk["plans"],
        "items": bulk["items"],
        "moved": bulk["moved"],
        "audit_rows": audit,
        "queries": service_queries,
        "floor_queries": floor_queries,
        "service": times["service"],
        "floor": times["floor"],
    }


# --- the 整改台账 export (worker side) -----------------------------------------------------------
ITEMS_SQL = """
SELECT p.id, e.name, e.credit_code, co.name, p.source, p.kind, ci.code || ' ' || ci.title,
       p.description, p.legal_basis,
       (SELECT COALESCE('是（' || string_agg(cp.case_id::text, '、' ORDER BY cp.case_id) || '）',
                        '否')
        FROM {case_problem} cp JOIN {case} k ON k.id = cp.case_id
        WHERE cp.problem_id = p.id AND k.status NOT IN ('not_filed', 'revoked')),
       i.requirement, i.requirement_source,
       (SELECT string_agg(m.number || '. ' || m.text
                          || COALESCE('（已完成 ' || to_char(m.done_on, 'YYYY-MM-DD') || '）', ''),
                          E'\\n' ORDER BY m.number)
        FROM {measure} m WHERE m.item_id = i.id),
       (SELECT string_agg(to_char(s.due_on, 'YYYY-MM-DD') || ' ' || s.title
                          || COALESCE('（完成 ' || to_char(s.done_on, 'YYYY-MM-DD') || '）', ''),
                          E'\\n' ORDER BY s.number)
        FROM {milestone} s WHERE s.item_id = i.id),
       i.funds, i.responsible, COALESCE(NULLIF(u.full_name, ''), u.username), i.deadline,
       NULLIF(i.original_deadline, i.deadline), i.status, i.progress,
       (SELECT string_agg(x.kind || ' ' || x.n, '、')
        FROM (SELECT kind, COUNT(*) AS n FROM {item_evidence} WHERE item_id = i.id GROUP BY kind) x),
       '', NULL, '', i.closed_on, i.closing_flagged, i.overdue_since, i.escalated_on
FROM {item} i JOIN {plan} pl ON pl.id = i.plan_id
JOIN {enterprise} e ON e.id = pl.enterprise_id
JOIN campaign_region co ON co.id = pl.county_id
JOIN {problem} p ON p.id = i.problem_id
JOIN {check_item} ci ON ci.id = p.item_id
LEFT JOIN campaign_user u ON u.id = i.supervisor_id
WHERE pl.campaign_id = (SELECT id FROM campaign_campaign
                        ORDER BY is_current DESC, year DESC LIMIT 1) AND {scope}
ORDER BY pl.city_id, pl.county_id, e.name, pl.id, i.number
"""


def _scope_sql(scope: str) -> str:
    from campaign import access
    from campaign.models import User

    reach = access.jurisdiction(User.objects.get(username=USERS[scope][1]))
    if reach.reach is access.Reach.CITY:
        return f"pl.city_id = {int(reach.region_id)}"
    if reach.reach is access.Reach.COUNTY:
        return f"pl.county_id = {int(reach.region_id)}"
    return "TRUE"


def _app_export(scope: str) -> dict:
    from campaign.models import User
    from campaign.selectors.calendar import campaign_current
    from rectification.exports import items_workbook
    from rectification.selectors import plan as selectors

    user = User.objects.get(username=USERS[scope][1])
    rows = selectors.items(user=user, campaign=campaign_current())
    # as the job (rectification/jobs.py): the count its progress starts from, then the rows
    rows.count()
    out = items_workbook(selectors.items_for_export(user=user, queryset=rows))
    size = out.seek(0, 2)
    out.close()
    return {"bytes": size}


def _bare_export(scope: str) -> int:
    from benchmarks.files import _bare_write

    return _bare_write(ITEMS_SQL.format(scope=_scope_sql(scope), **_tables()))


def worker(task: str, argument: str) -> None:
    import django

    django.setup()
    from django.db import connection

    connection.ensure_connection()
    if task == "build":
        print(json.dumps(build_worker(int(argument))))
        return
    resting = rss_mb()
    started = time.perf_counter()
    detail = {"export": _app_export, "bare-export": _bare_export}[task](argument)
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "growth_mb": peak_rss_mb() - resting, "detail": detail}))


# --- driver side -----------------------------------------------------------------------------
def _run_worker(factor: float, task: str, argument: str, database: str | None = None) -> dict:
    environment = {**os.environ, **env.variables(factor)}
    if database:
        environment |= {"DATABASE_URL": f"{env.POSTGRES}/{database}", "REDIS_URL": SCRATCH_REDIS}
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.rectification", task, argument],
        cwd=env.ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"{task} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def _admin():
    import psycopg2

    admin = psycopg2.connect(f"{env.POSTGRES}/postgres")
    admin.autocommit = True
    return admin


def _clone(source: str, scratch: str) -> float:
    """A file copy of the scale database (no session may be connected to it meanwhile)."""
    import psycopg2
    from django.db import connections

    connections.close_all()  # this process's own session on the scale database
    admin = _admin()
    started = time.monotonic()
    try:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{scratch}"')
            for attempt in range(20):
                try:
                    cursor.execute(
                        f'CREATE DATABASE "{scratch}" TEMPLATE "{source}" STRATEGY FILE_COPY'
                    )
                    break
                except psycopg2.errors.ObjectInUse:
                    if attempt == 19:
                        raise
                    time.sleep(3)  # another session on the scale database: wait for it
            cursor.execute(f'ALTER DATABASE "{scratch}" SET random_page_cost = 1.1')
    finally:
        admin.close()
    return time.monotonic() - started


def _drop(scratch: str) -> None:
    admin = _admin()
    try:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{scratch}"')
    finally:
        admin.close()


def build(factor: float, rounds: int) -> list[dict]:
    source = env.database_name(factor)
    scratch = f"{source}_scratch"
    copied = _clone(source, scratch)
    try:
        found = _run_worker(factor, "build", str(rounds), database=scratch)
    finally:
        _drop(scratch)
    service, floor = Sample(found["service"]), Sample(found["floor"])
    ratio = service.median / floor.median
    print(
        f"  登记造册（郑州）{found['plans']} 个方案 {found['items']} 项：{service.median:.1f} s"
        f"（p95 {service.p95:.1f}），批量写入 {floor.median:.2f} s → {ratio:.1f}×；"
        f"SQL {found['queries']} / {found['floor_queries']} 条；复制库 {copied:.0f} s",
        flush=True,
    )
    return [
        {
            "name": "市级一键登记造册（`plans_build`，郑州）",
            "plans": found["plans"],
            "items": found["items"],
            "moved": found["moved"],
            "audit_rows": found["audit_rows"],
            "rounds": rounds,
            "seconds": service.median,
            "p95_seconds": service.p95,
            "floor_seconds": floor.median,
            "ratio": ratio,
            "queries": found["queries"],
            "floor_queries": found["floor_queries"],
            "clone_seconds": copied,
            "ok": ratio <= BUILD_GOAL,
        }
    ]


def exports(factor: float, repeat: int) -> list[dict]:
    """Target and floor alternately in fresh processes; the fastest of each (the least disturbed)."""
    from campaign.models import User
    from campaign.selectors.calendar import campaign_current
    from rectification.selectors import plan as selectors

    results = []
    for scope, (label, username) in USERS.items():
        user = User.objects.get(username=username)
        expected = selectors.items(user=user, campaign=campaign_current()).count()
        runs: dict[str, list[dict]] = {"bare-export": [], "export": []}
        for _ in range(repeat):
            for task in runs:
                runs[task].append(_run_worker(factor, task, scope))
        app = min(runs["export"], key=lambda r: r["seconds"])
        bare = min(runs["bare-export"], key=lambda r: r["seconds"])
        assert bare["detail"] == expected, (scope, bare["detail"], expected)
        ratio = app["seconds"] / bare["seconds"]
        results.append(
            {
                "name": f"整改台账导出（{label}）",
                "rows": bare["detail"],
                "seconds": app["seconds"],
                "floor_seconds": bare["seconds"],
                "ratio": ratio,
                "growth_mb": app["growth_mb"],
                "floor_growth_mb": bare["growth_mb"],
                "ok": ratio <= EXPORT_GOAL,
            }
        )
        print(
            f"  整改台账导出 {label} {bare['detail']} 行：{app['seconds']:.1f} s "
            f"(+{app['growth_mb']:.0f} MB)，openpyxl write-only {bare['seconds']:.1f} s "
            f"(+{bare['growth_mb']:.0f} MB) → {ratio:.2f}×",
            flush=True,
        )
    return results


def pages(rounds: int) -> list[dict]:
    """整改台账 and an item's page against the one-row view, with their SQL counts."""
    from django.test import Client
    from django.test.utils import override_settings

    from benchmarks.pages import _one
    from campaign.models import User
    from enterprises.models import Enterprise
    from rectification.models import RectificationItem

    # an item of 金水 that every one of the three users sees, with measures and milestones
    item = (
        RectificationItem.objects.filter(plan__county__code="410105", status="in_progress")
        .filter(milestones__isnull=False)
        .order_by("pk")
        .first()
    )
    results = []
    with override_settings(ROOT_URLCONF="benchmarks.urls"):
        one = Enterprise.objects.filter(county__code="410105").order_by("pk").first()
        for label, username in USERS.values():
            client = Client()
            client.force_login(User.objects.get(username=username))

            def get(url, client=client):
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)
                return response

            for name, url in (
                ("整改台账", "/rectification/"),
                ("一企一案", "/rectification/plans/"),
                ("整改事项", f"/rectification/items/{item.pk}/"),
            ):
                samples = interleaved(
                    {
                        "floor": lambda get=get: get(f"/bench/floor/{one.pk}/"),
                        "page": lambda get=get, url=url: get(url),
                    },
                    rounds,
                )
                floor, page = samples["floor"], samples["page"]
                queries, whole, sql = _one(get, url)
                ratio = page.median / floor.median
                results.append(
                    {
                        "page": name,
                        "url": url,
                        "user": label,
                        "median_ms": ms(page.median),
                        "p95_ms": ms(page.p95),
                        "floor_median_ms": ms(floor.median),
                        "ratio": ratio,
                        "queries": queries,
                        "sql_share": sql / whole if whole else 0.0,
                        "ok": ratio <= PAGE_GOAL,
                    }
                )
                print(
                    f"  {name} {label}: {ms(page.median)} ms (p95 {ms(page.p95)}), one row "
                    f"{ms(floor.median)} ms → {ratio:.2f}×, {queries} queries",
                    flush=True,
                )
    return results


def run(factor: float, rounds: int, repeat: int = 2) -> dict:
    return {
        "pages": pages(rounds),
        "exports": exports(factor, repeat),
        # a city's 登记造册 takes minutes: two runs of each
        "build": build(factor, max(1, rounds // 15)),
    }


if __name__ == "__main__":
    worker(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "")
