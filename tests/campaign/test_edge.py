"""No input gives a server error: each of these once answered 500 and now gets a Chinese 400."""

from __future__ import annotations

import json

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("body", ["null", "[]", "[1, 2]", '"text"', "1", "{bad json"])
def test_token_body_must_be_a_json_object(client, body):
    response = client.post("/api/v1/auth/token/", body, content_type="application/json")
    assert response.status_code == 400
    assert "JSON" in response.json()["detail"]


@pytest.mark.parametrize("username", ["a\x00b", "a" * 300, ["list"]])
def test_token_username_nul_too_long_or_not_text(client, username):
    body = json.dumps({"username": username, "password": "x"})
    response = client.post("/api/v1/auth/token/", body, content_type="application/json")
    assert response.status_code == 400


@pytest.mark.parametrize("username", ["a" * 256, "a" * 300, "a\x00"])
def test_login_form_refuses_long_or_nul_usernames(client, username):
    response = client.post("/accounts/login/", {"username": username, "password": "x"})
    assert response.status_code in (200, 400)
    assert response.status_code != 500


def test_deeply_nested_json_is_refused(client, cast):
    client.force_login(cast.county)
    body = '{"a":' * 3000 + "1" + "}" * 3000
    response = client.post("/api/v1/inspections/plan/", body, content_type="application/json")
    assert response.status_code == 400 and "嵌套过深" in response.json()["detail"]
    shallow_but_too_deep = json.dumps(
        {"x": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}
    )
    response = client.post(
        "/api/v1/inspections/plan/", shallow_but_too_deep, content_type="application/json"
    )
    assert response.status_code == 400


@pytest.mark.parametrize(
    "url", ["/problems/?county=%00", "/self-checks/?county=%00", "/enterprises/?q=%00"]
)
def test_nul_in_a_list_filter(client, cast, url):
    client.force_login(cast.county)
    response = client.get(url)
    assert response.status_code == 400 and "无效字符" in response.content.decode()


def test_nul_in_an_api_filter(client, cast):
    client.force_login(cast.county)
    response = client.get("/api/v1/enterprises/?search=%00")
    assert response.status_code == 400 and "无效字符" in response.json()["detail"]


def test_form_post_in_another_charset_is_decoded_or_refused(client, cast):
    response = client.post(
        "/accounts/login/",
        b"username=%D6%D0%CE%C4&password=x",
        content_type="application/x-www-form-urlencoded; charset=gb2312",
    )
    assert response.status_code in (200, 400)


def test_every_page_carries_a_content_security_policy(client, cast):
    client.force_login(cast.county)
    for url in ("/", "/problems/", "/accounts/login/", "/api/docs/"):
        policy = client.get(url)["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy, url
    # the API docs start without an inline script: their start-up code is a file
    page = client.get("/api/docs/").content.decode()
    assert "<script>" not in page.replace(" ", "")


def test_the_schema_documents_the_errors_each_operation_answers(client, cast):
    client.force_login(cast.county)
    schema = client.get("/api/schema/?format=json").json()
    save = schema["paths"]["/api/v1/inspection-findings/{id}/"]["post"]["responses"]
    assert {"200", "400", "401", "403", "404", "409"} <= set(save)
    listing = schema["paths"]["/api/v1/problems/"]["get"]["responses"]
    assert {"200", "400", "401", "403", "404"} <= set(listing)  # 404: a page past the end
    token = schema["paths"]["/api/v1/auth/token/"]["post"]["responses"]
    assert "401" not in token  # the sign-in itself is public
