"""Stage 1 in the browser: ent-zz fills and submits, through a dropped connection; jinshui files it."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from inspections.models import Problem, SelfCheck
from tests.browser.conftest import screenshot
from tests.browser.test_journeys import login

pytestmark = [pytest.mark.browser, pytest.mark.service]
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc000000301010018dd8db40000000049454e44ae426082"
)


@pytest.mark.django_db(transaction=True)
def test_enterprise_fills_submits_and_county_files(live_server, browser, tmp_path):
    call_command("seed_demo", "--force", verbosity=0)
    base = live_server.url
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(30000)

    def accept(dialog):
        dialog.accept()

    page.on("dialog", accept)
    login(page, base, "ent-zz")
    page.goto(f"{base}/self-checks/")
    page.click("button:has-text('开始填写自查表')")
    sc = SelfCheck.objects.get(enterprise__users__username="ent-zz")
    answers = list(sc.answers.select_related("item").order_by("item__area", "item__order"))
    assert len(answers) >= 40  # the real catalogue, filtered by the unit's registry data

    # one item not compliant; then each section's remaining items marked 符合 in one step
    nc = answers[0]
    page.check(f"#item-{nc.pk} input[value=noncompliant]")
    index = page.locator("[data-testid=section-index]")
    assert "1/" in index.inner_text()  # the index counts what is answered per section
    for button in page.locator("button.mark-rest").all():
        if button.is_visible():
            button.click()  # the confirmation is accepted by the dialog handler
    for count in page.locator(".section-head [data-count]").all():
        expect(count).to_have_class(re.compile(r"\bok\b"))
    assert not page.locator("button.mark-rest:visible").count()
    page.fill(f"#id_a{nc.pk}-problem", "环保责任制未分解到车间和岗位")
    page.fill(f"#id_a{nc.pk}-measure", "5 月 15 日前印发责任分解表")
    page.fill(f"#id_a{nc.pk}-deadline", "2020-05-15")
    page.fill(f"#id_a{nc.pk}-responsible", "吴华")
    page.wait_for_selector("[data-testid=sync-status].saved")

    # the connection drops while typing: the change is kept and shown as not yet saved
    context.set_offline(True)
    page.fill(f"#id_a{nc.pk}-responsible", "吴华（环保科）")
    page.wait_for_selector("[data-testid=sync-status].unsaved")
    assert "尚未保存到服务器" in page.inner_text("[data-testid=sync-status]")
    screenshot(page, "self-check-offline")
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_selector("[data-testid=sync-status].saved")
    nc.refresh_from_db()
    assert nc.responsible == "吴华（环保科）", page.inner_text(f"#item-{nc.pk} .save-state")
    assert not sc.answers.filter(result="").exists()  # every item marked reached the server

    photo = tmp_path / "现场.png"
    photo.write_bytes(PNG)
    page.set_input_files(f"#item-{nc.pk} input[type=file]", str(photo))
    page.click(f"#item-{nc.pk} button:has-text('上传')")
    assert "已上传" in page.inner_text(".messages")
    # the item has evidence now: turning it 符合 asks first; declined, nothing changes
    asked = []
    page.remove_listener("dialog", accept)
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.click(f"#item-{nc.pk} input[value=compliant]")
    assert asked and "证据材料" in asked[0]
    assert page.is_checked(f"#item-{nc.pk} input[value=noncompliant]")
    assert "noncompliant" in page.get_attribute(f"#item-{nc.pk}", "class")  # fields still shown
    page.on("dialog", accept)

    page.fill("#id_filled_on", "2020-04-21")
    page.check("#id_declaration")
    page.click("button:has-text('保存表头')")
    page.click("button:has-text('提交备案')")
    assert "自查情况表已提交" in page.inner_text(".messages")
    assert page.inner_text("[data-testid=self-check-status]") == "已提交，待备案"
    context.close()

    staff = browser.new_context(locale="zh-CN").new_page()
    staff.on("dialog", lambda dialog: dialog.accept())
    login(staff, base, "jinshui")
    staff.goto(f"{base}/self-checks/?status=submitted")
    staff.click(f"text={sc.enterprise.name}")
    staff.click("#review button:has-text('备案')")
    assert "已备案" in staff.inner_text("[data-testid=self-check-status]")
    staff.goto(f"{base}/problems/?self_found=1")
    assert "环保责任制未分解到车间和岗位" in staff.inner_text("[data-testid=problem-table]")
    screenshot(staff, "problems-jinshui")
    problem = Problem.objects.get(self_check_answer=nc)
    assert problem.evidence.count() == 1 and problem.self_found
    response = staff.goto(f"{base}/self-checks/{sc.pk}/pdf/")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"

    for outsider in ("ent-ly", "jianxi"):
        other = browser.new_context(locale="zh-CN").new_page()
        login(other, base, outsider)
        assert other.goto(f"{base}/self-checks/{sc.pk}/").status == 404
        assert other.goto(f"{base}/problems/{problem.pk}/").status == 404
        other.goto(f"{base}/problems/")
        assert "环保责任制未分解到车间和岗位" not in other.content()
