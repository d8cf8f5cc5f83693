"""The access policy, one branch at a time."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.utils import timezone

from campaign import access
from campaign.models import AccessGrant, User
from campaign.services import grant_object_access, revoke_expired_grants
from enterprises.models import Enterprise, EnterpriseImport
from tests.factories import EnterpriseFactory, UserFactory, region


def names(user) -> set[str]:
    return set(access.visible(user, Enterprise.objects.all()).values_list("name", flat=True))


@pytest.fixture
def third(cast):
    # a third unit in another county of 郑州 (二七区)
    return EnterpriseFactory(county=region("410103"), name="二七测试有限公司")


def test_province_and_admin_see_everything(cast, third):
    every = {"金水测试化工有限公司", "涧西测试化工有限公司", "二七测试有限公司"}
    assert names(cast.province) == every
    assert names(cast.admin) == every


def test_city_sees_its_counties_only(cast, third):
    assert names(cast.city) == {"金水测试化工有限公司", "二七测试有限公司"}
    assert names(cast.other_city) == {"涧西测试化工有限公司"}


def test_county_sees_its_own_county_only(cast, third):
    assert names(cast.county) == {"金水测试化工有限公司"}
    assert names(cast.other_county) == {"涧西测试化工有限公司"}


def test_enterprise_user_sees_only_linked_enterprises(cast, third):
    assert names(cast.enterprise_user) == {"金水测试化工有限公司"}
    assert names(cast.other_enterprise_user) == {"涧西测试化工有限公司"}


def test_expert_and_patrol_see_nothing_without_grants(cast):
    assert names(cast.expert) == set()
    assert names(cast.patrol) == set()


def test_anonymous_inactive_and_roleless_users_see_nothing(cast):
    assert names(AnonymousUser()) == set()
    cast.county.is_active = False
    cast.county.save()
    assert names(User.objects.get(pk=cast.county.pk)) == set()
    roleless = UserFactory(username="norole", role="")
    assert names(roleless) == set()


def test_city_role_without_region_fails_closed(db):
    broken = UserFactory(username="noregion", role=User.Role.CITY, region=None)
    EnterpriseFactory()
    assert names(broken) == set()


def test_superuser_sees_everything(cast):
    root = UserFactory(username="root", role=User.Role.EXPERT, is_superuser=True)
    assert len(names(root)) == 2


def test_grant_opens_one_enterprise_to_an_expert_until_it_expires(cast):
    grant = grant_object_access(
        user=cast.expert,
        obj=cast.other_ent,
        granted_by=cast.province,
        ends_at=timezone.now() + dt.timedelta(days=1),
        reason="异地核查",
    )
    expert = User.objects.get(pk=cast.expert.pk)  # fresh user: jurisdiction is cached per object
    assert names(expert) == {"涧西测试化工有限公司"}
    revoked = revoke_expired_grants(now=grant.ends_at + dt.timedelta(seconds=1))
    assert revoked == 1
    assert names(User.objects.get(pk=cast.expert.pk)) == set()
    assert AccessGrant.objects.get(pk=grant.pk).revoked_at is not None


def test_grant_adds_to_region_reach(cast):
    grant_object_access(
        user=cast.county,
        obj=cast.other_ent,
        granted_by=cast.province,
        ends_at=timezone.now() + dt.timedelta(days=1),
        reason="异地交叉核查",
    )
    assert names(User.objects.get(pk=cast.county.pk)) == {
        "金水测试化工有限公司",
        "涧西测试化工有限公司",
    }


def test_grant_needs_reason_and_future_end(cast):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        grant_object_access(
            user=cast.expert,
            obj=cast.ent,
            granted_by=cast.province,
            ends_at=timezone.now() - dt.timedelta(minutes=1),
            reason="x",
        )
    with pytest.raises(ValidationError):
        grant_object_access(
            user=cast.expert,
            obj=cast.ent,
            granted_by=cast.province,
            ends_at=timezone.now() + dt.timedelta(days=1),
            reason="  ",
        )


def test_owner_path_shows_own_rows_only(cast):
    mine = EnterpriseImport.objects.create(
        list_kind="key_units", original_name="a.xlsx", status="failed", created_by=cast.county
    )
    EnterpriseImport.objects.create(
        list_kind="key_units", original_name="b.xlsx", status="failed", created_by=cast.other_county
    )
    assert list(access.visible(cast.county, EnterpriseImport.objects.all())) == [mine]
    assert access.visible(cast.province, EnterpriseImport.objects.all()).count() == 2


def test_model_without_access_paths_is_refused(cast):
    from django.contrib.auth.models import Group
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        access.visible(cast.province, Group.objects.all())


def test_get_visible_or_404(cast):
    assert (
        access.get_visible_or_404(cast.county, Enterprise.objects.all(), pk=cast.ent.pk) == cast.ent
    )
    with pytest.raises(Http404):
        access.get_visible_or_404(cast.county, Enterprise.objects.all(), pk=cast.other_ent.pk)
    with pytest.raises(Http404):
        access.get_visible_or_404(cast.county, Enterprise.objects.all(), pk="not-a-number")


def test_may_change_needs_role_and_reach(cast):
    assert access.may(cast.county, "change", cast.ent)
    assert not access.may(cast.other_county, "change", cast.ent)
    assert access.may(cast.city, "change", cast.ent)
    assert not access.may(cast.enterprise_user, "change", cast.ent)  # sees it, may not change it
    assert not access.may(cast.patrol, "change", cast.ent)


def test_region_in_reach_checks_the_target(cast):
    jinshui, erqi, jianxi = region("410105"), region("410103"), region("410305")
    assert access.region_in_reach(cast.county, jinshui)
    assert not access.region_in_reach(cast.county, erqi)
    assert access.region_in_reach(cast.city, erqi)
    assert not access.region_in_reach(cast.city, jianxi)
    assert access.region_in_reach(cast.province, jianxi)
    assert not access.region_in_reach(cast.enterprise_user, jinshui)


def test_jurisdiction_is_computed_once_per_user_object(cast, django_assert_num_queries):
    user = User.objects.get(pk=cast.city.pk)
    access.jurisdiction(user)
    with django_assert_num_queries(0):
        access.jurisdiction(user)


def test_a_grant_counts_only_inside_its_window(cast):
    future = grant_object_access(
        user=cast.expert,
        obj=cast.other_ent,
        granted_by=cast.province,
        starts_at=timezone.now() + dt.timedelta(days=30),
        ends_at=timezone.now() + dt.timedelta(days=40),
        reason="下月异地核查",
    )
    assert names(User.objects.get(pk=cast.expert.pk)) == set()  # not yet
    AccessGrant.objects.filter(pk=future.pk).update(
        starts_at=timezone.now() - dt.timedelta(days=2),
        ends_at=timezone.now() - dt.timedelta(hours=5),
    )
    # expired five hours ago, the tidy-up job has not run: still closed
    assert names(User.objects.get(pk=cast.expert.pk)) == set()
    assert not access.may(User.objects.get(pk=cast.expert.pk), "view", cast.other_ent)


def test_grants_are_revoked_in_the_admin_never_deleted(client, cast):
    grant = grant_object_access(
        user=cast.expert,
        obj=cast.other_ent,
        granted_by=cast.province,
        ends_at=timezone.now() + dt.timedelta(days=1),
        reason="核查",
    )
    cast.admin.is_staff = cast.admin.is_superuser = True
    cast.admin.save()
    client.force_login(cast.admin)
    url = f"/admin/campaign/accessgrant/{grant.pk}/delete/"
    assert client.get(url).status_code == 403
    client.post(
        "/admin/campaign/accessgrant/", {"action": "revoke", "_selected_action": [grant.pk]}
    )
    assert AccessGrant.objects.get(pk=grant.pk).revoked_at is not None
    assert names(User.objects.get(pk=cast.expert.pk)) == set()


def test_moving_a_unit_in_the_admin_moves_its_city(client, cast):
    cast.admin.is_staff = cast.admin.is_superuser = True
    cast.admin.save()
    client.force_login(cast.admin)
    url = f"/admin/enterprises/enterprise/{cast.ent.pk}/change/"
    page = client.get(url)
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "users"}
    data.update({"county": region("410305").pk, "industry": cast.ent.industry_id})
    data = {k: ("on" if v is True else v) for k, v in data.items() if v is not False}
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    cast.ent.refresh_from_db()
    assert cast.ent.city.code == "4103"
    assert names(cast.other_city) == {"涧西测试化工有限公司", "金水测试化工有限公司"}
