"""Each demo role logs in, sees its own home page and only its own enterprises."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone

from campaign.models import User
from enterprises.models import Enterprise
from tests.browser.conftest import screenshot
from tests.xlsx import make_xlsx

pytestmark = [pytest.mark.browser, pytest.mark.service]
DEMO_PASSWORD = "demo-pass-2020"


def expected_names(username: str) -> set[str]:
    """Written from the design, not from the policy: where each demo account's scope lies."""
    units = Enterprise.objects.all()

    def granted(name: str):
        # an expert's inspection, a verification team's sampled units (stage 5): opened by grants
        # (live ones: a closed round's were revoked)
        now = timezone.now()
        grants = User.objects.get(username=name).grants.filter(
            content_type__model="enterprise",
            revoked_at__isnull=True,
            starts_at__lte=now,
            ends_at__gt=now,
        )
        return units.filter(pk__in=[int(g.object_pk) for g in grants])

    by_user = {
        "admin": units,
        "province": units,
        "zhengzhou": units.filter(city__code="4101", city__level="city") | granted("zhengzhou"),
        "luoyang": units.filter(city__code="4103", city__level="city"),
        "jinshui": units.filter(county__code="410105"),
        "jianxi": units.filter(county__code="410305") | granted("jianxi"),
        "ent-zz": units.filter(users__username="ent-zz"),
        "ent-ly": units.filter(users__username="ent-ly"),
        "expert": granted("expert"),
        "patrol": units.none(),
    }
    return set(by_user[username].values_list("name", flat=True))


def login(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


HOME_TITLES = {
    "admin": "系统管理员工作台",
    "province": "省厅工作台",
    "zhengzhou": "市局工作台",
    "luoyang": "市局工作台",
    "jinshui": "县（区）执法人员工作台",
    "jianxi": "县（区）执法人员工作台",
    "expert": "专家工作台",
    "patrol": "巡查组工作台",
    "ent-zz": "企业用户工作台",
    "ent-ly": "企业用户工作台",
}


@pytest.mark.django_db(transaction=True)
def test_each_demo_role_sees_its_home_and_only_its_enterprises(live_server, page):
    call_command("seed_demo", "--force", verbosity=0)
    base = live_server.url
    foreign = Enterprise.objects.get(users__username="ent-ly")
    for username, title in HOME_TITLES.items():
        login(page, base, username)
        assert page.inner_text("[data-testid=home-title]") == title, username
        assert username in page.inner_text("[data-testid=current-user]") or User.objects.get(
            username=username
        ).full_name in page.inner_text("[data-testid=current-user]")

        expected = expected_names(username)
        response = page.goto(f"{base}/enterprises/?page_size=200")
        if username == "patrol":  # no enterprise lists for the patrol group: told so in Chinese
            assert response.status == 403 and "没有此项操作权限" in page.content()
            assert not page.locator("nav.mainnav a:has-text('排污单位')").count()
            page.goto(f"{base}/")
            page.click("button:has-text('退出')")
            page.wait_for_url(f"{base}/accounts/login/")
            continue
        count = int(page.inner_text("[data-testid=result-count]"))
        assert count == len(expected), (username, count, len(expected))
        if count <= 50:
            shown = set(
                page.locator(
                    "[data-testid=enterprise-table] tbody td:first-child a"
                ).all_inner_texts()
            )
            assert shown == expected, username
        if username in ("ent-zz", "jinshui"):
            response = page.goto(f"{base}/enterprises/{foreign.pk}/")
            assert response.status == 404 and "不在您的管辖范围内" in page.content(), username
        screenshot(page, f"enterprises-{username}")
        page.goto(f"{base}/")
        page.click("button:has-text('退出')")
        page.wait_for_url(f"{base}/accounts/login/")


@pytest.mark.django_db(transaction=True)
def test_county_imports_a_list_on_a_phone_and_sees_errors_by_row(live_server, browser, tmp_path):
    call_command("seed_demo", "--force", verbosity=0)
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = context.new_page()
    base = live_server.url
    login(page, base, "jinshui")
    screenshot(page, "home-jinshui-phone")
    page.goto(f"{base}/enterprises/import/")
    bad = tmp_path / "金水名单.xlsx"
    bad.write_bytes(
        make_xlsx(
            [
                [
                    "91410105MA44XXXXX1",
                    "错误单位",
                    "410105",
                    "地址",
                    "2614",
                    "是",
                    "王",
                    "0371-66309206",
                ]
            ]
        )
    )
    page.set_input_files("#id_file", str(bad))
    page.click("button:has-text('上传并导入')")
    assert "未写入任何数据" in page.inner_text("[data-testid=import-status]")
    errors = page.inner_text("[data-testid=import-errors]")
    assert "统一社会信用代码" in errors and "2" in errors
    screenshot(page, "import-errors-phone")
    with page.expect_download() as download:
        page.click("text=下载错误清单")
    assert download.value.suggested_filename.endswith(".xlsx")
    context.close()
    assert not Enterprise.objects.filter(name="错误单位").exists()
