"""Stage 5 by clicking: the province sets a round's rule, draws its sample before witnesses and
replays it (复核抽取); a team member of the demo's released round signs the integrity commitment,
finds the team's units under 我的核查任务, opens one — and gets 404 for a unit outside the sample."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from crosscheck.models import SampledUnit, TeamMember, VerificationRound
from enterprises.models import Enterprise
from tests.browser.conftest import screenshot
from tests.browser.test_case_journey import switch

pytestmark = [pytest.mark.browser, pytest.mark.service]


@pytest.mark.django_db(transaction=True)
def test_the_province_draws_and_replays_and_a_member_opens_only_the_sample(live_server, page):
    call_command("seed_demo", "--force", verbosity=0)
    base = live_server.url
    page.on("dialog", lambda dialog: dialog.accept())

    # the province: a new round, drawn once before witnesses, then replayed
    switch(page, base, "province")
    page.goto(f"{base}/crosscheck/new/")
    later = timezone.localtime() + dt.timedelta(days=2)
    page.fill("input[name=title]", "旅程核查轮次")
    page.fill("input[name=share]", "20%")
    page.fill("input[name=minimum]", "1")
    page.fill("input[name=weight_violation_without_case]", "3")
    page.fill("input[name=release_at]", later.strftime("%Y-%m-%dT%H:%M"))
    page.fill("input[name=ends_on]", (later.date() + dt.timedelta(days=20)).isoformat())
    page.locator("form.card button[type=submit]").click()
    page.wait_for_load_state()
    assert "请在见证下抽取样本" in page.content()
    page.fill("input[name=witnesses]", "省纪检组 王某")
    page.fill("input[name=seed]", "8848")
    page.locator("[data-testid=draw]").click()
    page.wait_for_load_state()
    row = VerificationRound.objects.get(title="旅程核查轮次")
    assert row.status == VerificationRound.Status.DRAWN
    assert page.locator("[data-testid=seed]").inner_text() == "8848"
    assert page.locator("[data-testid=digest]").inner_text() == row.draw.frame_digest
    rows = page.locator("[data-testid=sample-table] tbody tr").count()
    assert rows == min(100, row.draw.units.count())
    page.locator("[data-testid=replay]").click()
    page.wait_for_load_state()
    assert "复核一致" in page.content()
    screenshot(page, "crosscheck-round-drawn")

    # a member of the demo's released round who has not signed yet
    province = VerificationRound.objects.get(level="province", title__contains="重点排污单位")
    member = (
        TeamMember.objects.filter(
            team__round=province,
            user__username__startswith="nengshou-",
            assignment__commitment__isnull=True,
        )
        .select_related("user", "team")
        .first()
    )
    mine = SampledUnit.objects.filter(
        draw__round=province, city=member.team.target_city
    ).select_related("enterprise")
    sampled = mine.first().enterprise
    outside = (
        Enterprise.objects.filter(city=member.team.target_city)
        .exclude(pk__in=mine.values("enterprise"))
        .first()
    )
    switch(page, base, member.user.username)
    page.goto(f"{base}/crosscheck/my/")
    assert "尚未签署廉洁自律承诺书" in page.content() and sampled.name not in page.content()
    page.locator("text=去签署").first.click()
    page.wait_for_load_state()
    page.check("input[name=agree]")
    page.fill("input[name=signed_name]", member.user.full_name)
    page.locator("form[action$='/sign/'] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("[data-testid=commitment-status]").count() == 1
    page.goto(f"{base}/crosscheck/my/")
    page.locator("[data-testid=my-units]").get_by_text(sampled.name).click()
    page.wait_for_load_state()
    assert "核查情况表" in page.content() and "记录核查发现" in page.content()
    page.locator("text=查看该单位的自查、检查、问题、案件和整改记录").click()
    page.wait_for_load_state()
    assert sampled.name in page.content() and page.url.endswith(f"/enterprises/{sampled.pk}/")
    screenshot(page, "crosscheck-member-unit")
    response = page.goto(f"{base}/enterprises/{outside.pk}/")
    assert response.status == 404


def _draw_signature(page) -> None:
    pad = page.locator("form.record-sign canvas")
    box = pad.bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + 40)
    page.mouse.down()
    page.mouse.move(box["x"] + 120, box["y"] + 90, steps=8)
    page.mouse.move(box["x"] + 220, box["y"] + 30, steps=8)
    page.mouse.up()


@pytest.mark.django_db(transaction=True)
def test_a_team_records_a_finding_naming_who_handled_it_signs_and_the_city_answers(
    live_server, page
):
    from crosscheck.models import Accountability, VerificationRecord

    call_command("seed_demo", "--force", verbosity=0)
    base = live_server.url
    page.on("dialog", lambda dialog: dialog.accept())
    # the 洛阳 team's second unit: its record is still being written
    record = VerificationRecord.objects.select_related("unit__enterprise", "team").get(
        status="draft"
    )
    members = list(record.team.members.select_related("user"))
    before = Accountability.objects.count()

    switch(page, base, members[0].user.username)
    page.goto(f"{base}/crosscheck/units/{record.unit_id}/")
    form = page.locator("[data-testid=finding-form]")
    form.locator("select[name=code]").select_option("not_filed")
    form.locator("textarea[name=description]").fill("案件办理中发现的违法行为未立案")
    form.locator("select[name=about]").select_option(index=1)
    # a county officer who handled the unit (the city answers for them)
    from campaign.models import User
    from crosscheck.services.record import handlers

    handled = handlers(record.unit.enterprise_id)
    person = User.objects.filter(pk__in=handled, region__level="county").order_by("pk").first()
    form.locator("select[name=people]").select_option(
        f"{person.pk}:{sorted(handled[person.pk])[0]}"
    )
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "已记录核查发现" in page.content()
    named = page.locator("[data-testid=findings] tbody tr").last.inner_text()
    assert "应立案未立案" in named
    for m in members:
        switch(page, base, m.user.username)
        page.goto(f"{base}/crosscheck/units/{record.unit_id}/")
        page.fill("form.record-sign textarea[name=summary]", "核查了现场检查记录、案件和整改台账")
        _draw_signature(page)
        page.locator("form.record-sign button[type=submit]").click()
        page.wait_for_load_state()
        assert "已签名" in page.content() or "已签署" in page.content()
    assert page.locator("[data-testid=record-status]").inner_text() == "已签署"
    screenshot(page, "crosscheck-record-signed")
    row = Accountability.objects.order_by("-pk").select_related("person").first()
    assert Accountability.objects.count() == before + 1

    # the province and the person's city find it; the city answers
    switch(page, base, "province")
    page.goto(f"{base}/crosscheck/accountability/")
    assert row.person.full_name in page.locator("[data-testid=accountability-table]").inner_text()
    switch(page, base, "luoyang")
    page.goto(f"{base}/crosscheck/accountability/{row.pk}/")
    page.fill("textarea[name=response]", "已调查核实，对承办人进行谈话提醒")
    page.locator("[data-testid=respond-form] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("[data-testid=accountability-status]").inner_text() == "市局已反馈"

    # every record of the round is signed now: the province closes it, the member's reach ends
    switch(page, base, "province")
    page.goto(f"{base}/crosscheck/{record.unit.draw.round_id}/")
    page.fill("[data-testid=close-round] textarea[name=note]", "各组均已完成核查")
    page.locator("[data-testid=close]").click()
    page.wait_for_load_state()
    assert page.locator("[data-testid=round-status]").inner_text() == "已结束"
    assert "查阅权限已收回" in page.content()
    switch(page, base, members[0].user.username)
    assert page.goto(f"{base}/crosscheck/units/{record.unit_id}/").status == 404
