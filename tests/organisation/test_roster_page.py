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


def test_the_people_list_pages_counts_and_exports_what_it_shows(client, cast):
    from campaign.models import User
    from tests.factories import UserFactory
    from tests.xlsx import rows as xlsx_rows

    for n in range(55):
        UserFactory(username=f"insp-{n:02}", full_name=f"批量人员{n:02}", role=User.Role.COUNTY)
    client.force_login(cast.province)
    first = client.get(reverse("campaign:people"), {"q": "批量人员"}).content.decode()
    assert '<b data-testid="result-count">55</b>' in first
    assert len(re.findall(r">批量人员\d\d</a>", first)) == 50 and "第 1 / 2 页" in first
    second = client.get(reverse("campaign:people"), {"q": "批量人员", "page": 2}).content.decode()
    assert len(re.findall(r">批量人员\d\d</a>", second)) == 5
    sheet = list(xlsx_rows(client.get(reverse("campaign:people-export"), {"q": "批量人员"})))
    assert sheet[0][:3] == ("姓名", "账号", "角色")
    assert len(sheet) == 56 and {row[2] for row in sheet[1:]} == {"县（区）执法人员"}
    # the export asks the access policy as the page does: a city bureau sees no other city's
    client.force_login(cast.city)
    accounts = {row[1] for row in xlsx_rows(client.get(reverse("campaign:people-export")))}
    assert "zz" in accounts and "ly" not in accounts and "insp-00" not in accounts
