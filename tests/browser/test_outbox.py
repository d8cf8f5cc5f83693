"""The phone's outbox in real Chromium: what is queued offline survives the end of the session and
goes up after the inspector signs in again; another user on the same tablet never sends it; an entry
the server refuses shows the server's reason and can be discarded."""

from __future__ import annotations

import time

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from playwright.sync_api import expect

from campaign.models import User
from inspections.models import Evidence, Inspection, InspectionFinding
from inspections.services import onsite
from tests.browser.test_inspection import jpeg_with_exif
from tests.browser.test_journeys import login

pytestmark = [pytest.mark.browser, pytest.mark.service]


def _until(check, seconds: float = 20.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.3)
    return check()


def _online(page):
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")


@pytest.mark.django_db(transaction=True)
def test_queued_line_and_photo_survive_the_session_and_wait_for_their_owner(
    live_server, browser, tmp_path
):
    call_command("seed_demo", "--force", verbosity=0)
    base = live_server.url
    inspection = Inspection.objects.get(enterprise__users__username="ent-zz", status="planned")
    onsite.inspection_start(actor=User.objects.get(username="jinshui"), inspection=inspection)
    line = inspection.findings.select_related("item").order_by("item__area", "item__order")[0]
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(20000)
    page.on("dialog", lambda dialog: dialog.accept())
    keys = []  # every write the outbox sends carries its entry's Idempotency-Key
    page.on(
        "request",
        lambda r: (
            keys.append(r.headers.get("idempotency-key"))
            if r.method == "POST" and "/api/" in r.url
            else None
        ),
    )
    login(page, base, "jinshui")
    page.goto(f"{base}/inspections/{inspection.pk}/")

    # offline on site: a line and a photo are kept on the phone
    context.set_offline(True)
    page.check(f"#f-{line.pk} input[value=ok]")
    page.wait_for_selector("[data-testid=sync-status].unsaved")
    photo = tmp_path / "现场.jpg"
    photo.write_bytes(jpeg_with_exif())
    page.set_input_files(f"#f-{line.pk} input[type=file]", str(photo))
    page.click(f"#f-{line.pk} button:has-text('上传')")
    expect(page.locator("[data-testid=outbox-status]")).to_contain_text("联网后自动上传")

    # the session ends while the phone is offline; the connection comes back
    Session.objects.all().delete()
    _online(page)
    expect(page.locator("[data-testid=outbox]")).to_contain_text("登录已过期")
    assert InspectionFinding.objects.get(pk=line.pk).result == ""
    assert not Evidence.objects.filter(findings=line).exists()

    # the second inspector signs in on the same tablet: the entries are not theirs to send
    login(page, base, "jinshui-2")
    page.goto(f"{base}/inspections/{inspection.pk}/")
    expect(page.locator("[data-testid=outbox-others]")).to_contain_text("将在其本人登录后发送")
    page.wait_for_timeout(1500)
    assert InspectionFinding.objects.get(pk=line.pk).result == ""
    assert not Evidence.objects.filter(findings=line).exists()

    # the owner signs in again: everything queued goes up, under their own name
    Session.objects.all().delete()
    login(page, base, "jinshui")
    assert _until(lambda: InspectionFinding.objects.get(pk=line.pk).result == "ok")
    assert _until(lambda: Evidence.objects.filter(findings=line).exists())
    finding = InspectionFinding.objects.get(pk=line.pk)
    assert finding.updated_by.username == "jinshui"
    assert Evidence.objects.get(findings=line).uploaded_by.username == "jinshui"
    expect(page.locator("[data-testid=outbox]")).to_be_hidden()
    sent = [k for k in keys if k is not None]
    assert len(sent) == len(keys) >= 2 and all(len(k) == 32 for k in sent)

    # an entry the server refuses: the reason is shown, and it can be discarded after confirming
    page.goto(f"{base}/inspections/{inspection.pk}/")
    page.fill("#id_started_at", "2026-12-03T10:00")
    page.fill("#id_ended_at", "2026-12-03T09:00")
    page.click("button:has-text('保存基本情况')")
    refused = page.locator("[data-testid=outbox-refused]")
    expect(refused).to_contain_text("检查结束时间不能早于开始时间")
    expect(page.locator("[data-testid=sync-status]")).to_contain_text("未通过校验")
    page.reload()  # a refused entry stays on the device until the user decides
    expect(refused).to_contain_text("检查结束时间不能早于开始时间")
    refused.locator("button:has-text('放弃')").click()
    expect(page.locator("[data-testid=outbox]")).to_be_hidden()
    page.reload()
    expect(page.locator("[data-testid=outbox]")).to_be_hidden()
    assert Inspection.objects.get(pk=inspection.pk).ended_at is None
    context.close()
