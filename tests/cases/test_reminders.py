"""The daily job on statutory clocks: reminders written once, clocks recomputed when the holidays
of a year are entered."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from campaign.models import HolidayYear
from campaign.services.calendar import holiday_year_save
from campaign.workdays import calendar_changed
from cases.apps import _recompute_deadlines
from cases.models import DeadlineReminder
from cases.services.case import case_step
from cases.tasks import deadlines_daily
from tests.cases import factories as f


def at(day: str):
    moment = dt.datetime.fromisoformat(day).replace(hour=7, tzinfo=ZoneInfo("Asia/Shanghai"))
    return time_machine.travel(moment, tick=False)


def test_the_daily_job_is_scheduled_every_morning():
    entry = settings.CELERY_BEAT_SCHEDULE["case-deadlines"]
    assert entry["task"] == deadlines_daily.name
    schedule = entry["schedule"]
    assert schedule.hour == {6} and schedule.minute == {30}


@pytest.mark.django_db
def test_reminders_are_written_once_per_clock_and_kind(client, cast):
    with at("2026-09-01"):
        case = f.case(cast, discovered_on=dt.date(2026, 8, 20))  # 立案 due 09-04 (Fri)
    with at("2026-09-02"):
        assert deadlines_daily() == {"moved": 0, "reminders": 1}
        assert deadlines_daily()["reminders"] == 0  # run twice the same day: nothing new
        reminder = DeadlineReminder.objects.get()
        assert (reminder.kind, reminder.written_on) == ("due_soon", dt.date(2026, 9, 2))
        client.force_login(cast.county)
        page = client.get(reverse("cases:deadlines")).content.decode()
        assert "今日提醒" in page and "即将到期" in page
        client.force_login(cast.other_county)
        assert "今日提醒" not in client.get(reverse("cases:deadlines")).content.decode()
    with at("2026-09-07"):
        assert deadlines_daily()["reminders"] == 1
        assert DeadlineReminder.objects.filter(kind="overdue").count() == 1
        case_step(actor=f.staff("js-head", head=True), case=case, to="investigating")
    with at("2026-09-08"):
        assert deadlines_daily()["reminders"] == 0  # the 立案 clock is done; 90 days remain


@pytest.mark.django_db
def test_entering_a_years_holidays_recomputes_the_open_clocks(
    cast, django_capture_on_commit_callbacks
):
    with at("2026-12-01"):
        case = f.case(cast, discovered_on=dt.date(2026, 12, 1))
        case_step(actor=f.staff("js-head", head=True), case=case, to="investigating")
        decision = case.deadlines.get(key="decision")
        # 90 days from 12-01 is Mon 2027-03-01, computed on weekends alone
        assert (decision.due_date, decision.unknown_years) == (dt.date(2027, 3, 1), [2027])
        admin = cast.admin
        admin.is_superuser = True
        admin.save()
        # a made-up arrangement for the test: 2027-03-01 and 02 declared holidays
        with django_capture_on_commit_callbacks():
            holiday_year_save(
                actor=admin,
                year=2027,
                source="测试用安排",
                holidays=[(dt.date(2027, 3, 1), "测试假日"), (dt.date(2027, 3, 2), "测试假日")],
                workdays=[],
            )
    # after commit the calendar's signal reaches the cases app, which queues the recomputation
    sync_receivers, _async = calendar_changed._live_receivers(HolidayYear)
    assert _recompute_deadlines in sync_receivers
    # the queued task is what the daily job also does: run it as the worker would
    with at("2026-12-02"):
        assert deadlines_daily()["moved"] == 1
    decision.refresh_from_db()
    assert decision.due_date == dt.date(2027, 3, 3)
    assert decision.unknown_years == []
    assert "录入 2027" in decision.calendar_version
