"""A province-wide export in the browser: the click lands on the job's page, which follows the job
until its file is ready; the job is found again under 我的任务. With Redis (CI) a real worker runs it."""

from __future__ import annotations

import contextlib

import pytest
from django.conf import settings as live_settings
from django.core.management import call_command
from playwright.sync_api import expect

from campaign.models import Job
from inspections.models import Problem
from tests.browser.test_first_hour import DESKTOP, Walk
from tests.xlsx import read_xlsx

pytestmark = [pytest.mark.browser, pytest.mark.service]


@pytest.mark.django_db(transaction=True)
def test_a_long_export_is_followed_on_its_page_and_downloaded(live_server, browser, settings):
    call_command("seed_demo", "--force", verbosity=0)
    settings.EXPORT_JOB_ROWS = 3  # the demo ledger is longer than this
    worker = contextlib.nullcontext()
    if live_settings.REDIS_URL:
        from celery.contrib.testing.worker import start_worker

        from config import celery_app

        worker = start_worker(celery_app, pool="solo", perform_ping_check=False)
    with worker:
        walk = Walk(browser, live_server.url, "province", DESKTOP)
        walk.menu("问题台账")
        walk.click("a:has-text('导出 Excel')")
        job = Job.objects.filter(created_by__username="province").latest("pk")
        assert walk.page.url.endswith(f"/jobs/{job.pk}/")
        assert "已转入后台导出" in walk.page.inner_text(".messages")
        download_link = walk.page.locator("[data-testid=job-download]")
        expect(download_link).to_be_visible(timeout=60000)  # the page reloads when it is done
        walk.check()
        with walk.page.expect_download() as download:
            download_link.click()
        rows = read_xlsx(open(download.value.path(), "rb").read())
        counted = Problem.objects.filter(primary__isnull=True, status__in=Problem.COUNTED).count()
        assert len(rows) - 1 == counted
        assert "已导出" in walk.page.inner_text("[data-testid=job-message]")
        walk.menu("我的任务")
        expect(walk.page.locator("[data-testid=job-table]")).to_contain_text("导出问题台账")
        walk.close()
