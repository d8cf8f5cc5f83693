"""The campaign calendar: windows, a city's own window, late marking, the edit pages."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from campaign.models import Region, StageWindow
from campaign.selectors import calendar
from campaign.services import calendar as services
from tests import org_factories

S = StageWindow.Stage


@pytest.fixture
def campaign(cast):
    c = org_factories.campaign()
    StageWindow.objects.filter(campaign=c, stage=S.INSPECTION).update(
        starts_on=dt.date(2020, 4, 20), ends_on=dt.date(2020, 6, 15)
    )
    return c


def city(code):
    return Region.objects.get(level="city", code=code)


def test_a_city_window_applies_to_that_city_only(cast, campaign):
    services.city_window_set(
        actor=cast.city,
        campaign=campaign,
        city=city("4101"),
        stage=S.INSPECTION,
        starts_on=dt.date(2020, 5, 6),
        ends_on=dt.date(2020, 6, 30),
    )
    zz = calendar.window_for(campaign, S.INSPECTION, city_id=city("4101").pk)
    ly = calendar.window_for(campaign, S.INSPECTION, city_id=city("4103").pk)
    assert (zz.starts_on, zz.ends_on) == (dt.date(2020, 5, 6), dt.date(2020, 6, 30))
    assert ly.ends_on == dt.date(2020, 6, 15) and ly.city_id is None


def test_late_is_judged_against_the_users_own_window(cast, campaign):
    services.city_window_set(
        actor=cast.city,
        campaign=campaign,
        city=city("4101"),
        stage=S.INSPECTION,
        starts_on=dt.date(2020, 5, 6),
        ends_on=dt.date(2020, 6, 30),
    )
    at = timezone.make_aware(dt.datetime(2020, 6, 20, 12, 0))
    assert not calendar.is_late(campaign, S.INSPECTION, at=at, city_id=city("4101").pk)
    assert calendar.is_late(campaign, S.INSPECTION, at=at, city_id=city("4103").pk)
    # the day is the Asia/Shanghai day: 23:30 on the last day is still in time
    last_evening = timezone.make_aware(dt.datetime(2020, 6, 15, 23, 30))
    assert not calendar.is_late(campaign, S.INSPECTION, at=last_evening, city_id=city("4103").pk)


def test_a_city_cannot_shift_another_citys_window(cast, campaign):
    with pytest.raises(PermissionDenied):
        services.city_window_set(
            actor=cast.city,
            campaign=campaign,
            city=city("4103"),
            stage=S.INSPECTION,
            starts_on=dt.date(2020, 5, 6),
            ends_on=dt.date(2020, 6, 30),
        )
    with pytest.raises(PermissionDenied):
        services.city_window_set(
            actor=cast.county,
            campaign=campaign,
            city=city("4101"),
            stage=S.INSPECTION,
            starts_on=dt.date(2020, 5, 6),
            ends_on=dt.date(2020, 6, 30),
        )


def test_home_shows_the_users_stage_with_days_left(client, cast, campaign):
    today = timezone.localdate()
    StageWindow.objects.filter(campaign=campaign, stage=S.SELF_CHECK).update(
        starts_on=today - dt.timedelta(days=3), ends_on=today + dt.timedelta(days=7)
    )
    client.force_login(cast.enterprise_user)
    page = client.get(reverse("home")).content.decode()
    assert "企业自查" in page and "剩余 <b>7</b> 天" in page


def test_calendar_edit_saves_windows_and_rejects_reversed_dates(client, cast, campaign):
    client.force_login(cast.admin)
    data = {
        "name": campaign.name,
        "is_current": "on",
        "liaison_deadline": "2020-04-15T23:59",
        "weekly_report_weekday": "4",
        "weekly_report_time": "17:30",
        "complaint_phone": "0371-66309206",
        "complaint_email": "",
    }
    for stage, _ in S.choices:
        data[f"{stage}_start"], data[f"{stage}_end"] = "2020-04-01", "2020-05-31"
    data["inspection_end"] = "2020-03-01"
    response = client.post(reverse("campaign:calendar-edit"), data)
    assert response.status_code == 400 and "结束日期不能早于开始日期" in response.content.decode()
    assert 'value="2020-03-01"' in response.content.decode()  # what was typed is kept
    data["inspection_end"] = "2020-06-20"
    assert client.post(reverse("campaign:calendar-edit"), data).status_code == 302
    assert calendar.window_for(campaign, S.INSPECTION).ends_on == dt.date(2020, 6, 20)


def test_city_window_page_flow_and_confirmed_delete(client, cast, campaign):
    client.force_login(cast.city)
    response = client.post(
        reverse("campaign:city-window-set"),
        {
            "city": city("4101").pk,
            "stage": S.INSPECTION,
            "starts_on": "2020-05-06",
            "ends_on": "2020-06-30",
        },
    )
    assert response.status_code == 302
    window = StageWindow.objects.get(city__code="4101")
    page = client.get(reverse("campaign:calendar")).content.decode()
    assert "本市调整" in page and "2020-06-30" in page
    # deleting asks for confirmation first
    response = client.post(reverse("campaign:city-window-delete", args=[window.pk]))
    assert response.status_code == 400 and StageWindow.objects.filter(pk=window.pk).exists()
    client.post(reverse("campaign:city-window-delete", args=[window.pk]), {"confirm": "yes"})
    assert not StageWindow.objects.filter(pk=window.pk).exists()


def test_admin_sets_up_the_next_year_from_the_browser(client, cast, campaign):
    from campaign.models import Campaign, IntegrityDocument, RosterGroup, RosterMember

    group = RosterGroup.objects.create(
        campaign=campaign, kind="working_group", name="巡查组", duties="巡查"
    )
    RosterMember.objects.create(group=group, name="高群", position="head")
    IntegrityDocument.objects.create(
        campaign=campaign,
        kind="commitment",
        version=2,
        title="承诺书",
        body="2020 年度承诺",
        published_by=cast.admin,
    )
    client.force_login(cast.admin)
    response = client.post(reverse("campaign:campaign-create"), {"year": "2020", "name": "重复"})
    assert response.status_code == 400 and "2020 年度已存在" in response.content.decode()
    response = client.post(
        reverse("campaign:campaign-create"), {"year": "2021", "name": "2021 年度行动"}
    )
    assert response.status_code == 302
    new = Campaign.objects.get(year=2021)
    assert new.is_current and not Campaign.objects.get(year=2020).is_current
    assert calendar.window_for(new, S.INSPECTION).ends_on == dt.date(2021, 6, 15)
    assert new.liaison_deadline.year == 2021
    assert list(
        RosterMember.objects.filter(group__campaign=new).values_list("name", flat=True)
    ) == ["高群"]
    doc = IntegrityDocument.objects.get(campaign=new)
    assert doc.version == 1 and doc.body == "2021 年度承诺"
    # the roster page can add a body of the new year
    response = client.post(
        reverse("campaign:roster-group-add"), {"kind": "working_group", "name": "宣传组"}
    )
    assert (
        response.status_code == 302
        and RosterGroup.objects.filter(campaign=new, name="宣传组").exists()
    )
    response = client.post(
        reverse("campaign:roster-group-add"), {"kind": "working_group", "name": "宣传组"}
    )
    assert response.status_code == 400 and "已有“宣传组”" in response.content.decode()
