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
    other = record_problem(cast.ent, item.version.items.get(code="HF-01"), kind="violation")
    page = client.get(reverse("inspections:problem", args=[other.pk])).content.decode()
    basis = other.item.legal_basis or "—"
    assert basis in page
