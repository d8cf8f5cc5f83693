"""The roster page: every form's fields have ids of their own, so each label focuses its field."""

import re

from django.urls import reverse

from tests import org_factories as org


def test_every_id_on_the_roster_page_is_unique_and_each_label_has_its_field(client, cast):
    org.roster_group(cast)
    from campaign.models import RosterGroup

    RosterGroup.objects.create(campaign=org.campaign(), kind="working_group", name="第二组")
    client.force_login(cast.admin)
    page = client.get(reverse("campaign:roster")).content.decode()
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    for target in re.findall(r'<label for="([^"]+)"', page):
        assert target in ids, target
    assert 'name="name"' in page and "新增" in page  # the new-group form has its fields
