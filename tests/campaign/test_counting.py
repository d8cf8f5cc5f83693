"""Cached list counts: exact, reused while nothing they read is written, renewed after a write."""

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from campaign import counting
from enterprises.models import Enterprise
from inspections.models import Problem
from tests.factories import EnterpriseFactory, region
from tests.inspections.factories import problem


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


def test_writes_inside_a_transaction_and_raw_writes(cast, django_capture_on_commit_callbacks):
    units = Enterprise.objects.all()
    before, _ = _count(units)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        EnterpriseFactory(county=region("410105"))
        assert _count(units) == (before + 1, 1)
    assert callbacks  # the version moves again at commit
    assert _count(units) == (before + 1, 1)
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
