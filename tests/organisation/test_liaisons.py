"""City liaisons (附件7): entry with validated phones, late marking, the province's overview and export."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from campaign.models import Campaign, LiaisonTable
from tests import org_factories
from tests.xlsx import read_xlsx, response_bytes


def row(i, **values):
    base = {
        "name": "刘洋",
        "unit_position": "郑州市生态环境局 科长",
        "duty": "contact",
        "office_phone": "0371-67185678",
        "mobile": "13837105678",
        "email": "zz@example.cn",
    }
    base.update(values)
    return {f"form-{i}-{k}": v for k, v in base.items()}


def formset(*rows):
    data = {
        "form-TOTAL_FORMS": str(len(rows)),
        "form-INITIAL_FORMS": "0",
        "form-MIN_NUM_FORMS": "1",
        "form-MAX_NUM_FORMS": "10",
    }
    for r in rows:
        data.update(r)
    return data


def test_bad_phone_and_email_get_clear_messages_and_nothing_is_saved(client, cast):
    org_factories.campaign()
    client.force_login(cast.city)
    response = client.post(
        reverse("campaign:liaison-edit"),
        formset(row(0, mobile="1383710567", office_phone="66309206", email="not-mail")),
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "手机号码格式不正确" in page and "固定电话需带区号" in page and "合法的邮件地址" in page
    assert 'value="1383710567"' in page
    assert not LiaisonTable.objects.exists()


def test_on_time_then_the_province_sees_complete_and_missing(client, cast):
    campaign = org_factories.campaign()
    Campaign.objects.filter(pk=campaign.pk).update(
        liaison_deadline=timezone.now() + dt.timedelta(days=1)
    )
    client.force_login(cast.city)
    response = client.post(
        reverse("campaign:liaison-edit"), formset(row(0, duty="leader", name="张伟"), row(1))
    )
    assert response.status_code == 302
    table = LiaisonTable.objects.get()
    assert table.city.code == "4101" and not table.is_late and table.people.count() == 2
    client.force_login(cast.province)
    page = client.get(reverse("campaign:liaisons")).content.decode()
    assert "已按时 1 个" in page and "未报送 17 个" in page
    rows = read_xlsx(response_bytes(client.get(reverse("campaign:liaisons-export"))))
    assert rows[0][0].startswith("附件7")
    assert rows[1] == (
        "序号",
        "地市",
        "姓名",
        "单位及职务",
        "联络职责",
        "办公电话",
        "手机",
        "电子邮箱",
        "报送情况",
    )
    zhengzhou = [r for r in rows[2:] if r[1] == "郑州市"]
    assert [r[2] for r in zhengzhou] == ["张伟", "刘洋"] and zhengzhou[0][8] == "已按时报送"
    assert len({r[1] for r in rows[2:]}) == 18


def test_after_the_deadline_it_is_accepted_and_marked_late(client, cast):
    campaign = org_factories.campaign()  # deadline 2020-04-15
    assert campaign.liaison_deadline < timezone.now()
    client.force_login(cast.other_city)
    response = client.post(reverse("campaign:liaison-edit"), formset(row(0)), follow=True)
    assert "逾期报送" in response.content.decode()
    assert LiaisonTable.objects.get().is_late
    client.force_login(cast.province)
    page = client.get(reverse("campaign:liaisons")).content.decode()
    assert "逾期报送 1 个" in page and "逾期未报送" in page


def test_a_city_needs_a_contact_and_cannot_fill_another_city(client, cast):
    org_factories.campaign()
    client.force_login(cast.city)
    response = client.post(reverse("campaign:liaison-edit"), formset(row(0, duty="leader")))
    assert response.status_code == 400 and "联络员" in response.content.decode()
    # the city parameter is ignored for a city user: it always edits its own table
    client.post(reverse("campaign:liaison-edit") + "?city=4103", formset(row(0)))
    assert list(LiaisonTable.objects.values_list("city__code", flat=True)) == ["4101"]
    client.force_login(cast.other_city)
    table = LiaisonTable.objects.get()
    assert client.get(reverse("campaign:liaison-detail", args=[table.pk])).status_code == 404
