"""The same-rows floors of the page benchmark (benchmarks/floors.py) show what their lists show.

For each list and each benchmark user, on a small generated scale database: the same rows in the
same order with the same total; pages render the same HTML (less the panels the floor leaves out),
API lists the same JSON.
"""

import re

import pytest
from django.db.models import Count

from benchmarks.floors import FLOORS, floor_url
from campaign.models import User
from demo import scale
from inspections.models import Inspection

FACTOR = 0.002  # 260 units, 10 key units, 100 inspections (as tests/demo/test_scale.py)
USERS = ["scale-province", "scale-city-4101", "scale-county-410105-1"]

# what the floors leave out on purpose: the per-county progress table, the stage window, 到期提醒's
# reminders of today, and the CSRF token of the logout form (masked afresh on every page)
LEFT_OUT = [
    re.compile(r'\n<section class="card"><h2>重点排污单位检查进度</h2>.*?</section>\n', re.S),
    re.compile(r'<p class="muted">自查阶段：.*?</p>', re.S),
    re.compile(r'<section class="card" data-testid="reminders">.*?</section>', re.S),
    re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*'),
]


def _comparable(html: str) -> str:
    for pattern in LEFT_OUT:
        html = pattern.sub(lambda m: m.group(1) if m.groups() else "", html)
    return html


def _key(row: dict):
    """A row of an API list: its id, or a case's clock by case and key (clocks show no id)."""
    return row["id"] if "id" in row else (row["case"], row["key"])


@pytest.fixture
def generated(reference_data, settings):
    settings.ROOT_URLCONF = "benchmarks.urls"
    return scale.generate(factor=FACTOR, seed=11)


def _users():
    users = list(User.objects.filter(username__in=USERS))
    assert len(users) == len(USERS)
    # and a county with the most inspections, so the county's lists are not all empty
    busiest = (
        Inspection.objects.values_list("county__code", flat=True)
        .order_by()
        .annotate(n=Count("pk"))
        .order_by("-n", "county__code")
        .first()
    )
    users.append(User.objects.get(username=f"scale-county-{busiest}-1"))
    return users


@pytest.mark.parametrize("name", list(FLOORS))
def test_floor_shows_the_rows_of_its_list(client, generated, name):
    _view, url = FLOORS[name]
    nonempty = 0
    for user in _users():
        client.force_login(user)
        real = client.get(url)
        floor = client.get(floor_url(name))
        assert real.status_code == floor.status_code == 200, (user.username, name)
        if name.endswith("-api"):
            mine, theirs = floor.json(), real.json()
            assert [_key(r) for r in mine["results"]] == [_key(r) for r in theirs["results"]]
            assert mine["count"] == theirs["count"]
            assert mine == theirs, user.username  # every field, as the serializer writes it
            nonempty += bool(theirs["results"])
        else:
            page, rows = real.context["page"], floor.context["page"]
            assert [row["pk"] for row in rows] == [obj.pk for obj in page], user.username
            assert rows.paginator.count == page.paginator.count
            assert rows.paginator.num_pages == page.paginator.num_pages
            text, floor_text = real.content.decode(), floor.content.decode()
            assert _comparable(floor_text) == _comparable(text), user.username
            nonempty += bool(page.object_list)
        client.logout()
    assert nonempty >= 2  # the comparison saw rows, not only empty lists
