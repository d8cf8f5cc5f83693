"""Cached list counts: exact, reused while nothing they read is written, renewed after a write."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from campaign import counting
from enterprises.models import Enterprise
from inspections.models import Problem
from tests.factories import EnterpriseFactory, region
from tests.inspections.factories import problem

# counts are never cached inside a transaction, so these tests run outside one, as requests do
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _count_cache_on(settings):
    settings.COUNT_CACHE = True  # as in production with Redis (the suite's cache is in memory)


def _count(queryset):
    with CaptureQueriesContext(connection) as queries:
        n = counting.count(queryset)
    return n, len(queries)


def test_a_count_is_reused_until_its_table_is_written(cast):
    units = Enterprise.objects.filter(county__code="410105")
    assert _count(units) == (1, 1)
    assert _count(units) == (1, 0)  # from the cache
    EnterpriseFactory(county=region("410105"))
    assert _count(units) == (2, 1)
    Enterprise.objects.filter(county__code="410105").update(name="改名")  # bulk writes too
    assert _count(units) == (2, 1)
    # another query over the same table has its own entry
    assert _count(Enterprise.objects.all())[0] == Enterprise.objects.count()


def test_a_write_to_a_joined_table_renews_the_count(cast):
    problem(cast)
    in_jinshui = Problem.objects.filter(enterprise__county__code="410105")
    assert _count(in_jinshui) == (1, 1)
    assert _count(in_jinshui) == (1, 0)
    # the unit moves to another county: no problem row is written, the count still changes
    Enterprise.objects.filter(pk=cast.ent.pk).update(county=region("410305"))
    assert _count(in_jinshui) == (0, 1)


def test_writes_inside_a_transaction_and_raw_writes(cast):
    from django.core.cache import cache

    units = Enterprise.objects.all()
    before, _ = _count(units)
    key = "count:v:enterprises_enterprise"
    version = cache.get(key, 0)
    with transaction.atomic():
        EnterpriseFactory(county=region("410105"))
        EnterpriseFactory(county=region("410105"))
        # other processes see nothing before the commit: the version stays
        assert cache.get(key, 0) == version
        # inside the writing transaction nothing is cached: it sees its own uncommitted rows
        assert _count(units) == (before + 2, 1)
        assert _count(units) == (before + 2, 1)
    assert cache.get(key) == version + 1  # once at commit, however many rows were written
    assert _count(units) == (before + 2, 1)
    assert _count(units) == (before + 2, 0)
    # a savepoint rolled back takes its pending bump with it; a later write registers its own
    with transaction.atomic():
        try:
            with transaction.atomic():
                EnterpriseFactory(county=region("410105"))
                raise RuntimeError
        except RuntimeError:
            pass
        EnterpriseFactory(county=region("410105"))
    assert cache.get(key) == version + 2
    assert _count(units) == (before + 3, 1)
    with connection.cursor() as cursor:  # a write the wrapper cannot see, announced by hand
        cursor.cursor.execute("DELETE FROM enterprises_enterprise_users")
    counting.forget_all()
    assert _count(units)[1] == 1


def test_pages_show_the_right_count_after_a_write(client, cast):
    client.force_login(cast.county)
    first = client.get("/enterprises/").context["page"].paginator.count
    EnterpriseFactory(county=region("410105"))
    assert client.get("/enterprises/").context["page"].paginator.count == first + 1
    api = client.get("/api/v1/enterprises/").json()
    assert api["count"] == first + 1


def test_linking_users_renews_an_enterprise_users_count(cast):
    """SQLite links many-to-many rows with INSERT OR IGNORE: that is a write too."""
    mine = Enterprise.objects.filter(users=cast.enterprise_user)
    assert _count(mine) == (1, 1)
    assert _count(mine) == (1, 0)
    EnterpriseFactory(county=region("410105")).users.add(cast.enterprise_user)
    assert _count(mine) == (2, 1)


def test_without_a_shared_cache_every_count_is_computed(cast, settings):
    settings.COUNT_CACHE = False
    units = Enterprise.objects.all()
    assert _count(units)[1] == 1
    assert _count(units)[1] == 1


@pytest.mark.django_db(transaction=True)
def test_an_empty_scope_reads_nothing_and_logs_nothing(caplog, settings):
    # outside a transaction, with the shared cache on: the path production takes
    from campaign import counting
    from enterprises.models import Enterprise

    settings.COUNT_CACHE = True
    with caplog.at_level("WARNING", logger="campaign.counting"):
        assert counting.rows(Enterprise.objects.none().values("county")) == []
    assert not caplog.records
