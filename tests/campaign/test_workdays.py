"""The working calendar every statutory clock runs on: weekends, statutory holidays and 调休 from
chinesecalendar; a year it lacks entered by an administrator, or counted on weekends with a warning."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse

from campaign import workdays
from campaign.models import HolidayDate, HolidayYear

D = dt.date


@pytest.mark.django_db  # the calendar reads the years administrators entered (none here)
def test_working_days_skip_holidays_and_count_the_worked_weekends():
    calendar = workdays.WorkingCalendar()
    # 告知 served on Friday 2020-09-25: Sunday 09-27 was a 调休 working day
    assert calendar.add_working_days(D(2020, 9, 25), 3) == workdays.Due(D(2020, 9, 29))
    # five working days run over the National Day holiday (10-01…10-08)
    assert calendar.add_working_days(D(2020, 9, 25), 5).date == D(2020, 10, 9)
    # 立案 2020-07-03 + 90 days falls on 10-01, a holiday: the period runs to 10-09
    assert calendar.add_days(D(2020, 7, 3), 90).date == D(2020, 10, 9)
    # a period in months ends on the corresponding day, or the month's last
    assert calendar.add_days(D(2021, 1, 29), months=1).date == D(2021, 3, 1)  # 02-28 is a Sunday
    assert calendar.add_days(D(2020, 3, 31), months=3).date == D(2020, 6, 30)


@pytest.mark.django_db
def test_paused_time_does_not_run():
    calendar = workdays.WorkingCalendar()
    pause = [(D(2020, 6, 8), D(2020, 6, 12))]  # 中止 for one working week
    assert calendar.add_working_days(D(2020, 6, 5), 3).date == D(2020, 6, 10)
    assert calendar.add_working_days(D(2020, 6, 5), 3, paused=pause).date == D(2020, 6, 17)
    assert calendar.add_days(D(2020, 6, 1), 10).date == D(2020, 6, 11)
    assert calendar.add_days(D(2020, 6, 1), 10, paused=pause).date == D(2020, 6, 16)


@pytest.mark.django_db
def test_a_year_the_package_lacks_is_counted_on_weekends_with_a_warning_until_entered(cast):
    from campaign.services.calendar import holiday_year_save

    assert 2027 not in workdays.package_years()  # when the package learns 2027, move this test on
    due = workdays.WorkingCalendar().add_working_days(D(2026, 12, 30), 3)
    # weekends and the fixed-date 元旦 (01-01) are known without data: 12-31, 01-04, 01-05
    assert due == workdays.Due(D(2027, 1, 5), (2027,)) and not due.certain
    assert "2027 年" in due.warning
    holiday_year_save(
        actor=cast.admin,
        year=2027,
        source="测试用安排",
        holidays=[(D(2027, 1, 1), "元旦"), (D(2027, 1, 4), "测试假日")],
        workdays=[(D(2027, 1, 9), "测试调休")],
    )
    due = workdays.WorkingCalendar().add_working_days(D(2026, 12, 30), 3)
    # 01-01 and 01-04 are holidays now: the third working day is Wednesday 01-06
    assert due == workdays.Due(D(2027, 1, 6)) and due.certain
    calendar = workdays.WorkingCalendar()
    assert calendar.is_working_day(D(2027, 1, 9)) and not calendar.is_working_day(D(2027, 1, 4))


@pytest.mark.django_db
def test_the_administrator_enters_a_year_in_the_browser_form_and_the_check_says_what_is_missing(
    client, cast, settings
):
    import time_machine
    from django.utils import timezone

    url = reverse("campaign:holidays-save")
    with time_machine.travel(timezone.make_aware(dt.datetime(2026, 12, 3, 10))):
        client.force_login(cast.county)
        page = client.get(reverse("campaign:holidays")).content.decode()
        assert "尚无 2027 年的法定节假日和调休安排" in page and "请联系系统管理员录入" in page
        assert client.post(url, {"year": 2027}).status_code == 403
        from django.core.checks import run_checks

        warnings = run_checks(tags=["calendar"], databases=["default"])
        assert [w.id for w in warnings] == ["campaign.W001"] and "2027" in warnings[0].msg
        assert run_checks(tags=["calendar"]) == []  # without the database it stays silent

        client.force_login(cast.admin)
        form_page = client.get(reverse("campaign:holidays")).content.decode()
        assert 'name="year" value="2027"' in form_page  # the form starts at the missing year
        bad = client.post(
            url,
            {
                "year": 2027,
                "source": "国办发明电〔2026〕X号",
                "holidays": "2027-01-01 元旦\n2027-02-06 至 2027-02-13 春节\n2027-13-01",
                "workdays": "2027-02-20",
            },
        )
        text = bad.content.decode()
        assert bad.status_code == 400 and "放假日期第 3 行“2027-13-01”看不懂" in text
        assert "2027-02-06 至 2027-02-13 春节" in text  # what was typed is kept
        assert not HolidayYear.objects.exists()
        weekday = client.post(
            url,
            {"year": 2027, "source": "通知", "holidays": "2027-01-01", "workdays": "2027-02-22"},
        )
        assert "调休上班日应为周六或周日" in weekday.content.decode()
        known = client.post(url, {"year": 2026, "source": "通知", "holidays": "2026-01-01"})
        assert "系统内置数据提供" in known.content.decode()
        good = client.post(
            url,
            {
                "year": 2027,
                "source": "国办发明电〔2026〕X号",
                "holidays": "2027-01-01 元旦\n2027-02-06 至 2027-02-13 春节",
                "workdays": "2027-02-20 春节",
            },
        )
        assert good.status_code == 302
        assert HolidayDate.objects.filter(kind="holiday").count() == 9
        assert HolidayDate.objects.get(kind="workday").date == D(2027, 2, 20)
        assert run_checks(tags=["calendar"], databases=["default"]) == []
        page = client.get(reverse("campaign:holidays")).content.decode()
        assert "尚无" not in page and "国办发明电〔2026〕X号" in page
    call_command("check")  # and the project's own checks still pass


@pytest.mark.django_db
def test_the_administrators_home_says_which_year_is_missing(client, cast):
    import time_machine
    from django.utils import timezone

    with time_machine.travel(timezone.make_aware(dt.datetime(2026, 12, 3, 10))):
        client.force_login(cast.admin)
        page = client.get(reverse("home")).content.decode()
        assert "尚无 2027 年的法定节假日和调休安排" in page
        assert reverse("campaign:holidays") in page
        client.force_login(cast.county)  # nothing for those who cannot enter it
        assert "法定节假日" not in client.get(reverse("home")).content.decode()
    with time_machine.travel(timezone.make_aware(dt.datetime(2026, 6, 3, 10))):
        client.force_login(cast.admin)  # in June nobody needs next year yet
        assert "尚无" not in client.get(reverse("home")).content.decode()


def test_a_notice_reaching_into_the_year_before_is_entered_and_repeats_are_named(client, cast):
    from campaign.forms import HolidayYearForm

    form = HolidayYearForm(
        {
            "year": 2027,
            "source": "通知",
            "holidays": "2026-12-31 至 2027-01-01 元旦\n2027-01-01",
            "workdays": "",
        }
    )
    assert not form.is_valid() and "2027-01-01 出现了两次" in str(form.errors)
    form = HolidayYearForm(
        {"year": 2027, "source": "通知", "holidays": "2026-12-31 至 2027-01-01 元旦"}
    )
    assert form.is_valid(), form.errors
    from campaign.services.calendar import holiday_year_save

    data = form.cleaned_data
    holiday_year_save(
        actor=cast.admin,
        year=data["year"],
        source=data["source"],
        holidays=data["holidays"],
        workdays=data["workdays"],
    )
    calendar = workdays.WorkingCalendar()
    # the notice's own 2026 date wins over the package (which knew nothing of it)
    assert not calendar.is_working_day(D(2026, 12, 31))
