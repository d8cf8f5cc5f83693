"""Each role's home page and menu lead to its work: an inspector's visits, an expert's assignments,
the enterprise's copies of its records; a role never sees an entry it cannot use."""

from django.urls import reverse

from inspections.services import onsite
from tests.inspections import factories as stage1


def test_an_inspector_finds_their_visits_on_the_home_page_and_the_menu(client, cast):
    planned = stage1.inspection(cast, with_expert=True)
    client.force_login(cast.county)
    home = client.get(reverse("home")).content.decode()
    assert "我的现场检查" in home
    assert reverse("inspections:inspection", args=[planned.pk]) in home
    assert f'href="{reverse("inspections:inspections")}"' in home  # 现场检查 in the menu
    assert "接口文档" not in home  # the English API documentation is for administrators
    # the other county's inspector is not on the team: nothing of it on their home
    client.force_login(cast.other_county)
    assert (
        reverse("inspections:inspection", args=[planned.pk])
        not in client.get(reverse("home")).content.decode()
    )


def test_an_expert_sees_the_inspection_they_advise_as_a_link(client, cast):
    planned = stage1.inspection(cast, with_expert=True)
    client.force_login(cast.expert)
    home = client.get(reverse("home")).content.decode()
    assert reverse("inspections:inspection", args=[planned.pk]) in home and "（专家）" in home


def test_the_enterprise_finds_its_submitted_records_but_not_a_planned_visit(client, cast):
    from tests.inspections.test_onsite import complete

    planned = stage1.inspection(cast)
    record = onsite.inspection_submit(actor=cast.county, inspection=complete(cast, planned))
    unannounced = stage1.inspection(cast)
    client.force_login(cast.enterprise_user)
    home = client.get(reverse("home")).content.decode()
    assert "本单位的现场检查记录" in home
    assert reverse("inspections:inspection", args=[record.pk]) in home
    assert reverse("inspections:inspection", args=[unannounced.pk]) not in home


def test_the_patrol_group_is_told_it_has_no_enterprise_lists(client, cast):
    client.force_login(cast.patrol)
    home = client.get(reverse("home")).content.decode()
    assert reverse("enterprises:list") not in home and "现场检查" not in home
    for name in ("enterprises:list", "enterprises:export", "inspections:problems"):
        response = client.get(reverse(name))
        assert response.status_code == 403 and "没有此项操作权限" in response.content.decode()
    assert client.get("/api/v1/enterprises/").status_code == 403


def test_the_administrator_has_the_api_documentation_in_the_menu(client, cast):
    client.force_login(cast.admin)
    assert "接口文档" in client.get(reverse("home")).content.decode()


def test_the_province_reads_key_unit_progress_by_city_with_totals(client, cast):
    from tests.factories import EnterpriseFactory, region

    EnterpriseFactory(county=region("410105"), is_key_unit=True, key_air=True)
    EnterpriseFactory(county=region("410305"), is_key_unit=True, key_air=True)
    EnterpriseFactory(county=region("410305"), is_key_unit=True, key_air=True)
    stage1.inspection(cast)
    client.force_login(cast.province)
    page = client.get(reverse("inspections:inspections")).content.decode()
    assert "郑州市" in page and "洛阳市" in page
    total = page[page.index('data-testid="plan-progress-total"') :]
    cells = [c.split("<")[0] for c in total.split("<td>")[1:7]]
    assert cells[0] == "合计"
    assert int(cells[1]) >= 3 and int(cells[5]) == int(cells[1]) - int(cells[2])
