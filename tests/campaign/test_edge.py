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


@pytest.mark.parametrize("url", ["/accounts/login/", "/api/v1/auth/token/"])
@pytest.mark.parametrize("debug", [False, True])
def test_a_form_post_in_another_charset_is_refused_with_a_message(client, settings, url, debug):
    """Django accepts only UTF-8 form bodies; the refusal is a 400 that says so, also with DEBUG on
    (where Django's error page read the body again and the server answered a bare 500)."""
    settings.DEBUG = debug
    client.raise_request_exception = False
    response = client.post(
        url,
        b"username=%D6%D0%CE%C4&password=x",
        content_type="application/x-www-form-urlencoded; charset=gb2312",
    )
    assert response.status_code == 400
    text = response.json()["detail"] if url.startswith("/api/") else response.content.decode()
    assert "无法识别的编码" in text


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


def test_with_debug_on_a_404_is_our_chinese_page_not_the_list_of_every_url(client, cast, settings):
    settings.DEBUG = True
    client.force_login(cast.county)
    for url in ("/no-such-page/", f"/enterprises/{cast.other_ent.pk}/"):
        response = client.get(url)
        page = response.content.decode()
        assert response.status_code == 404 and "未找到" in page, url
        assert "URLconf" not in page and "Page not found" not in page, url
    # the API keeps its JSON answer
    assert client.get(f"/api/v1/enterprises/{cast.other_ent.pk}/").json()["detail"]
    settings.TECHNICAL_ERROR_PAGES = True  # a developer who asks for Django's page gets it
    assert "URLconf" in client.get("/no-such-page/").content.decode()


def test_an_api_write_sent_twice_with_one_idempotency_key_is_done_once(client, cast):
    from django.core.cache import cache
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from inspections.models import SelfCheck
    from tests.inspections import factories as stage1

    png = b"\x89PNG\r\n\x1a\n" + b"0" * 100
    check = stage1.self_check(cast)
    SelfCheck.objects.filter(pk=check.pk).update(status="draft")
    answer = check.answers.first()
    url = reverse("api-answer-evidence", args=[answer.pk])
    client.force_login(cast.enterprise_user)

    def upload(key: str):
        photo = SimpleUploadedFile("台账.png", png, content_type="image/png")
        return client.post(url, {"file": photo}, HTTP_IDEMPOTENCY_KEY=key)

    first = upload("entry-1")
    again = upload("entry-1")  # the answer was lost, the outbox sends the entry again
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert answer.evidence.count() == 1
    assert upload("entry-2").status_code == 201 and answer.evidence.count() == 2
    # while the first request still runs, its twin waits (503, retried by the outbox)
    slot_key = "entry-3"
    from campaign.edge import IdempotencyMiddleware

    cache.add(
        IdempotencyMiddleware.slot(f"user:{cast.enterprise_user.pk}", url, slot_key),
        {"running": True},
    )
    busy = upload(slot_key)
    assert busy.status_code == 503 and busy["Retry-After"] == "2"
    assert answer.evidence.count() == 2
    # a refusal is not kept: the same entry may be retried once the cause is gone
    SelfCheck.objects.filter(pk=check.pk).update(status="submitted")
    assert upload("entry-4").status_code == 400
    SelfCheck.objects.filter(pk=check.pk).update(status="draft")
    assert upload("entry-4").status_code == 201 and answer.evidence.count() == 3
    # the same key from another caller is another request (a 404 for them, not a replay)
    client.force_login(cast.other_enterprise_user)
    assert upload("entry-1").status_code == 404
    # an anonymous request's answer is nobody's to replay: a sign-in's token is never handed on
    client.logout()
    from tests.factories import PASSWORD

    token = reverse("api-token")
    body = {"username": cast.county.username, "password": PASSWORD}
    first = client.post(token, body, HTTP_IDEMPOTENCY_KEY="k").json()["token"]
    wrong = client.post(token, {**body, "password": "wrong"}, HTTP_IDEMPOTENCY_KEY="k")
    assert wrong.status_code == 400 and first not in wrong.content.decode()
