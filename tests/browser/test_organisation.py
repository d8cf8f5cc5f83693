"""Browser journeys of the campaign organisation: pools, liaisons, the public complaint channel."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.management import call_command

from campaign.models import Complaint, LiaisonTable, PoolMembership, User
from tests.browser.conftest import screenshot
from tests.browser.test_journeys import login

pytestmark = [pytest.mark.browser, pytest.mark.service]


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", "--force", verbosity=0)
    cache.clear()


@pytest.mark.django_db(transaction=True)
def test_admin_adds_an_inspector_to_the_pool(live_server, page, demo):
    base = live_server.url
    person = User.objects.get(username="luoyang")
    assert not PoolMembership.objects.filter(user=person, pool="skilled").exists()
    login(page, base, "admin")
    page.goto(f"{base}/organisation/people/?q=陈静")
    page.click("text=陈静")
    page.select_option("#id_pool", "skilled")
    page.check("#id_lead_qualified")
    page.click("button:has-text('加入')")
    assert "已将陈静加入执法能手库" in page.inner_text(".messages")
    assert "执法能手库（异地核查）（可任主办人）" in page.inner_text("[data-testid=memberships]")
    screenshot(page, "person-pool")
    assert PoolMembership.objects.get(user=person, pool="skilled").lead_qualified


@pytest.mark.django_db(transaction=True)
def test_a_city_fills_its_liaisons_and_the_province_sees_them(live_server, page, demo):
    LiaisonTable.objects.filter(city__code="4101").delete()
    base = live_server.url
    login(page, base, "zhengzhou")
    page.goto(f"{base}/organisation/liaisons/edit/")
    rows = page.locator("[data-testid=liaison-row]")
    assert rows.count() == 2
    first, second = "#id_form-0-", "#id_form-1-"
    page.fill(first + "name", "张伟")
    page.fill(first + "unit_position", "郑州市生态环境局 副局长")
    page.fill(first + "office_phone", "0371-67181234")
    page.fill(first + "mobile", "13903711234")
    page.fill(first + "email", "zzhb@example.cn")
    page.fill(second + "name", "刘洋")
    page.fill(second + "unit_position", "执法支队 科长")
    page.fill(second + "office_phone", "67185678")  # no area code: refused
    page.fill(second + "mobile", "13837105678")
    page.fill(second + "email", "liuyang@example.cn")
    page.click("#add-liaison")
    page.fill("#id_form-2-name", "王芳")
    page.fill("#id_form-2-unit_position", "执法支队")
    page.select_option("#id_form-2-duty", "deputy_contact")
    page.fill("#id_form-2-office_phone", "0371-67180000")
    page.fill("#id_form-2-mobile", "13900000000")
    page.fill("#id_form-2-email", "wf@example.cn")
    page.click("button:has-text('保存并报送')")
    assert "固定电话需带区号" in page.content()
    assert page.input_value(first + "name") == "张伟"  # nothing typed is lost
    page.fill(second + "office_phone", "0371-67185678")
    page.click("button:has-text('保存并报送')")
    assert "联络人员信息已报送" in page.inner_text(".messages")
    assert page.locator("[data-testid=liaison-people] tbody tr").count() == 3
    page.click("button:has-text('退出')")
    login(page, base, "province")
    page.goto(f"{base}/organisation/liaisons/")
    row = page.locator("[data-testid=liaison-status] tr", has_text="郑州市")
    assert (
        "逾期报送" in row.inner_text() and "张伟" in row.inner_text()
    )  # the 2020 deadline has passed
    screenshot(page, "liaisons-province")


@pytest.mark.django_db(transaction=True)
def test_public_complaint_tracked_and_concluded_by_the_patrol(live_server, browser, demo):
    base = live_server.url
    public = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN").new_page()
    public.goto(f"{base}/complaints/")
    assert public.inner_text("[data-testid=complaint-phone]") == "0371-66309206"
    public.fill("#id_accused", "安阳核查组一名执法人员")
    public.fill("#id_place", "安阳市龙安区某宾馆")
    public.fill("#id_happened_on", "2020-09-03")
    public.fill("#id_description", "检查期间接受企业安排的宴请。")
    public.fill("#id_reporter_contact", "13700000000")
    public.click("button:has-text('提交举报')")
    code = public.inner_text("[data-testid=tracking-code]").strip()
    assert len(code) == 12
    public.reload()  # the confirmation was reached by a redirect: a reload files nothing again
    assert public.inner_text("[data-testid=tracking-code]").strip() == code
    assert Complaint.objects.filter(description="检查期间接受企业安排的宴请。").count() == 1
    screenshot(public, "complaint-done-phone")
    public.click("text=举报查询页")
    assert "已受理" in public.inner_text("[data-testid=complaint-status]")

    complaint = Complaint.objects.get(tracking_code=code)
    staff = browser.new_context(locale="zh-CN").new_page()
    login(staff, base, "patrol")
    staff.goto(f"{base}/organisation/complaints/{complaint.pk}/")
    assert "13700000000" in staff.inner_text("[data-testid=reporter]")
    staff.select_option("#id_to_status", "investigating")
    staff.fill("#id_note", "约谈核查组组长")
    staff.click("button:has-text('保存')")
    staff.select_option("#id_to_status", "concluded")
    staff.fill("#id_note", "经查属实，当事人已作书面检查，通报批评。")
    staff.click("button:has-text('保存')")
    assert "已办结" in staff.inner_text("[data-testid=complaint-state]")
    screenshot(staff, "complaint-concluded")

    public.goto(f"{base}/complaints/status/?code={code}")
    status = public.inner_text("[data-testid=complaint-status]")
    assert "已办结" in status
    # the reporter reads the conclusion, never the handling notes
    assert "通报批评" in public.inner_text("[data-testid=complaint-conclusion]")
    assert "约谈核查组组长" not in public.content()
