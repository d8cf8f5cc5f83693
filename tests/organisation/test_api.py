"""The organisation API: scoped like the pages, region codes on every resource with a place."""

import datetime as dt

from django.urls import reverse
from rest_framework.test import APIClient

from campaign.models import Complaint, PoolMembership
from tests import org_factories


def api_for(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_calendar_api_lists_windows_with_city_codes(cast):
    org_factories.city_window(cast)
    body = api_for(cast.enterprise_user).get(reverse("campaign-list")).json()
    windows = body["results"][0]["windows"]
    assert {
        "stage": "inspection",
        "city_code": "4101",
        "starts_on": "2020-05-06",
        "ends_on": "2020-07-17",
    } in windows
    assert any(w["city_code"] is None for w in windows)


def test_pool_api_is_scoped_and_carries_region_codes(cast):
    PoolMembership.objects.create(
        campaign=org_factories.campaign(), pool="inspectors", user=cast.county, added_by=cast.admin
    )
    body = api_for(cast.province).get(reverse("pool-membership-list")).json()
    assert (
        body["results"][0]["county_code"] == "410105" and body["results"][0]["city_code"] == "4101"
    )
    assert api_for(cast.city).get(reverse("pool-membership-list")).json()["count"] == 0


def test_liaison_and_assignment_api(cast):
    org_factories.liaison_table(cast)
    body = api_for(cast.city).get(reverse("liaison-table-list")).json()
    assert (
        body["results"][0]["city_code"] == "4101"
        and body["results"][0]["people"][0]["name"] == "矩阵联络员"
    )
    assert api_for(cast.other_city).get(reverse("liaison-table-list")).json()["count"] == 0
    org_factories.commitment(cast)
    body = api_for(cast.patrol).get(reverse("assignment-list")).json()
    assert (
        body["results"][0]["city_code"] == "4103" and body["results"][0]["commitment_version"] == 1
    )


def test_complaints_api_is_for_the_patrol_only(cast):
    Complaint.objects.create(
        tracking_code="APITESTCODE2",
        accused="某人",
        place="某地",
        happened_on=dt.date(2020, 6, 1),
        description="内容",
        reporter_contact="13800000000",
    )
    body = api_for(cast.patrol).get(reverse("complaint-list")).json()
    assert body["results"][0]["reporter_contact"] == "13800000000"
    for user in (cast.province, cast.admin, cast.city):
        assert api_for(user).get(reverse("complaint-list")).status_code == 403
