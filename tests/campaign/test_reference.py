"""The Henan 2020 region fixture and the industry classification."""

from django.core.management import call_command

from campaign.models import Industry, Region


def test_cities_counties_and_functional_zones(reference_data):
    cities = Region.objects.filter(level="city")
    assert cities.count() == 18  # 17 省辖市 + 济源示范区
    assert set(cities.values_list("parent__code", flat=True)) == {"41"}
    divisions = Region.objects.filter(level="county", kind="division")
    assert (
        divisions.count() == 158
    )  # 157 county-level divisions + 济源 as its own county-level area
    assert Region.objects.filter(level="county", kind="functional_zone").count() == 24
    jinshui = Region.objects.get(level="county", code="410105")
    assert jinshui.name == "金水区" and jinshui.parent.code == "4101"
    zone = Region.objects.get(level="county", code="410171")
    assert zone.is_functional_zone and zone.parent.code == "4101"


def test_jiyuan_is_a_city_level_unit_and_its_own_county(reference_data):
    city = Region.objects.get(level="city", code="419001")
    county = Region.objects.get(level="county", code="419001")
    assert city.name == "济源示范区" and county.parent == city
    assert not Region.objects.filter(code="4190").exists()  # the statistical grouping is not a city


def test_industries_form_a_tree(reference_data):
    assert Industry.objects.filter(level="division").count() == 97
    assert Industry.objects.filter(level="class").count() == 1381
    organic = Industry.objects.get(code="2614")
    assert organic.parent.code == "261" and organic.parent.parent.code == "26"
    assert organic.parent.parent.parent.code == "C"


def test_loading_again_changes_nothing(reference_data):
    before = Region.objects.count(), Industry.objects.count()
    call_command("load_reference_data", verbosity=0)
    assert (Region.objects.count(), Industry.objects.count()) == before
