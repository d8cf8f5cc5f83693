"""Stage 4's reads as the lists use them at scale: the 整改台账's order (the plans' index serves
it), the plans' figures counted for a page, the units still waiting for 登记造册, and the people
an item's page offers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from campaign.models import User
from rectification.models import RectificationItem, RectificationPlan
from rectification.selectors import plan as selectors
from rectification.services import plan as services
from rectification.services import verification
from tests import org_factories
from tests.factories import EnterpriseFactory, UserFactory, region
from tests.rectification import factories as f

S = RectificationItem.Status


def _unit_with_plan(cast, county: str, name: str, *codes: str) -> RectificationPlan:
    unit = EnterpriseFactory(county=region(county), name=name)
    for code in codes or ("GL-01", "GL-02"):
        f.problem(cast, code=code, enterprise=unit)
    return services.plan_build(actor=cast.province, enterprise=unit)


@pytest.mark.django_db
def test_the_ledger_lists_by_city_county_unit_and_item_number(client, cast):
    # made in another order than the ledger's
    _unit_with_plan(cast, "410305", "安涧西单位")  # 洛阳市
    _unit_with_plan(cast, "410105", "新金水单位")  # 郑州市金水区
    _unit_with_plan(cast, "410102", "新中原单位")  # 郑州市中原区
    _unit_with_plan(cast, "410105", "安金水单位")
    campaign = org_factories.campaign()
    expected = [
        (name, number)
        for name in ("新中原单位", "安金水单位", "新金水单位", "安涧西单位")
        for number in (1, 2)
    ]
    rows = selectors.items(user=cast.province, campaign=campaign)
    assert [(i.plan.enterprise.name, i.number) for i in rows] == expected
    # a city's ledger keeps the order within its reach
    rows = selectors.items(user=cast.city, campaign=campaign)
    assert [(i.plan.enterprise.name, i.number) for i in rows] == expected[:6]
    # the page and the API list in the same order
    client.force_login(cast.province)
    page = client.get(reverse("rectification:items")).content.decode()
    positions = [
        page.index(name) for name in ("新中原单位", "安金水单位", "新金水单位", "安涧西单位")
    ]
    assert positions == sorted(positions)
    listed = client.get(reverse("rectification-item-list")).json()["results"]
    assert [(r["enterprise_name"], r["number"]) for r in listed] == expected


@pytest.mark.django_db
def test_the_plans_figures_are_counted_for_the_page_as_for_the_export(client, cast):
    two = _unit_with_plan(cast, "410105", "安金水单位", "GL-01", "GL-02")
    one = _unit_with_plan(cast, "410105", "新金水单位", "GL-03")
    late = two.items.get(number=1)
    services.item_update(actor=cast.county, item=late, values={"deadline": timezone.localdate()})
    verification.overdue_run(timezone.localdate() + dt.timedelta(days=1))
    campaign = org_factories.campaign()
    rows = selectors.plans(user=cast.county, campaign=campaign)
    figures = ("item_count", "closed_count", "overdue_count", "applied_count")
    paged = {p.pk: [getattr(p, n) for n in figures] for p in selectors.with_figures(rows)}
    assert paged == {two.pk: [2, 0, 1, 0], one.pk: [1, 0, 0, 0]}
    exported = {p.pk: [getattr(p, n) for n in figures] for p in selectors.with_all_figures(rows)}
    assert exported == paged
    assert selectors.with_figures([]) == []
    client.force_login(cast.county)
    listed = client.get(reverse("rectification-plan-list")).json()["results"]
    assert {r["id"]: [r[n] for n in figures] for r in listed} == paged
    assert [r["enterprise_name"] for r in listed] == ["安金水单位", "新金水单位"]
    page = client.get(reverse("rectification:plans"))
    assert [p.pk for p in page.context["page"]] == [two.pk, one.pk]
    assert page.context["page"][0].overdue_count == 1


@pytest.mark.django_db
def test_the_units_waiting_are_listed_only_while_some_wait(client, cast):
    units = [EnterpriseFactory(name="新金水单位"), EnterpriseFactory(name="新金水单位二"), cast.ent]
    for unit in units:
        f.problem(cast, code="GL-01", enterprise=unit)
    f.problem(cast, code="GL-01", enterprise=cast.other_ent)  # 涧西's: not 金水's
    campaign = org_factories.campaign()
    waiting = list(selectors.units_waiting(user=cast.county, campaign=campaign))
    assert [u["name"] for u in waiting] == ["新金水单位", "新金水单位二", cast.ent.name]
    assert [u["name"] for u in selectors.units_waiting(user=cast.province, campaign=campaign)][
        :1
    ] == ["新金水单位"]
    client.force_login(cast.county)
    page = client.get(reverse("rectification:plans"))
    assert page.context["waiting_count"] == 3 and page.context["waiting_units"] == waiting
    html = page.content.decode()
    assert "待登记造册" in html and cast.other_ent.name not in html
    assert f'name="enterprise" value="{cast.ent.pk}"' in html
    assert '待登记造册的问题 <b data-testid="home-waiting">3</b> 个' in (
        client.get(reverse("home")).content.decode()
    )
    for unit in units:
        services.plan_build(actor=cast.county, enterprise=unit)
    # nothing waits in 金水 any more: no list, no section, nothing on the home page
    assert not selectors.units_waiting(user=cast.county, campaign=campaign)
    page = client.get(reverse("rectification:plans"))
    assert page.context["waiting_count"] == 0 and page.context["waiting_units"] == []
    assert "待登记造册" not in page.content.decode()
    assert "待登记造册的问题" not in client.get(reverse("home")).content.decode()
    # the province still sees 涧西's unit waiting
    assert [u["name"] for u in selectors.units_waiting(user=cast.province, campaign=campaign)] == [
        cast.other_ent.name
    ]


def _inspector(username: str, role: str, code: str | None, badge: str) -> User:
    level = "city" if role == User.Role.CITY else "county"
    return UserFactory(
        username=username,
        role=role,
        region=region(code, level) if code else None,
        badge_no=badge,
        full_name=f"测试{username}",
    )


@pytest.mark.django_db
def test_the_item_page_offers_the_people_of_the_items_county_to_the_province(client, cast):
    item = f.plan(cast).items.get()  # 金水's, supervised by js who registered it
    R = User.Role
    js2 = _inspector("js-b", R.COUNTY, "410105", "41010500002")
    zz = _inspector("zz-b", R.CITY, "4101", "41010000003")  # 郑州's city bureau
    jx = _inspector("jx-b", R.COUNTY, "410305", "41030500004")  # 涧西: another city
    _inspector("zy-b", R.COUNTY, "410102", "41010200005")  # 中原: another county
    prov = _inspector("prov-b", R.PROVINCE, None, "41000000006")
    offered = {cast.county, js2, zz}
    client.force_login(cast.province)
    page = client.get(reverse("rectification:item", args=[item.pk]))
    assert set(page.context["item_form"].fields["supervisor"].queryset) == offered
    assert set(page.context["check_form"].fields["officers"].queryset) == offered
    html = page.content.decode()
    assert "测试js-b" in html and "测试jx-b" not in html and "测试zy-b" not in html
    # the same list a county bureau of the item is offered
    client.force_login(cast.county)
    page = client.get(reverse("rectification:item", args=[item.pk]))
    assert set(page.context["item_form"].fields["supervisor"].queryset) == offered
    # a supervisor named elsewhere (the province's inspector, through the service) stays offered
    services.item_update(actor=cast.province, item=item, values={"supervisor": prov})
    client.force_login(cast.province)
    page = client.get(reverse("rectification:item", args=[item.pk]))
    assert set(page.context["item_form"].fields["supervisor"].queryset) == offered | {prov}
    # the page takes only what it offers; the service still refuses anyone out of reach
    body = {"requirement": item.requirement, "measures": "更换滤袋", "supervisor": jx.pk}
    refused = client.post(reverse("rectification:item-edit", args=[item.pk]), body)
    assert refused.status_code == 400
    item.refresh_from_db()
    assert item.supervisor == prov
    with pytest.raises(ValidationError, match="不管辖"):
        services.item_update(actor=cast.province, item=item, values={"supervisor": jx})
