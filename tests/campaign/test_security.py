"""Login, lockout, sessions, passwords, health."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import PASSWORD


def test_login_and_logout(client, cast):
    response = client.post(
        reverse("login"), {"username": cast.county.username, "password": PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302


def test_wrong_password_message_is_chinese_and_keeps_username(client, cast):
    response = client.post(
        reverse("login"), {"username": cast.county.username, "password": "wrong"}
    )
    page = response.content.decode()
    assert "用户名或密码不正确" in page and f'value="{cast.county.username}"' in page


def test_lockout_after_five_failures_even_with_the_right_password(client, cast):
    for _ in range(5):
        client.post(reverse("login"), {"username": cast.county.username, "password": "wrong"})
    response = client.post(
        reverse("login"), {"username": cast.county.username, "password": PASSWORD}
    )
    assert response.status_code == 429
    assert "锁定" in response.content.decode()
    assert client.get(reverse("home")).status_code == 302


def test_api_token_endpoint_is_throttled_too(cast):
    from rest_framework.test import APIClient

    api = APIClient()
    for _ in range(5):
        api.post(reverse("api-token"), {"username": cast.city.username, "password": "wrong"})
    response = api.post(
        reverse("api-token"), {"username": cast.city.username, "password": PASSWORD}
    )
    assert response.status_code in (403, 429) and "token" not in response.content.decode()


def test_session_expires_and_cookies_are_http_only(settings):
    assert settings.SESSION_COOKIE_AGE <= 8 * 3600 and settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_COOKIE_HTTPONLY


@pytest.mark.parametrize("password", ["12345678901", "password123", "short"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_csrf_is_enforced(cast):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(cast.county)
    response = strict.post(reverse("enterprises:import"), {})
    assert response.status_code == 403


def test_healthz(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200 and response.json()["database"] == "ok"
