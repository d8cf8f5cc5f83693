"""Stage 2 on a phone: jinshui inspects ent-zz's unit through a dropped connection, with a photo and
signatures; the PDF is the Chinese form; jianxi cannot open it; the expert on the team can."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from campaign.models import User
from inspections.models import Evidence, Inspection, Problem
from tests.browser.conftest import screenshot
from tests.browser.test_journeys import DEMO_PASSWORD, login

pytestmark = [pytest.mark.browser, pytest.mark.service]


def jpeg_with_exif() -> bytes:
    """A 2000×1500 photo with the time and place it was taken, as a phone camera writes them."""
    from PIL import Image

    image = Image.new("RGB", (2000, 1500), (120, 160, 90))
    exif = Image.Exif()
    exif[0x8769] = {0x9003: "2020:05:12 10:21:33"}
    exif[0x8825] = {1: "N", 2: (34.0, 45.0, 28.44), 3: "E", 4: (113.0, 39.0, 55.44)}
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=95, exif=exif)
    return out.getvalue()


def draw(page, selector):
    page.locator(selector).scroll_into_view_if_needed()
    box = page.locator(selector).bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + 40)
    page.mouse.down()
    for step in range(1, 12):
        page.mouse.move(box["x"] + 20 + step * 18, box["y"] + 40 + (step % 3) * 15)
    page.mouse.up()


@pytest.mark.django_db(transaction=True)
def test_inspector_completes_the_record_on_a_phone(live_server, browser, tmp_path):
    call_command("seed_demo", "--force", verbosity=0)
    base = live_server.url
    inspection = Inspection.objects.get(enterprise__users__username="ent-zz", status="planned")
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="zh-CN", has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(30000)
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, base, "jinshui")
    page.goto(f"{base}/inspections/{inspection.pk}/")
    page.click("button:has-text('开始检查')")
    findings = list(
        inspection.findings.select_related("item").order_by("item__area", "item__order")
    )
    problem = next(f for f in findings if f.item.area == "facilities")
    for f in findings:
        page.check(f"#f-{f.pk} input[value={'problem' if f.pk == problem.pk else 'ok'}]")
    page.fill(f"#id_f{problem.pk}-description", "活性炭吸附装置未更换，废气直排")
    page.select_option(f"#id_f{problem.pk}-severity", "serious")
    try:
        page.wait_for_selector("[data-testid=sync-status].saved")
    except Exception:
        raise AssertionError(
            page.evaluate(
                "document.getElementById('sync-status').textContent + ' | ' + "
                "Array.from(document.querySelectorAll('.save-state')).map(e => e.textContent)"
                ".filter(Boolean).join(' / ')"
            )
        ) from None

    context.set_offline(True)
    page.fill(f"#id_f{problem.pk}-sampling_numbers", "JS-0512-01")
    page.wait_for_selector("[data-testid=sync-status].unsaved")
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    try:
        page.wait_for_selector("[data-testid=sync-status].saved")
    except Exception:
        raise AssertionError(
            page.evaluate(
                "document.getElementById('sync-status').textContent + ' | ' + "
                "Array.from(document.querySelectorAll('.save-state')).map(e => e.textContent)"
                ".filter(Boolean).join(' / ')"
            )
        ) from None

    photo = tmp_path / "现场.jpg"
    photo.write_bytes(jpeg_with_exif())
    # taken while the connection is down: kept on the phone, sent when it returns
    context.set_offline(True)
    page.set_input_files(f"#f-{problem.pk} input[type=file]", str(photo))
    page.click(f"#f-{problem.pk} button:has-text('上传')")
    page.wait_for_selector(f"#f-{problem.pk} .upload-state:has-text('保存在手机上')")
    assert "联网后自动上传" in page.inner_text("[data-testid=outbox-status]")
    assert not Evidence.objects.filter(findings=problem).exists()
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    # (an expect, not wait_for_function: the page's Content-Security-Policy forbids eval)
    expect(page.locator("[data-testid=outbox-status]")).to_have_text("")
    evidence = Evidence.objects.get(findings=problem)
    assert evidence.size < len(photo.read_bytes())  # made smaller on the phone
    assert evidence.taken_at is not None and round(float(evidence.latitude), 3) == 34.758

    page.fill("#id_ended_at", page.input_value("#id_started_at")[:11] + "23:59")
    page.fill("#id_representative_name", "吴华")
    page.select_option("#id_recorder", label="李强")
    page.select_option("#id_suggestion", "correct")
    page.click("button:has-text('保存基本情况')")
    try:
        page.wait_for_selector("[data-testid=sync-status].saved")
    except Exception:
        status = (
            page.inner_text("[data-testid=sync-status]")
            + " | "
            + page.inner_text("#header .save-state")
        )
        raise AssertionError(status) from None
    draw(page, "[data-testid=sign-representative] canvas")
    page.click("button:has-text('保存企业签名')")
    page.wait_for_selector("img[alt=企业签名]")
    draw(page, "[data-testid=sign-me] canvas")
    page.click("button:has-text('保存本人签名')")
    page.wait_for_selector("#signatures li img[alt=签名]")
    screenshot(page, "inspection-phone")
    # the second inspector signs on the same phone, confirming with their own password
    second = User.objects.get(username="jinshui-2")
    pad = f"[data-testid=sign-member-{second.pk}]"
    page.fill(f"{pad} input[name=signer_password]", "wrong-password")
    draw(page, f"{pad} canvas")
    page.click(f"{pad} button:has-text('保存李强的签名')")
    page.wait_for_timeout(1000)  # refused (the dialog is accepted): nothing signed in their name
    assert not inspection.members.get(user=second).signature
    page.fill(f"{pad} input[name=signer_password]", DEMO_PASSWORD)
    draw(page, f"{pad} canvas")
    page.click(f"{pad} button:has-text('保存李强的签名')")
    page.wait_for_selector("#signatures li:has-text('李强') img")
    assert "吴华" in page.inner_text(
        "#signatures"
    )  # the representative's name with their signature
    page.reload()
    page.click("button:has-text('提交检查记录')")
    missing = page.locator("[data-testid=missing]")
    assert page.inner_text("[data-testid=inspection-status]") == "已提交", (
        missing.inner_text() if missing.count() else ""
    )
    problem_row = Problem.objects.get(inspection=inspection)
    assert (
        problem_row.description == "活性炭吸附装置未更换，废气直排"
        and problem_row.sampling_numbers == "JS-0512-01"
    )
    response = page.goto(f"{base}/inspections/{inspection.pk}/pdf/")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"

    outsider = browser.new_context(locale="zh-CN").new_page()
    login(outsider, base, "jianxi")
    assert outsider.goto(f"{base}/inspections/{inspection.pk}/").status == 404
    expert = browser.new_context(locale="zh-CN").new_page()
    login(expert, base, "expert")
    assert expert.goto(f"{base}/inspections/{inspection.pk}/").status == 200
    assert "活性炭吸附装置未更换" in expert.content()
