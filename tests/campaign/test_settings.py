"""Settings from the environment: strict readers, and refusal of insecure production setups."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from campaign import env

ROOT = Path(__file__).resolve().parents[2]
STRONG_SECRET = "x" * 20 + "production-secret-for-the-deploy-check-only-0123456789"


def run_manage(*args: str, **environ: str) -> subprocess.CompletedProcess:
    dropped = ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE")
    base = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **environ},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_env_readers_are_strict(monkeypatch, tmp_path):
    monkeypatch.setenv("X_BOOL", "yes")
    assert env.env_bool("X_BOOL") is True
    monkeypatch.setenv("X_BOOL", "maybe")
    with pytest.raises(ImproperlyConfigured):
        env.env_bool("X_BOOL")
    monkeypatch.setenv("X_INT", "12a")
    with pytest.raises(ImproperlyConfigured):
        env.env_int("X_INT", 1)
    monkeypatch.setenv("X_LIST", "a, b,,c")
    assert env.env_list("X_LIST") == ["a", "b", "c"]
    secret = tmp_path / "secret"
    secret.write_text("from-file\n")
    monkeypatch.setenv("X_SECRET_FILE", str(secret))
    assert env.env_str("X_SECRET") == "from-file"


def test_production_refuses_the_development_secret():
    result = run_manage("check", DEBUG="0", ALLOWED_HOSTS="zhifa.example.gov.cn")
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_production_refuses_empty_allowed_hosts():
    result = run_manage("check", DEBUG="0", SECRET_KEY=STRONG_SECRET)
    assert result.returncode != 0 and "ALLOWED_HOSTS" in result.stderr


def test_deploy_check_passes_for_a_production_environment():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY=STRONG_SECRET,
        ALLOWED_HOSTS="zhifa.example.gov.cn",
    )
    assert result.returncode == 0, result.stderr + result.stdout


def test_time_zone_and_language(settings):
    assert settings.TIME_ZONE == "Asia/Shanghai" and settings.CELERY_TIMEZONE == "Asia/Shanghai"
    assert settings.LANGUAGE_CODE == "zh-hans" and settings.USE_TZ


def test_the_administration_pages_name_every_section_in_chinese(client, cast):
    import re

    cast.admin.is_staff = True
    cast.admin.is_superuser = True
    cast.admin.save()
    client.force_login(cast.admin)
    page = client.get("/admin/").content.decode()
    sections = re.findall(r"<caption>\s*<a[^>]*>([^<]+)</a>", page)
    assert sections and all(re.search(r"[\u4e00-\u9fff]", s) for s in sections), sections


def test_the_administration_index_reads_in_chinese_to_the_eye_and_to_a_screen_reader(client, cast):
    from django.urls import reverse

    cast.admin.is_staff = cast.admin.is_superuser = True
    cast.admin.save()
    client.force_login(cast.admin)
    page = client.get(reverse("admin:index")).content.decode()
    # Django 5.2's translation lacks these; locale/ supplies them
    assert (
        "模型名称" in page and "Model name" not in page and "Change or view list link" not in page
    )
    # django-axes ships no Chinese: its models are named in config/apps.py
    assert "登录失败计数" in page and "Access attempts" not in page
    assert "登录锁定" in page and "变更记录" in page
    # greeted by name, not by account
    assert cast.admin.full_name in page
