"""Roster, pools (from a person's page and from Excel), audit of changes."""

import io

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse

from campaign.models import PoolImport, PoolMembership, RosterGroup, RosterMember
from campaign.services import organisation as services
from tests import org_factories
from tests.factories import UserFactory
from tests.xlsx import make_xlsx, read_xlsx, response_bytes

Pool = PoolMembership.Pool
POOL_HEADERS = ["用户名", "执法证号", "姓名", "是否主办人"]


def test_roster_member_add_refuses_a_second_leader(cast):
    group = RosterGroup.objects.create(
        campaign=org_factories.campaign(), kind="leadership", name="领导小组"
    )
    services.roster_member_add(
        actor=cast.admin, group=group, values={"name": "王仲田", "position": "leader"}
    )
    with pytest.raises(ValidationError, match="已有组长"):
        services.roster_member_add(
            actor=cast.admin, group=group, values={"name": "某某", "position": "leader"}
        )
    services.roster_member_add(
        actor=cast.admin, group=group, values={"name": "王喜云", "position": "deputy"}
    )
    assert list(group.members.values_list("name", flat=True)) == ["王仲田", "王喜云"]


def test_roster_page_and_export_for_province(client, cast):
    group = RosterGroup.objects.create(
        campaign=org_factories.campaign(),
        kind="working_group",
        name="巡查组",
        duties="对专项行动期间廉洁纪律遵守情况实施巡查监督。",
    )
    RosterMember.objects.create(group=group, name="高群", position="head")
    client.force_login(cast.province)
    page = client.get(reverse("campaign:roster")).content.decode()
    assert "巡查组" in page and "负责人" in page and "高群" in page and "添加成员" not in page
    rows = read_xlsx(response_bytes(client.get(reverse("campaign:roster-export"))))
    assert rows[1][:4] == ("巡查组", "工作组", "负责人", "高群")


def test_admin_adds_an_inspector_from_the_person_page_and_it_is_audited(client, cast):
    client.force_login(cast.admin)
    response = client.post(
        reverse("campaign:person-pool-add", args=[cast.county.pk]),
        {"pool": Pool.INSPECTORS, "lead_qualified": "on"},
    )
    assert response.status_code == 302
    membership = PoolMembership.objects.get(user=cast.county)
    assert membership.lead_qualified and membership.added_by == cast.admin
    assert LogEntry.objects.get_for_object(membership).get().actor == cast.admin
    # again: a clear message, nothing doubled
    response = client.post(
        reverse("campaign:person-pool-add", args=[cast.county.pk]), {"pool": Pool.INSPECTORS}
    )
    assert response.status_code == 400 and "已在" in response.content.decode()
    assert PoolMembership.objects.count() == 1


def test_pool_rules(cast):
    campaign = org_factories.campaign()
    no_badge = UserFactory(username="nobadge", role="county", region=cast.county.region)
    with pytest.raises(ValidationError, match="执法证号"):
        services.pool_add(actor=cast.admin, campaign=campaign, pool=Pool.INSPECTORS, user=no_badge)
    with pytest.raises(ValidationError, match="专家库只收录专家"):
        services.pool_add(actor=cast.admin, campaign=campaign, pool=Pool.EXPERTS, user=cast.county)
    membership = services.pool_add(
        actor=cast.admin,
        campaign=campaign,
        pool=Pool.EXPERTS,
        user=cast.expert,
        lead_qualified=True,
    )
    assert not membership.lead_qualified  # experts do not lead inspections


def test_pool_import_all_or_nothing_then_idempotent(cast):
    campaign = org_factories.campaign()
    bad = make_xlsx(
        [["js", "", "测试js", "是"], ["", "99999", "某人", "否"], ["ent-a", "", "测试ent-a", "否"]],
        headers=POOL_HEADERS,
    )
    record = services.pool_import(
        actor=cast.admin,
        campaign=campaign,
        pool=Pool.INSPECTORS,
        file=io.BytesIO(bad),
        original_name="库.xlsx",
    )
    assert record.status == PoolImport.Status.FAILED and not PoolMembership.objects.exists()
    messages = {(e["row"], e["column"]): e["message"] for e in record.errors}
    assert "没有执法证号为“99999”的账号" in messages[(3, "执法证号")]
    assert "只收录" in messages[(4, "用户名")]
    good = make_xlsx([["js", "", "测试js", "是"], ["", "", "测试jx", ""]], headers=POOL_HEADERS)
    record = services.pool_import(
        actor=cast.admin,
        campaign=campaign,
        pool=Pool.INSPECTORS,
        file=io.BytesIO(good),
        original_name="库.xlsx",
    )
    assert record.status == PoolImport.Status.FAILED  # row 3 names nobody
    assert "至少填写一项" in record.errors[0]["message"]
    cast.other_county.badge_no = "41030520001"
    cast.other_county.save()
    good = make_xlsx(
        [["js", "", "测试js", "是"], ["", "41030520001", "测试jx", ""]], headers=POOL_HEADERS
    )
    record = services.pool_import(
        actor=cast.admin,
        campaign=campaign,
        pool=Pool.INSPECTORS,
        file=io.BytesIO(good),
        original_name="库.xlsx",
    )
    assert (record.status, record.created_count) == (PoolImport.Status.SUCCEEDED, 2)
    assert PoolMembership.objects.get(user=cast.county).lead_qualified
    record = services.pool_import(
        actor=cast.admin,
        campaign=campaign,
        pool=Pool.INSPECTORS,
        file=io.BytesIO(good),
        original_name="库.xlsx",
    )
    assert (record.created_count, record.unchanged_count) == (0, 2)


def test_pool_import_page_names_wrong_name(client, cast):
    client.force_login(cast.admin)
    upload = io.BytesIO(make_xlsx([["js", "", "张冠李戴", "是"]], headers=POOL_HEADERS))
    upload.name = "库.xlsx"
    response = client.post(
        reverse("campaign:pool-import"), {"pool": Pool.SKILLED, "file": upload}, follow=True
    )
    page = response.content.decode()
    assert "姓名与账号登记的“测试js”不一致" in page and "未写入任何数据" in page


def test_pool_list_and_export_are_scoped(client, cast):
    campaign = org_factories.campaign()
    PoolMembership.objects.create(
        campaign=campaign, pool=Pool.INSPECTORS, user=cast.county, added_by=cast.admin
    )
    PoolMembership.objects.create(
        campaign=campaign, pool=Pool.INSPECTORS, user=cast.other_county, added_by=cast.admin
    )
    client.force_login(cast.county)  # sees only their own entry
    rows = read_xlsx(response_bytes(client.get(reverse("campaign:pools-export"))))
    assert [r[1] for r in rows[1:]] == ["测试js"]
    client.force_login(cast.province)
    rows = read_xlsx(
        response_bytes(client.get(reverse("campaign:pools-export"), {"pool": "inspectors"}))
    )
    assert sorted(r[1] for r in rows[1:]) == ["测试js", "测试jx"]
