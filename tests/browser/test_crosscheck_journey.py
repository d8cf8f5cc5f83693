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
    province = VerificationRound.objects.get(level="province", title__contains="省级")
    member = (
        TeamMember.objects.filter(team__round=province, user__username__startswith="nengshou-")
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
