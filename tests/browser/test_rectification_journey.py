"""Stage 4 by clicking, on a phone: the enterprise reports progress and uploads a large evidence
photo through a dropped connection (it resumes, it does not start again), applies for 销号; the
county verifies on site and closes; an overdue item shows on both home pages."""

from __future__ import annotations

import datetime as dt
import io
import random

import pytest
from django.core.management import call_command
from django.utils import timezone

from campaign.models import User
from campaign.selectors.calendar import campaign_current
from inspections.models import CheckItem, Problem
from inspections.services import ledger
from rectification.models import ItemEvidence, RectificationItem
from rectification.services import plan as plan_services
from rectification.services import verification
from tests.browser.conftest import screenshot
from tests.browser.test_case_journey import switch
from tests.factories import EnterpriseFactory

pytestmark = [pytest.mark.browser, pytest.mark.service]
UNIT = "金水整改旅程测试有限公司"
PHONE = {"width": 390, "height": 844}


def _plan():
    """A 金水 unit of its own with two problems in its plan: one to rectify now, one overdue."""
    campaign = campaign_current()
    unit = EnterpriseFactory(name=UNIT, county=User.objects.get(username="jinshui").region)
    person = User.objects.create_user(
        username="ent-rectify",
        password="demo-pass-2020",
        role=User.Role.ENTERPRISE,
        full_name="整改企业",
    )
    unit.users.add(person)
    items = CheckItem.objects.filter(version__campaigns__campaign=campaign)
    inspector = User.objects.get(username="jinshui")
    for code, text in (
        ("SS-04", "活性炭吸附装置未按期更换活性炭"),
        ("GL-10", "未建立隐患排查整改台账"),
    ):
        ledger.problem_record(
            actor=inspector,
            campaign=campaign,
            enterprise=unit,
            item=items.get(code=code),
            source="inspection",
            description=text,
            found_at=timezone.now() - dt.timedelta(days=20),
            found_by=inspector,
        )
    plan = plan_services.plan_build(actor=inspector, enterprise=unit)
    now, overdue = plan.items.order_by("number")
    today = timezone.localdate()
    plan_services.item_update(
        actor=inspector,
        item=now,
        values={"deadline": today + dt.timedelta(days=20), "supervisor": inspector},
        measures=["更换活性炭"],
        milestones=[("活性炭更换完成", today)],
    )
    plan_services.item_update(
        actor=inspector,
        item=overdue,
        values={"deadline": today - dt.timedelta(days=2), "supervisor": inspector},
        measures=["建立台账"],
    )
    verification.overdue_run(today)
    return now, overdue


def _big_photo() -> bytes:
    """A photo of about 1 MB: more than one piece of 512 KB."""
    from PIL import Image

    rng = random.Random(7)
    image = Image.frombytes(
        "RGB", (900, 900), bytes(rng.randrange(256) for _ in range(900 * 900 * 3))
    )
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


@pytest.mark.django_db(transaction=True)
def test_the_enterprise_proves_its_rectification_from_a_phone(live_server, browser):
    call_command("seed_demo", "--force", verbosity=0)
    item, overdue = _plan()
    base = live_server.url
    context = browser.new_context(
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    page.set_default_timeout(30000)
    page.on("dialog", lambda dialog: dialog.accept())

    # the enterprise: both items are on its home page, one overdue
    switch(page, base, "ent-rectify")
    overdue_list = page.locator("[data-testid=home-overdue]").inner_text()
    assert UNIT in overdue_list and overdue.problem.item.title in overdue_list
    page.goto(f"{base}/rectification/items/{item.pk}/")

    # progress on the milestone
    form = page.locator("[data-testid=progress-form]")
    form.locator("select[name=milestone]").select_option(label="活性炭更换完成")
    form.locator("input[name=milestone_done]").check()
    form.locator("textarea[name=text]").fill("已更换全部活性炭，更换记录已建立")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "整改进展已报送" in page.content()

    # the photo goes up in pieces; the second piece is lost on the way: it resumes from the server
    sent_offsets = []
    dropped = []

    def cut_once(route):
        request = route.request
        if request.method == "PATCH":
            offset = request.headers.get("upload-offset")
            if offset != "0" and not dropped:
                dropped.append(offset)
                route.abort("connectionreset")
                return
            sent_offsets.append(offset)
        route.continue_()

    page.route("**/api/v1/uploads/**", cut_once)
    photo = _big_photo()
    form = page.locator("[data-testid=evidence-form]")
    form.locator("select[name=kind]").select_option("photo")
    form.locator("input[name=file]").set_input_files(
        files=[{"name": "更换后.jpg", "mimeType": "image/jpeg", "buffer": photo}]
    )
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"{base}/rectification/items/{item.pk}/", wait_until="load")
    page.wait_for_selector("text=佐证材料已上传")
    assert dropped, "the connection was never cut"
    assert sent_offsets.count("0") == 1  # never started again
    pieces = -(-len(photo) // (512 * 1024))
    assert pieces >= 2 and len(sent_offsets) == len(set(sent_offsets)) == pieces
    stored = ItemEvidence.objects.get(item=item)
    assert stored.evidence.size == len(photo) and stored.kind == "photo"
    screenshot(page, "rectification-enterprise-phone")

    # the measure done, then 申请销号
    page.locator("[data-testid=measures] button").first.click()
    page.wait_for_load_state()
    page.locator("#apply button[type=submit]").click()
    page.wait_for_load_state()
    assert "已申请销号" in page.content()

    # the county verifies on site with a second officer and closes it
    switch(page, base, "jinshui")
    assert page.locator("[data-testid=home-overdue]").inner_text().count(UNIT) == 1
    page.goto(f"{base}/rectification/items/{item.pk}/")
    form = page.locator("[data-testid=check-form]")
    form.locator("input[name=method][value=site]").check()
    form.locator("select[name=officers]").select_option(
        label=["赵磊（41010520001）", "李强（41010520002）"]
    )
    form.locator("textarea[name=conclusion]").fill("现场核查：活性炭已更换，更换台账齐全")
    form.locator("input[name=close][value='1']").check()
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "已销号" in page.content()
    item.refresh_from_db()
    assert item.status == RectificationItem.Status.CLOSED
    assert Problem.objects.get(pk=item.problem_id).status == Problem.Status.CLOSED
    screenshot(page, "rectification-county-closed")

    # another county sees none of it
    switch(page, base, "jianxi")
    response = page.goto(f"{base}/rectification/items/{item.pk}/")
    assert response.status == 404
    context.close()
