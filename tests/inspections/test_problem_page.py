"""A problem's page: what the inspector entered, and links to the records around it."""

from django.urls import reverse

from tests.inspections.factories import check_item, record_problem


def test_the_page_shows_the_legal_basis_the_inspector_entered_and_links_the_unit(client, cast):
    item = check_item(cast)
    problem = record_problem(
        cast.ent, item, kind="violation", legal_basis="《大气污染防治法》第一百零八条"
    )
    client.force_login(cast.county)
    page = client.get(reverse("inspections:problem", args=[problem.pk])).content.decode()
    assert "《大气污染防治法》第一百零八条" in page
    assert reverse("enterprises:detail", args=[cast.ent.pk]) in page
    # nothing entered: the catalogue's basis for the item
    default = item.version.items.get(code="HF-01")
    type(default).objects.filter(pk=default.pk).update(legal_basis="《排污许可管理条例》第三十三条")
    other = record_problem(cast.ent, default, kind="violation", legal_basis="")
    page = client.get(reverse("inspections:problem", args=[other.pk])).content.decode()
    basis = page.split('data-testid="legal-basis">')[1].split("<")[0]
    assert basis == "《排污许可管理条例》第三十三条"


def test_every_list_is_searched_by_unit_and_date_on_the_page_its_export_and_its_api(client, cast):
    from tests.inspections.factories import check_item, inspection, record_problem

    item = check_item(cast)
    ours = record_problem(cast.ent, item, kind="violation", description="金水的问题")
    visit = inspection(cast)
    client.force_login(cast.city)
    by_name = client.get(reverse("inspections:problems"), {"q": "金水测试"}).content.decode()
    assert "金水的问题" in by_name
    none = client.get(reverse("inspections:problems"), {"q": "没有这家单位"}).content.decode()
    assert "金水的问题" not in none
    code = cast.ent.credit_code[:8]
    api = client.get("/api/v1/problems/", {"q": code.lower()}).json()
    assert [row["id"] for row in api["results"]] == [ours.pk]
    day = ours.found_at.astimezone().date()
    later = client.get("/api/v1/problems/", {"found_from": str(day.replace(year=day.year + 1))})
    assert later.json()["count"] == 0
    # the unit's page leads to its records; its inspections are found by the unit
    unit_page = client.get(reverse("enterprises:detail", args=[cast.ent.pk])).content.decode()
    assert f"{reverse('inspections:inspections')}?enterprise={cast.ent.pk}" in unit_page
    visits = client.get(reverse("inspections:inspections"), {"enterprise": cast.ent.pk})
    assert reverse("inspections:inspection", args=[visit.pk]) in visits.content.decode()
    from tests.xlsx import rows as xlsx_rows

    export = client.get(reverse("inspections:problems-export"), {"q": "没有这家单位"})
    assert not any("金水的问题" in str(row) for row in xlsx_rows(export))
    export = client.get(reverse("inspections:problems-export"), {"q": "金水测试"})
    assert any("金水的问题" in str(row) for row in xlsx_rows(export))


def test_every_list_offers_the_cities_and_counties_in_reach_and_refuses_the_others(client, cast):
    from tests.inspections.factories import check_item, inspection, record_problem

    item = check_item(cast)
    record_problem(cast.ent, item, kind="violation", description="金水的问题")
    record_problem(cast.other_ent, item, kind="violation", description="涧西的问题")
    inspection(cast)
    lists = [
        reverse("inspections:problems"),
        reverse("inspections:inspections"),
        reverse("inspections:self-checks"),
        reverse("inspections:missing"),
    ]
    client.force_login(cast.province)
    for url in lists:
        page = client.get(url).content.decode()
        assert 'name="city"' in page and 'name="county"' in page, url
        assert '<option value="410305">' in page, url
    by_county = client.get(lists[0], {"county": "410305"}).content.decode()
    assert "涧西的问题" in by_county and "金水的问题" not in by_county
    by_city = client.get(lists[0], {"city": "4101"}).content.decode()
    assert "金水的问题" in by_city and "涧西的问题" not in by_city
    # a city bureau is offered its own counties only; another city's code is refused, not matched
    client.force_login(cast.city)
    page = client.get(lists[0]).content.decode()
    assert '<option value="410105">' in page and '<option value="410305">' not in page
    assert 'name="city"' not in page  # one city in reach: nothing to pick
    refused = client.get(lists[0], {"county": "410305"})
    assert refused.status_code == 200
    assert "选择一个有效的选项" in refused.content.decode()
    assert "涧西的问题" not in refused.content.decode()
    api = client.get("/api/v1/problems/", {"county": "410305"})
    assert api.status_code == 400 and "county" in api.json()
    assert client.get("/api/v1/problems/", {"county": "410105"}).json()["count"] == 1
    # a county inspector has nothing to pick
    client.force_login(cast.county)
    for url in lists:
        page = client.get(url).content.decode()
        assert 'name="county"' not in page, url
