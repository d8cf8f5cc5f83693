"""Recomputing every open clock after a calendar update, against a bare loop over the same rows.

The figure is `cases.services.reminders.deadlines_recompute_stale()`: what the `calendar_changed`
signal queues when an administrator enters a year's holidays, and what the daily job runs first.
Before each round one UPDATE makes every open clock stale (another calendar version), so both
sides recompute all of them. The floor reads the same rows (open clocks of cases not finished,
computed on another version) and their cases' pauses in two queries, computes the same due dates
on one `WorkingCalendar`, and writes them back with one UPDATE in one transaction. The first
round of each is not timed: it checks that both write the same dates.
"""

from __future__ import annotations

import datetime as dt
import json
import time

from benchmarks.timing import Sample

GOAL = 3.0  # × the bare loop (a background job, as the import)
STALE = "benchmark: stale"
ONE_DAY = dt.timedelta(days=1)


def _stale() -> int:
    """Every open clock of a case not finished on another calendar version: one UPDATE."""
    from django.db import connection

    from cases.models import Case

    with connection.cursor() as cursor:
        cursor.execute(
            'UPDATE "cases_deadline" SET calendar_version = %s WHERE done_on IS NULL '
            "AND case_id IN (SELECT id FROM cases_case WHERE status <> ALL(%s))",
            [STALE, [str(status) for status in Case.FINISHED]],
        )
        return cursor.rowcount


def _bare() -> int:
    """The same due dates for the same rows with the least code: returns how many."""
    from django.db import connection, transaction
    from django.utils import timezone

    from campaign.workdays import Due, WorkingCalendar
    from cases import rules
    from cases.models import Case

    calendar = WorkingCalendar()
    version, today = calendar.version, timezone.localdate()
    finished = [str(status) for status in Case.FINISHED]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT d.id, d.case_id, d.key, d.start_date, d.extension, c.rules "
            "FROM cases_deadline d JOIN cases_case c ON c.id = d.case_id "
            "WHERE d.done_on IS NULL AND c.status <> ALL(%s) AND d.calendar_version <> %s",
            [finished, version],
        )
        rows = cursor.fetchall()
        cursor.execute(
            "SELECT p.case_id, p.started_on, p.ended_on FROM cases_casepause p "
            "WHERE p.case_id IN (SELECT d.case_id FROM cases_deadline d "
            "WHERE d.done_on IS NULL AND d.pausable AND d.calendar_version <> %s)",
            [version],
        )
        pauses: dict[int, list] = {}
        for case_id, started, ended in cursor.fetchall():
            # CasePause.days(): up to the day before it ended, or up to today while it lasts
            pauses.setdefault(case_id, []).append((started, ended - ONE_DAY if ended else today))
    now, values = timezone.now(), []
    for pk, case_id, key, start, extension, rule_key in rows:
        clock = rules.BY_KEY[rule_key].clock(key)  # the scale data hold the steps' clocks only
        paused = pauses.get(case_id, []) if clock.pausable else []
        length = clock.length + extension
        if clock.unit == rules.Unit.WORKING_DAYS:
            due = calendar.add_working_days(start, length, paused=paused)
        elif clock.unit == rules.Unit.MONTHS:
            due = calendar.add_days(start, months=length, paused=paused)
        elif clock.unit == rules.Unit.HOURS:
            due = Due(start + dt.timedelta(days=-(-length // 24)))
        else:
            due = calendar.add_days(start, length, paused=paused)
        values.append((pk, due.date, json.dumps(list(due.unknown_years)), version, now))
    if not values:
        return 0
    with transaction.atomic(), connection.cursor() as cursor:
        row = "(%s, %s::date, %s::jsonb, %s, %s::timestamptz)"
        body = b",".join(cursor.cursor.mogrify(row, value) for value in values).decode()
        # through Django's cursor: the count cache sees the write, as it sees the service's
        cursor.execute(
            'UPDATE "cases_deadline" SET due_date = v.due, unknown_years = v.unknown, '
            "calendar_version = v.version, computed_at = v.at "
            f'FROM (VALUES {body}) AS v (id, due, unknown, version, at) WHERE "cases_deadline".id = v.id'
        )
    return len(values)


def _dates() -> list[tuple]:
    from cases.models import Deadline

    return list(
        Deadline.objects.filter(done_on__isnull=True)
        .order_by("pk")
        .values_list("pk", "due_date", "unknown_years", "calendar_version")
    )


def _queries(fn) -> int:
    """How many statements `fn` sends (counted, not logged: the service sends tens of thousands)."""
    from django.db import connection

    sent = 0

    def count(execute, sql, params, many, context):
        nonlocal sent
        sent += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        fn()
    return sent


def run(rounds: int) -> list[dict]:
    from cases.services.reminders import deadlines_recompute_stale

    sides = {"service": deadlines_recompute_stale, "floor": _bare}
    # the untimed first round: the same rows, the same dates, and the statements each one takes
    rows = _stale()
    service_queries = _queries(deadlines_recompute_stale)
    by_service = _dates()
    _stale()
    floor_queries = _queries(_bare)
    assert _dates() == by_service, "the bare loop and the service computed different dates"
    assert STALE not in {row[3] for row in by_service}, "the service left stale clocks"
    times: dict[str, list[float]] = {name: [] for name in sides}
    for _ in range(rounds):
        for name, fn in sides.items():
            _stale()
            started = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - started)
    service, floor = Sample(times["service"]), Sample(times["floor"])
    ratio = service.median / floor.median
    print(
        f"  重算 {rows} 项未完成期限：{service.median:.2f} s（p95 {service.p95:.2f}），"
        f"裸循环 {floor.median:.2f} s → {ratio:.1f}×；SQL {service_queries} / {floor_queries} 条",
        flush=True,
    )
    return [
        {
            "name": "节假日数据更新后重算全部未完成期限（`deadlines_recompute_stale`）",
            "rows": rows,
            "rounds": rounds,
            "seconds": service.median,
            "p95_seconds": service.p95,
            "floor_seconds": floor.median,
            "ratio": ratio,
            "queries": service_queries,
            "floor_queries": floor_queries,
            "ok": ratio <= GOAL,
        }
    ]
