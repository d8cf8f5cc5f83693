"""Real PostgreSQL, Redis and a real Celery worker (marker `service`: fails in CI if missing)."""

import datetime as dt

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from campaign import tasks
from campaign.models import AccessGrant
from campaign.services import grant_object_access
from config import celery_app
from tests.conftest import REQUIRE_SERVICES, need_service

pytestmark = pytest.mark.service


def test_database_is_postgresql_in_ci(db):
    need_service(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)")
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        assert "PostgreSQL" in cursor.fetchone()[0]


def test_cache_is_redis_in_ci():
    need_service(bool(settings.REDIS_URL), "Redis (REDIS_URL)")
    cache.set("yth-ci-probe", "好", timeout=10)
    assert cache.get("yth-ci-probe") == "好"


@pytest.mark.django_db(transaction=True)
def test_expiry_task_runs_on_a_real_worker(cast):
    need_service(bool(settings.REDIS_URL), "Redis broker for the Celery worker (REDIS_URL)")
    from celery.contrib.testing.worker import start_worker

    assert not celery_app.conf.task_always_eager, "with a broker, tasks must go through it"
    grant = grant_object_access(
        user=cast.expert,
        obj=cast.other_ent,
        granted_by=cast.province,
        ends_at=timezone.now() + dt.timedelta(hours=1),
        reason="异地核查",
    )
    AccessGrant.objects.filter(pk=grant.pk).update(ends_at=timezone.now() - dt.timedelta(minutes=1))
    assert cast.expert.has_perm("enterprises.view_enterprise", cast.other_ent)

    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        result = tasks.revoke_expired_grants.delay()
        assert result.get(timeout=60) == 1

    grant.refresh_from_db()
    assert grant.revoked_at is not None
    from campaign.models import User

    assert not User.objects.get(pk=cast.expert.pk).has_perm(
        "enterprises.view_enterprise", cast.other_ent
    )


def test_ci_requires_every_service():
    if REQUIRE_SERVICES:
        assert settings.REDIS_URL and connection.vendor == "postgresql"


@pytest.mark.django_db(transaction=True)
def test_an_export_job_and_an_import_job_run_on_a_real_worker(cast, settings):
    """Started as the page starts them (the message goes to Redis once the job is committed),
    run by a worker, followed through the job row, downloaded by their owner only."""
    need_service(bool(settings.REDIS_URL), "Redis broker for the Celery worker (REDIS_URL)")
    import io
    import time

    from celery.contrib.testing.worker import start_worker

    from campaign.models import Job
    from campaign.services.jobs import job_start
    from enterprises.models import Enterprise
    from tests.enterprises.test_import import CODE_A, good_rows
    from tests.xlsx import make_xlsx

    def finished(job):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.is_finished:
                return job
            time.sleep(0.2)
        raise AssertionError(f"job {job.pk} still {job.status}")

    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        export = finished(job_start(actor=cast.county, kind="enterprises.export", params={}))
        upload = io.BytesIO(make_xlsx(good_rows()))
        imported = finished(
            job_start(
                actor=cast.county,
                kind="enterprises.import",
                params={"list_kind": "key_units"},
                upload=upload,
                upload_name="名单.xlsx",
            )
        )
    assert export.status == "done" and (export.done, export.total) == (1, 1)
    assert export.result_file and export.heartbeat_at is not None
    assert imported.status == "done" and "新增 2 家" in imported.message
    from auditlog.models import LogEntry

    unit = Enterprise.objects.get(credit_code=CODE_A)
    # the history names the person who asked, not the worker
    assert LogEntry.objects.get_for_object(unit).get().actor == cast.county
    assert Job.objects.filter(status="running").count() == 0
