"""Stage 3 by clicking: a county inspector classifies two problems of one unit and opens a case,
proposes the fine with the calculator, the combined notice is served, the enterprise answers online,
the bureau decides, serves and closes; another county cannot see the case."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone

from campaign.models import User
from campaign.selectors.calendar import campaign_current
from cases.models import Case, Notice
from inspections.models import CheckItem
from inspections.services import ledger
from tests.browser.conftest import screenshot
from tests.browser.test_journeys import login
from tests.factories import EnterpriseFactory

pytestmark = [pytest.mark.browser, pytest.mark.service]
UNIT = "金水旅程测试涂装有限公司"


def _unit_with_problems():
    """A 金水 unit of its own (the demo units have cases at every step) with a management gap and
    a violation found on site, and its own enterprise account."""
    campaign = campaign_current()
    unit = EnterpriseFactory(name=UNIT, county=User.objects.get(username="jinshui").region)
    person = User.objects.create_user(
        username="ent-journey",
        password="demo-pass-2020",
        role=User.Role.ENTERPRISE,
        full_name="旅程企业",
    )
    unit.users.add(person)
    items = CheckItem.objects.filter(version__campaigns__campaign=campaign)
    inspector = User.objects.get(username="jinshui")
    for code, text in (
        ("GL-02", "未建立环境保护责任制度"),
        ("HF-08", "未按排污许可证规定的排放口排放"),
    ):
        ledger.problem_record(
            actor=inspector,
            campaign=campaign,
            enterprise=unit,
            item=items.get(code=code),
            source="inspection",
            severity="serious",
            description=text,
            found_at=timezone.now(),
            found_by=inspector,
        )
    return unit


def switch(page, base: str, username: str) -> None:
    """Sign in as another person on the same browser (the sign-in page sends a signed-in user
    home, so the session goes first)."""
    page.context.clear_cookies()
    login(page, base, username)


def step(page, label: str, **fields) -> None:
    panel = page.locator("details.step", has_text=label).first
    panel.locator("summary").click()
    for selector, value in fields.items():
        element = panel.locator(f"[name={selector}]")
        if element.evaluate("e => e.tagName") == "SELECT":
            element.select_option(label=value)
        else:
            element.fill(value)
    panel.locator("button[type=submit]").click()
    page.wait_for_load_state()


@pytest.mark.django_db(transaction=True)
def test_from_the_ledger_to_a_closed_case(live_server, browser):
    call_command("seed_demo", "--force", verbosity=0)
    unit = _unit_with_problems()
    base = live_server.url
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    page.set_default_timeout(20000)
    page.on("dialog", lambda dialog: dialog.accept())

    # 金水's inspector: the management gap to guidance, the violation to a case
    switch(page, base, "jinshui")
    page.click("text=案件办理")
    page.click("nav.subnav >> text=分类处置")
    page.fill("#q", UNIT)
    page.click("form.filters button[type=submit]")
    page.locator("tr", has_text="未建立环境保护责任制度").locator("input[type=checkbox]").check()
    page.select_option("select[name=path]", label="行政指导")
    page.fill("textarea[name=reason]", "责任制度缺失，下达行政指导意见书。")
    page.click("text=确认分类")
    assert "已分类 1 个问题：行政指导" in page.content()
    page.fill("#q", UNIT)
    page.click("form.filters button[type=submit]")
    page.locator("tr", has_text="未按排污许可证").locator("input[type=checkbox]").check()
    page.select_option("select[name=path]", label="依法严格处理")
    page.fill("textarea[name=reason]", "现场检查查实，依法立案。")
    page.select_option(
        "select[name=investigators]", label=["赵磊（41010520001）", "李强（41010520002）"]
    )
    page.click("text=确认分类")
    assert "登记案件 1 件" in page.content()
    case = Case.objects.get(enterprise=unit)
    case_url = f"{base}/cases/{case.pk}/"

    # the 负责人 approves 立案
    switch(page, base, "jinshui-head")
    page.goto(case_url)
    step(page, "批准立案")
    assert "已办理：调查取证" in page.content()

    # the investigator: the calculator proposes the fine, then the report to the reviewer
    switch(page, base, "jinshui")
    page.goto(case_url)
    page.click("text=罚款裁量计算")
    page.click("text=计算并保存为拟处罚款")
    assert "裁量因素" in page.content()
    page.goto(case_url)
    step(
        page,
        "提交调查报告",
        report="经调查，当事人未按排污许可证规定的排放口排放废气。",
        reviewer="刘洋（41010020001）",
    )
    case.refresh_from_db()
    assert case.status == Case.Status.REVIEWING and case.proposed_fine == 100_000

    # the reviewer drafts the combined notice and serves it
    switch(page, base, "zhengzhou")
    page.goto(case_url)
    page.click("text=拟定事先告知书")
    body = page.content()
    assert "共 2 项" in body and "未建立环境保护责任制度" in body
    page.fill("input[name=recipient]", "王经理")
    page.click("text=确认送达")
    errors = page.locator(".error, .errors").all_inner_texts()
    assert "告知书已送达" in page.content(), errors
    notice = Notice.objects.get(enterprise=unit)
    pdf = page.request.get(f"{base}/cases/notices/{notice.pk}/pdf/")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF")
    screenshot(page, "case-notice-served")

    # the enterprise reads it and answers online
    switch(page, base, "ent-journey")
    page.click("nav.mainnav >> text=告知书")
    page.click(f"text={notice.number}")
    page.select_option("select[name=kind]", label="陈述申辩")
    page.fill("textarea[name=text]", "我公司已完成整改，恳请从轻处罚。")
    page.click("#replies button[type=submit]")
    assert "已提交陈述申辩" in page.content()

    # the 负责人 decides; the investigator serves and applies for closing; the 负责人 closes
    switch(page, base, "jinshui-head")
    page.goto(case_url)
    step(page, "作出处罚决定", fine="100000")
    assert "已办理：处罚决定" in page.content()
    switch(page, base, "jinshui")
    page.goto(case_url)
    step(page, "决定书已送达")
    step(page, "执行完毕，申请结案", note="罚款已缴纳")
    switch(page, base, "jinshui-head")
    page.goto(case_url)
    step(page, "批准结案")
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED
    screenshot(page, "case-closed")

    # another county's inspector cannot see it
    switch(page, base, "jianxi")
    response = page.goto(case_url)
    assert response.status == 404
    context.close()
