"""Enterprise pages: list with filters, export, detail with history, create and edit."""

from django.urls import reverse

from enterprises.models import Enterprise
from tests.factories import EnterpriseFactory, region
from tests.xlsx import read_xlsx, response_bytes


def form_data(enterprise: Enterprise, **changes) -> dict:
    data = {
        "credit_code": enterprise.credit_code,
        "name": enterprise.name,
        "county": enterprise.county_id,
        "address": enterprise.address,
        "industry_code": enterprise.industry.code,
        "legal_representative": enterprise.legal_representative,
        "contact_phone": enterprise.contact_phone,
        "contact_person": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_list_filters_and_search(client, cast):
    EnterpriseFactory(
        county=region("410103"), name="二七水泥有限公司", is_key_unit=True, key_air=True
    )
    client.force_login(cast.city)
    url = reverse("enterprises:list")
    page = client.get(url).content.decode()
    assert "金水测试化工有限公司" in page and "二七水泥有限公司" in page and "涧西" not in page
    page = client.get(url, {"is_key_unit": "true"}).content.decode()
    assert "二七水泥有限公司" in page and "金水测试化工有限公司" not in page
    page = client.get(url, {"county": "410105"}).content.decode()
    assert "金水测试化工有限公司" in page and "二七水泥有限公司" not in page
    page = client.get(url, {"q": cast.ent.credit_code[-6:]}).content.decode()
    assert "金水测试化工有限公司" in page and "二七水泥有限公司" not in page
    page = client.get(url, {"industry": "26"}).content.decode()
    assert "金水测试化工有限公司" in page
    # a county outside the city's reach is not even offered as a filter choice
    response = client.get(url, {"county": "410305"})
    assert 'value="410305"' not in response.content.decode()
    assert 'value="410103"' in response.content.decode()
    assert "涧西测试化工有限公司" not in response.content.decode()


def test_list_query_count_does_not_grow_with_rows(client, cast, django_assert_max_num_queries):
    client.force_login(cast.province)
    for _ in range(30):
        EnterpriseFactory()
    with django_assert_max_num_queries(12):
        client.get(reverse("enterprises:list"))


def test_export_is_filtered_and_scoped(client, cast):
    EnterpriseFactory(county=region("410103"), name="二七水泥有限公司", is_key_unit=True)
    client.force_login(cast.city)
    rows = read_xlsx(
        response_bytes(client.get(reverse("enterprises:export"), {"is_key_unit": "true"}))
    )
    assert rows[0][:2] == ("统一社会信用代码", "单位名称")
    assert [r[1] for r in rows[1:]] == ["二七水泥有限公司"]
    client.force_login(cast.county)
    rows = read_xlsx(response_bytes(client.get(reverse("enterprises:export"))))
    assert [r[1] for r in rows[1:]] == ["金水测试化工有限公司"]


def test_edit_records_history_shown_on_page_and_exported(client, cast):
    client.force_login(cast.county)
    response = client.post(
        reverse("enterprises:update", args=[cast.ent.pk]),
        form_data(cast.ent, name="金水新名化工有限公司"),
    )
    assert response.status_code == 302
    page = client.get(reverse("enterprises:detail", args=[cast.ent.pk])).content.decode()
    assert "变更记录" in page and "金水测试化工有限公司 → 金水新名化工有限公司" in page
    assert cast.county.full_name in page
    rows = read_xlsx(
        response_bytes(client.get(reverse("enterprises:history-export", args=[cast.ent.pk])))
    )
    flat = [r for r in rows if len(r) > 3 and r[3] == "单位名称"]
    assert flat and flat[0][4:6] == ("金水测试化工有限公司", "金水新名化工有限公司")


def test_bad_edit_keeps_what_was_typed_and_changes_nothing(client, cast):
    client.force_login(cast.county)
    response = client.post(
        reverse("enterprises:update", args=[cast.ent.pk]),
        form_data(cast.ent, name="已输入的新名称", contact_phone="12345", industry_code="9999"),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "电话号码格式不正确" in page and "不在国民经济行业分类" in page
    assert 'value="已输入的新名称"' in page
    cast.ent.refresh_from_db()
    assert cast.ent.name == "金水测试化工有限公司"


def test_county_cannot_move_a_unit_out_of_its_scope(client, cast):
    client.force_login(cast.county)
    response = client.post(
        reverse("enterprises:update", args=[cast.ent.pk]),
        form_data(cast.ent, county=region("410305").pk),
    )
    assert response.status_code == 400
    cast.ent.refresh_from_db()
    assert cast.ent.county.code == "410105"


def test_city_moves_a_unit_within_its_city_and_city_code_follows(client, cast):
    client.force_login(cast.city)
    erqi = region("410103")
    response = client.post(
        reverse("enterprises:update", args=[cast.ent.pk]), form_data(cast.ent, county=erqi.pk)
    )
    assert response.status_code == 302
    cast.ent.refresh_from_db()
    assert cast.ent.county == erqi and cast.ent.city.code == "4101"


def test_create_checks_credit_code_and_target_county(client, cast):
    client.force_login(cast.county)
    template = EnterpriseFactory.build(county=region("410105"))
    bad = form_data(
        template,
        credit_code=template.credit_code[:-1] + "0"
        if template.credit_code[-1] != "0"
        else template.credit_code[:-1] + "1",
    )
    response = client.post(reverse("enterprises:create"), bad)
    assert response.status_code == 400 and "校验位不正确" in response.content.decode()
    response = client.post(reverse("enterprises:create"), form_data(template))
    assert response.status_code == 302
    created = Enterprise.objects.get(credit_code=template.credit_code)
    assert created.city.code == "4101"
    # the same code twice is refused with a message, not an error page
    response = client.post(reverse("enterprises:create"), form_data(template))
    assert response.status_code == 400 and "已存在" in response.content.decode()


def test_home_counts_are_scoped(client, cast):
    client.force_login(cast.county)
    page = client.get(reverse("home")).content.decode()
    assert 'data-testid="enterprise-count">1<' in page
    client.force_login(cast.province)
    assert 'data-testid="enterprise-count">2<' in client.get(reverse("home")).content.decode()
