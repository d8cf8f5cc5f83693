"""A new user's first hour: each demo role walks the journey the README recommends for it, from
the home page by clicking (no address is typed after signing in), on a phone for the inspector and
the enterprise, and never meets an English word a Chinese user would not read, an error page or a
dead end."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from campaign.models import Complaint
from inspections.models import Inspection, SelfCheck
from tests.browser.test_journeys import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.service]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
# Latin words the trade itself writes (file types, standards, pollutant and technique names)
KNOWN = {"PDF", "Excel", "GB", "MB", "KB", "VOCs", "LDAR", "COD", "GPS", "PIN"}
WORD = re.compile(r"(?<![A-Za-z0-9_@./:-])[A-Za-z]{2,}(?![A-Za-z0-9_@-])")
TRACKING_CODE = re.compile(r"^[A-Z]{12}$")  # a complaint's code is 12 capitals and digits
SEEN_TEXT = """() => {
  const parts = [document.title, document.body.innerText];
  for (const el of document.querySelectorAll('[placeholder], [title], [aria-label], img[alt]')) {
    for (const name of ['placeholder', 'title', 'aria-label', 'alt']) {
      if (el.getAttribute(name)) parts.push(el.getAttribute(name));
    }
  }
  return parts.join('\\n');
}"""


def english_words(text: str) -> set[str]:
    return {
        word for word in WORD.findall(text) if word not in KNOWN and not TRACKING_CODE.match(word)
    }


def test_the_detector_finds_english_and_passes_what_the_trade_writes():
    assert english_words("提交 Submit 的 evidence（PDF、Excel）") == {"Submit", "evidence"}
    assert english_words("VOCs 治理 LDAR 检测 GB/T 4754 91410105MA44XXXXX1 KEDKYCHHQYBB") == set()
    assert english_words("Page not found") == {"Page", "not", "found"}


class Walk:
    """One signed-in user clicking through the app; every page reached is checked as it loads."""

    def __init__(self, browser, base: str, username: str, viewport: dict):
        self.context = browser.new_context(
            viewport=viewport, locale="zh-CN", timezone_id="Asia/Shanghai", has_touch=True
        )
        self.page = self.context.new_page()
        self.page.set_default_timeout(20000)
        self.page.on("dialog", lambda dialog: dialog.accept())  # the confirmations say yes
        self.base, self.username = base, username
        self.failures: list[str] = []
        self.page.on("response", self._response)
        self.page.goto(f"{base}/accounts/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", DEMO_PASSWORD)
        self.page.click("button[type=submit]")
        self.page.wait_for_url(f"{base}/")
        self.check()

    def _response(self, response) -> None:
        if response.request.resource_type == "document" and response.status >= 400:
            self.failures.append(f"{response.status} {response.url}")

    def check(self) -> None:
        self.page.wait_for_load_state()
        words = english_words(self.page.evaluate(SEEN_TEXT))
        if words:
            self.failures.append(f"{self.page.url}: {sorted(words)}")

    def click(self, selector: str) -> None:
        self.page.locator(selector).first.click()
        self.check()

    def menu(self, label: str) -> None:
        """The main menu; on a phone it opens behind 菜单 first."""
        toggle = self.page.locator("label.nav-toggle-label")
        if toggle.is_visible():
            toggle.click()
        self.click(f"nav.mainnav a:text-is('{label}')")

    def sub(self, label: str) -> None:
        self.click(f"nav.subnav a:text-is('{label}')")

    def home(self) -> None:
        self.click("a.brand")

    def close(self) -> None:
        self.context.close()
        assert not self.failures, (self.username, self.failures)


@pytest.mark.django_db(transaction=True)
def test_each_role_walks_its_readme_journey_by_clicking(live_server, browser):
    call_command("seed_demo", "--force", verbosity=0)
    base = live_server.url
    visit = Inspection.objects.get(enterprise__users__username="ent-zz", status="planned")

    # jinshui, on a phone: tomorrow's visit from 现场检查, started; then a self-check filed
    walk = Walk(browser, base, "jinshui", PHONE)
    walk.menu("现场检查")
    walk.click(f"[data-testid=inspection-table] a[href='/inspections/{visit.pk}/']")
    walk.click("button:has-text('开始检查')")
    expect(walk.page.locator(".section-index").first).to_be_visible()
    assert Inspection.objects.get(pk=visit.pk).status == "in_progress"
    walk.menu("企业自查")
    walk.click("p.filters a:has-text('已提交，待备案')")
    waiting = walk.page.locator("[data-testid=self-check-table] tbody a").first.inner_text()
    walk.click("[data-testid=self-check-table] tbody a")
    walk.page.fill("#review textarea", "材料齐全，予以备案。")
    walk.click("#review button:has-text('备案')")
    filed = SelfCheck.objects.get(enterprise__name=waiting, campaign__is_current=True)
    assert filed.status == "filed"
    walk.close()

    # ent-zz, on a phone: the unit's self-check table (late now, still open to fill), then its
    # submitted inspection record
    walk = Walk(browser, base, "ent-zz", PHONE)
    walk.menu("企业自查")
    walk.click("[data-testid=my-self-checks] button:has-text('开始填写自查表')")
    expect(walk.page.locator("[data-testid=section-index]")).to_be_visible()
    expect(walk.page.locator("form[data-autosave]").first).to_be_visible()
    walk.home()
    walk.click("a:has-text('现场检查记录')")
    expect(walk.page.locator("a:has-text('PDF')").first).to_be_visible()
    assert walk.page.locator("[data-autosave]").count() == 0  # read-only for the enterprise
    walk.close()

    # zhengzhou: coverage and the units that have not submitted; the ledger and its counts;
    # the key units' progress; the city's own stage window and its liaison table
    walk = Walk(browser, base, "zhengzhou", DESKTOP)
    walk.menu("企业自查")
    walk.sub("自查覆盖情况")
    expect(walk.page.locator("[data-testid=coverage-total]")).to_be_visible()
    walk.click("[data-testid=coverage-table] tbody td:last-child a")
    expect(walk.page.locator("[data-testid=missing-table]")).to_be_visible()
    walk.menu("问题台账")
    walk.sub("问题统计")
    walk.click("[data-testid=problem-counts] tbody a")
    expect(walk.page.locator("[data-testid=narrowed]")).to_be_visible()
    walk.menu("现场检查")
    expect(walk.page.locator("[data-testid=plan-progress-total]")).to_be_visible()
    walk.menu("组织与廉洁")
    expect(walk.page.locator("h1")).to_contain_text("日历")
    walk.sub("联络人员（附件7）")
    expect(walk.page.locator("[data-testid=liaison-status]")).to_contain_text("郑州市")
    walk.close()

    # province: the whole province's counts; the roster, pools, liaisons; the cross-region tasks
    walk = Walk(browser, base, "province", DESKTOP)
    walk.menu("问题台账")
    walk.sub("问题统计")
    walk.menu("组织与廉洁")
    for label in ("组织机构", "人员库", "人员", "联络人员（附件7）", "异地任务与廉洁"):
        walk.sub(label)
    walk.click("[data-testid=assignment-table] tbody a")
    expect(walk.page.locator("h1")).to_be_visible()
    walk.close()

    # expert: the one inspection they advise, read-only
    walk = Walk(browser, base, "expert", DESKTOP)
    walk.click("[data-testid=my-inspection] a")
    expect(walk.page.locator("h1")).to_contain_text("现场检查")
    assert walk.page.locator("[data-autosave]").count() == 0
    walk.close()

    # patrol: a complaint from 已受理 to 调查中, then concluded
    walk = Walk(browser, base, "patrol", DESKTOP)
    walk.menu("组织与廉洁")
    walk.sub("群众举报")
    walk.click("p.filters a:has-text('已受理')")
    code = walk.page.locator("[data-testid=complaint-table] tbody a").first.inner_text()
    walk.click("[data-testid=complaint-table] tbody a")
    walk.page.select_option("select[name=to_status]", "investigating")
    walk.page.fill("textarea[name=note]", "已约谈相关人员。")
    walk.click("button:has-text('保存')")
    walk.page.select_option("select[name=to_status]", "concluded")
    walk.page.fill("textarea[name=note]", "经核查，情况不属实。")
    walk.click("button:has-text('保存')")
    assert Complaint.objects.get(tracking_code=code).status == "concluded"
    walk.close()

    # admin: the calendar, the roster and the pools; the administration pages in Chinese
    walk = Walk(browser, base, "admin", DESKTOP)
    walk.menu("组织与廉洁")
    walk.sub("组织机构")
    walk.sub("人员库")
    walk.menu("系统管理")
    expect(walk.page.locator("#site-name")).to_contain_text("一体化执法平台")
    walk.close()
