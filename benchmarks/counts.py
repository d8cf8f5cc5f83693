"""Coverage and count views for the whole province, against the bare SQL GROUP BY of the same figures."""

from __future__ import annotations

from benchmarks.timing import interleaved, ms

GOAL = 1.5

# the same figures as inspections.selectors.selfcheck.coverage(by="county"), computed by hand
COVERAGE_SQL = [
    """SELECT county_id, COUNT(*) FILTER (WHERE is_key_unit), COUNT(*) FILTER (WHERE NOT is_key_unit)
       FROM enterprises_enterprise GROUP BY county_id""",
    """SELECT e.county_id, s.status, COUNT(*), COUNT(*) FILTER (WHERE s.is_late)
       FROM inspections_selfcheck s JOIN enterprises_enterprise e ON e.id = s.enterprise_id
       WHERE s.campaign_id = %(campaign)s GROUP BY e.county_id, s.status""",
]
# the same figures as inspections.selectors.ledger.problem_counts(by="county")
PROBLEM_SQL = [
    """SELECT p.county_id, i.area, p.status, COUNT(*), COUNT(*) FILTER (WHERE p.self_found)
       FROM inspections_problem p JOIN inspections_checkitem i ON i.id = p.item_id
       WHERE p.campaign_id = %(campaign)s AND p.primary_id IS NULL
         AND p.status IN ('open', 'handling', 'rectifying', 'verifying', 'closed')
       GROUP BY p.county_id, i.area, p.status""",
]


def _bare(statements, campaign_id):
    from django.db import connection

    def run():
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql, {"campaign": campaign_id})
                cursor.fetchall()

    return run


def run(rounds: int) -> list[dict]:
    from django.test import Client

    from campaign.models import Campaign, User
    from inspections.selectors import ledger, selfcheck

    province = User.objects.get(username="scale-province")
    campaign = Campaign.objects.get(is_current=True)
    client = Client()
    client.force_login(province)

    def page(url):
        def get():
            response = client.get(url)
            assert response.status_code == 200, url

        return get

    cases = [
        (
            "自查覆盖情况（按县）— 查询",
            lambda: selfcheck.coverage(user=province, campaign=campaign),
            COVERAGE_SQL,
        ),
        ("自查覆盖情况（按县）— 页面", page("/self-checks/coverage/"), COVERAGE_SQL),
        (
            "问题统计（按县×五个方面）— 查询",
            lambda: ledger.problem_counts(user=province, campaign=campaign),
            PROBLEM_SQL,
        ),
        ("问题统计（按县×五个方面）— 页面", page("/problems/counts/"), PROBLEM_SQL),
    ]
    results = []
    for name, view, statements in cases:
        samples = interleaved(
            {"floor": _bare(statements, campaign.pk), "view": view}, rounds, warmup=2
        )
        floor, target = samples["floor"], samples["view"]
        ratio = target.median / floor.median
        results.append(
            {
                "name": name,
                "median_ms": ms(target.median),
                "p95_ms": ms(target.p95),
                "floor_median_ms": ms(floor.median),
                "ratio": ratio,
                "ok": ratio <= GOAL,
            }
        )
        print(f"  {name}: {ms(target.median)} ms, GROUP BY {ms(floor.median)} ms → {ratio:.2f}×")
    return results
