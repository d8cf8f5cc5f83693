"""The enterprise API: token auth, scoping, region codes, filters, pagination."""

from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import PASSWORD, EnterpriseFactory, region


def test_token_is_issued_for_valid_credentials_only(cast):
    api = APIClient()
    response = api.post(
        reverse("api-token"), {"username": cast.county.username, "password": PASSWORD}
    )
    assert response.status_code == 200
    assert response.json()["token"] == Token.objects.get(user=cast.county).key
    response = api.post(
        reverse("api-token"), {"username": cast.county.username, "password": "wrong"}
    )
    assert response.status_code == 400 and "token" not in response.json()


def test_token_auth_lists_only_the_scope_with_region_codes(cast):
    token = Token.objects.create(user=cast.county)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    body = api.get(reverse("enterprise-list")).json()
    assert body["count"] == 1
    item = body["results"][0]
    assert item["credit_code"] == cast.ent.credit_code
    assert (item["county_code"], item["city_code"]) == ("410105", "4101")
    assert item["industry_code"] == "2614"
    assert api.get(reverse("enterprise-detail", args=[cast.other_ent.pk])).status_code == 404
    assert api.get(reverse("enterprise-detail", args=[cast.ent.pk])).json()["name"] == cast.ent.name


def test_api_without_credentials_is_401():
    assert APIClient().get(reverse("enterprise-list")).status_code == 401


def test_api_filters_and_pagination(cast, django_assert_max_num_queries):
    for _ in range(60):
        EnterpriseFactory(county=region("410103"))
    EnterpriseFactory(county=region("410103"), name="二七重点单位", is_key_unit=True)
    api = APIClient()
    api.force_authenticate(cast.city)
    with django_assert_max_num_queries(8):
        body = api.get(reverse("enterprise-list")).json()
    assert body["count"] == 62 and len(body["results"]) == 50 and body["next"]
    body = api.get(reverse("enterprise-list"), {"is_key_unit": "true"}).json()
    assert [r["name"] for r in body["results"]] == ["二七重点单位"]
    body = api.get(reverse("enterprise-list"), {"county": "410105"}).json()
    assert body["count"] == 1
    body = api.get(reverse("enterprise-list"), {"page_size": 5, "page": 2}).json()
    assert len(body["results"]) == 5


def test_me_and_reference_endpoints(cast):
    api = APIClient()
    api.force_authenticate(cast.city)
    me = api.get(reverse("api-me")).json()
    assert me["role"] == "city" and me["region_code"] == "4101" and me["reach"] == "city"
    industry = api.get(reverse("industry-detail", args=["2614"])).json()
    assert industry["name"] == "有机化学原料制造" and industry["parent_code"] == "261"
    cities = api.get(reverse("region-list"), {"level": "city", "page_size": 100}).json()
    assert cities["count"] == 18


def test_schema_and_docs_are_served_locally(client, cast):
    client.force_login(cast.city)
    schema = client.get(reverse("api-schema"))
    assert schema.status_code == 200 and b"/api/v1/enterprises/" in schema.content
    docs = client.get(reverse("api-docs")).content.decode()
    assert "swagger-ui" in docs and "cdn" not in docs.lower() and "//unpkg" not in docs
