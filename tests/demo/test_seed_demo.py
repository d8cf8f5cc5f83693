"""The demo data: complete, idempotent, and never written with DEBUG off unless forced."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from campaign import access
from campaign.models import Campaign, Region, User
from enterprises.models import Enterprise
from inspections.models import Problem


def test_seed_is_complete_and_idempotent(db):
    call_command("seed_demo", "--force", verbosity=0)
    counts = Enterprise.objects.count(), User.objects.count(), Campaign.objects.count()
    call_command("seed_demo", "--force", verbosity=0)
    assert (Enterprise.objects.count(), User.objects.count(), Campaign.objects.count()) == counts

    every_city = set(Region.objects.filter(level="city").values_list("pk", flat=True))
    assert set(Enterprise.objects.values_list("city_id", flat=True)) == every_city
    campaign = Campaign.objects.get(is_current=True)
    assert campaign.windows.filter(city__isnull=True).count() == 7
    # 郑州 shifted its inspection window; 洛阳's own rectification window has just ended (stage 4)
    assert sorted(
        campaign.windows.filter(city__isnull=False).values_list("city__code", flat=True)
    ) == ["4101", "4103"]
    for username in [
        "admin",
        "province",
        "zhengzhou",
        "luoyang",
        "jinshui",
        "jianxi",
        "expert",
        "patrol",
        "ent-zz",
        "ent-ly",
    ]:
        assert User.objects.get(username=username).check_password("demo-pass-2020")
    ent_zz = User.objects.get(username="ent-zz")
    assert list(ent_zz.enterprises.values_list("county__code", flat=True)) == ["410105"]
    ent_ly = User.objects.get(username="ent-ly")
    assert list(ent_ly.enterprises.values_list("county__code", flat=True)) == ["410305"]
    expert = User.objects.get(username="expert")
    assert access.visible(expert, Enterprise.objects.all()).count() == 1
    assert expert.industries.filter(code="26").exists()
    # 我的任务: the province's export to download, 金水's refused import with its bad row named
    from campaign.models import Job

    jobs = {(j.created_by.username, j.kind): j for j in Job.objects.all()}
    export = jobs[("province", "problems.export")]
    assert export.status == "done" and export.result_file and export.total > 0
    refused = jobs[("jinshui", "enterprises.import")]
    assert refused.status == "failed" and "校验发现 1 处错误" in refused.message
    build = jobs[("jinshui", "rectification.plans.build")]  # 金水's 登记造册 in one go
    assert build.status == "done" and build.total == build.done > 0
    assert build.message.startswith("已登记造册：新建方案 ")
    for enterprise in Enterprise.objects.all():
        enterprise.full_clean()  # valid credit codes, phones and key-unit rules


def test_seed_refuses_without_debug_unless_forced(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", verbosity=0)


SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_the_demo_campaign_is_under_way_around_today_and_its_dates_agree(db):
    from campaign.models import Assignment, Complaint
    from inspections.models import Inspection, SelfCheck

    today = dt.date(2026, 12, 3)
    out = io.StringIO()
    with time_machine.travel(dt.datetime(2026, 12, 3, 10, 0, tzinfo=SHANGHAI), tick=False):
        call_command("seed_demo", "--force", stdout=out)
    campaign = Campaign.objects.get(is_current=True)
    windows = {w.stage: w for w in campaign.windows.filter(city__isnull=True)}
    # self-check done, inspection under way, cases and rectification started, verification ahead
    assert windows["self_check"].ends_on < today
    assert windows["inspection"].starts_on <= today <= windows["inspection"].ends_on
    assert windows["handling"].starts_on <= today <= windows["handling"].ends_on
    assert windows["rectification"].starts_on <= today
    assert windows["crosscheck"].starts_on > today
    first = min(w.starts_on for w in windows.values())
    last = max(w.ends_on for w in windows.values())
    # every record sits on this calendar: nothing a year after the campaign, nothing before it
    for check in SelfCheck.objects.filter(campaign=campaign, submitted_at__isnull=False):
        assert first <= check.submitted_at.astimezone(SHANGHAI).date() <= today
    for inspection in Inspection.objects.filter(campaign=campaign):
        assert windows["inspection"].starts_on <= inspection.planned_on <= last
        if inspection.submitted_at:
            assert inspection.submitted_at.astimezone(SHANGHAI).date() <= today
    for assignment in Assignment.objects.filter(campaign=campaign):
        assert first <= assignment.starts_on <= assignment.ends_on <= last
    for complaint in Complaint.objects.filter(campaign=campaign):
        assert first <= complaint.happened_on <= today
    # something to do today for the inspector trying the demo
    statuses = set(Inspection.objects.filter(campaign=campaign).values_list("status", flat=True))
    assert {"planned", "in_progress", "submitted"} <= statuses
    # the summary tells what is there
    text = out.getvalue()
    assert campaign.name in text and "执法检查" in text
    assert f"排污单位 {Enterprise.objects.count()} 家" in text
    submitted = Inspection.objects.filter(campaign=campaign, status="submitted").count()
    assert f"已提交 {submitted}" in text


def test_the_demo_cases_show_every_step_and_their_clocks(db):
    from cases.models import CASE_PATHS, Case, CaseEvent, Classification, Deadline, Path
    from inspections.models import Problem

    today = dt.date(2026, 12, 3)
    out = io.StringIO()
    with time_machine.travel(dt.datetime(2026, 12, 3, 10, 0, tzinfo=SHANGHAI), tick=False):
        call_command("seed_demo", "--force", stdout=out)
        counts = Case.objects.count(), Classification.objects.count(), CaseEvent.objects.count()
        call_command("seed_demo", "--force", stdout=io.StringIO())
    # a second run duplicates nothing
    assert (
        Case.objects.count(),
        Classification.objects.count(),
        CaseEvent.objects.count(),
    ) == counts
    campaign = Campaign.objects.get(is_current=True)
    cases = Case.objects.filter(campaign=campaign)
    # one enterprise is told two violations and its management problems in one notice, and a
    # demo enterprise has answered its notice online
    from cases.models import Notice, Reply

    combined = [
        n
        for n in Notice.objects.filter(status="served")
        if n.items.filter(case__isnull=False).count() >= 2
        and n.items.filter(problem__isnull=False).exists()
    ]
    assert combined and combined[0].number.startswith("豫0105环罚告字〔2026〕")
    assert Reply.objects.filter(submitted_by__username="ent-zz").exists()
    # every measure and transfer at work, and the calculator (one amount set by hand, flagged)
    from cases.models import DiscretionRecord, Measure

    assert set(Measure.objects.values_list("kind", flat=True)) >= {
        "daily",
        "seal",
        "restrict",
        "detention",
        "crime",
    }
    assert Measure.objects.get(kind="daily").total_amount > 0
    assert DiscretionRecord.objects.filter(flagged=True).exists()
    assert DiscretionRecord.objects.filter(flagged=False).exists()
    # documents numbered and served, the decisions with their 送达回证
    from cases.models import CaseDocument

    decisions = CaseDocument.objects.filter(kind="decision")
    assert decisions.exists() and decisions.filter(service_records__isnull=False).exists()
    assert all("环罚决字" in d.number for d in decisions)
    exempt = Classification.objects.get(path="exempt", county__code="410105")
    assert exempt.commitment_file and exempt.follow_up_due > today
    # every step of the procedure, and all of them in 金水 (what its users see)
    assert set(cases.values_list("status", flat=True)) == set(Case.Status.values)
    jinshui = cases.filter(county__code="410105")
    assert set(jinshui.values_list("status", flat=True)) == set(Case.Status.values)
    assert jinshui.count() > cases.count() / 2
    assert cases.exclude(county__code="410105").exists()
    # the 负责人 can log in and approves; the case's people are certified and 查处分离 holds
    head = User.objects.get(username="jinshui-head")
    assert head.check_password("demo-pass-2020") and head.approves_cases
    assert User.objects.get(username="luoyang").approves_cases
    for case in cases.prefetch_related("investigators"):
        investigators = list(case.investigators.all())
        assert len(investigators) == 2 and all(p.badge_no for p in investigators)
        assert case.reviewer is None or case.reviewer not in investigators
        # the dates lie in the past weeks, in the order of the steps
        assert campaign.windows.get(stage="self_check", city=None).starts_on <= case.discovered_on
        steps = [
            case.discovered_on,
            case.filed_on,
            case.notified_on,
            case.decided_on,
            case.served_on,
            case.closed_on,
        ]
        dated = [d for d in steps if d is not None]
        assert dated == sorted(dated) and dated[-1] <= today
        if case.status not in (Case.Status.FILING, Case.Status.NOT_FILED):
            assert case.filed_on and case.violation_type
    # clocks: some overdue (立案 not approved in time, a decision not served in 7 days), some due
    # in the next days
    running = Deadline.objects.filter(case__campaign=campaign, done_on__isnull=True)
    overdue = set(running.filter(due_date__lt=today).values_list("key", flat=True))
    assert {"filing", "service"} <= overdue
    assert running.filter(due_date__gte=today, due_date__lte=today + dt.timedelta(days=7)).exists()
    assert not Deadline.objects.filter(done_on__gt=today).exists()
    # classification: guidance, exemption and a case path, in 金水 and elsewhere
    classified = Classification.objects.filter(problem__campaign=campaign)
    paths = set(classified.values_list("path", flat=True))
    assert {Path.GUIDANCE, Path.EXEMPT} <= paths and paths & set(CASE_PATHS)
    assert classified.exclude(county__code="410105").exists()
    for row in classified.filter(path__in=CASE_PATHS):
        assert row.problem.case_links.count() == 1  # one case per violation
        assert row.problem.status == Problem.Status.HANDLING
    # one 金水 unit: two violation cases and a management problem under guidance
    unit = (
        classified.filter(county__code="410105", path__in=CASE_PATHS)
        .values_list("enterprise", flat=True)
        .first()
    )
    assert cases.filter(enterprise=unit, case_problems__isnull=False).count() == 2
    assert classified.filter(enterprise=unit, path=Path.GUIDANCE).exists()
    # the summary counts them
    text = out.getvalue()
    assert "案件：立案审批" in text and "已撤销 1" in text


def test_the_demo_plans_show_every_state_of_rectification(db):
    from cases.models import Case
    from rectification.models import (
        Extension,
        FacilityProposal,
        GuidanceActivity,
        RectificationItem,
        RectificationPlan,
    )

    call_command("seed_demo", "--force", verbosity=0)
    counts = RectificationPlan.objects.count(), RectificationItem.objects.count()
    call_command("seed_demo", "--force", verbosity=0)
    assert (RectificationPlan.objects.count(), RectificationItem.objects.count()) == counts
    campaign = Campaign.objects.get(is_current=True)
    # every open primary problem of the campaign sits in exactly one item of its unit's plan
    problems = Problem.objects.filter(
        campaign=campaign, primary__isnull=True, status__in=Problem.ACTIVE
    )
    assert not problems.filter(rectification_item__isnull=True).exists()
    for plan in RectificationPlan.objects.filter(campaign=campaign):
        assert set(plan.items.values_list("problem__enterprise", flat=True)) == {plan.enterprise_id}
    # ent-zz's plan shows every state but the withdrawn one
    mine = RectificationItem.objects.filter(plan__enterprise__users__username="ent-zz")
    states = set(mine.values_list("status", flat=True))
    assert states == set(RectificationItem.Status.values) - {"cancelled"}
    assert mine.filter(escalated_on__isnull=False).exists()
    assert mine.filter(closing_flagged=True, status="closed").exists()
    assert mine.filter(status="returned").exclude(return_reason="").exists()
    assert Extension.objects.filter(item__in=mine, status="granted").exists()
    assert Extension.objects.filter(item__in=mine, status="refused").exists()
    assert Extension.objects.filter(item__in=mine, status="requested").exists()
    sources = set(mine.values_list("problem__source", flat=True))
    assert {"inspection", "complaint", "monitoring"} <= sources
    # one 攻坚 task became a case after the bureau confirmed; another proposal waits
    confirmed = FacilityProposal.objects.get(status="confirmed")
    assert confirmed.case.status == Case.Status.FILING
    assert confirmed.problem.source == Problem.Source.RECTIFICATION
    assert FacilityProposal.objects.filter(status="proposed").exists()
    assert GuidanceActivity.objects.filter(kind="training").exists()
    assert GuidanceActivity.objects.filter(kind="visit").exists()


def test_the_demo_rounds_show_a_released_draw_with_teams_a_confidential_city_sample_and_a_draft(
    db,
):
    from campaign.models import AccessGrant
    from crosscheck.models import (
        DrawReplay,
        SampledUnit,
        TeamMember,
        VerificationRecord,
        VerificationRound,
    )

    call_command("seed_demo", "--force", verbosity=0)
    call_command("seed_demo", "--force", verbosity=0)
    rows = VerificationRound.objects.all()
    rounds = {r.level + (r.city.code if r.city else ""): r for r in rows.exclude(status="closed")}
    assert {k: r.status for k, r in rounds.items()} == {
        "province": "drawn",
        "city4101": "drawn",
        "city4103": "draft",
    }
    # the pilot round is over: its record signed, its members' grants revoked
    pilot = rows.get(status="closed")
    assert pilot.closed_at and pilot.level == "province"
    assert set(
        VerificationRecord.objects.filter(unit__draw__round=pilot).values_list("status", flat=True)
    ) == {"signed"}
    pilot_members = User.objects.filter(verification_teams__team__round=pilot)
    assert not AccessGrant.objects.filter(
        user__in=pilot_members, reason__contains="试点", revoked_at__isnull=True
    ).exists()
    province = rounds["province"]
    assert province.released and DrawReplay.objects.get().sample_same
    units = SampledUnit.objects.filter(draw__round=province)
    assert set(units.values_list("enterprise__is_key_unit", flat=True)) == {True}
    cities = set(units.values_list("city__code", flat=True))
    assert len(cities) >= 10 and set(
        province.teams.values_list("target_city__code", flat=True)
    ) == (cities)
    # two demo log-ins are in teams and have signed: each opens their team's units only
    users = {u.username: u for u in User.objects.filter(username__in=["zhengzhou", "jianxi"])}
    for username in ("zhengzhou", "jianxi"):
        member = TeamMember.objects.get(team__round=province, user__username=username)
        assert member.assignment.commitment
        team_units = set(
            units.filter(city=member.team.target_city).values_list("enterprise", flat=True)
        )
        seen = set(
            access.visible(
                users[username], Enterprise.objects.filter(pk__in=units.values("enterprise"))
            ).values_list("pk", flat=True)
        )
        home = users[username].region
        own = set(
            units.filter(city=home if home.level == "city" else home.parent).values_list(
                "enterprise", flat=True
            )
        )
        assert team_units and seen - own == team_units
    # verification records of every finding code, signed and in progress; accountability in every
    # state, the one transferred to the discipline inspectors visible to the patrol group
    from crosscheck.models import Accountability, Finding

    assert set(Finding.objects.values_list("code", flat=True)) == set(Finding.Code.values)
    assert set(VerificationRecord.objects.values_list("status", flat=True)) == {"signed", "draft"}
    states = set(Accountability.objects.values_list("status", flat=True))
    assert states == set(Accountability.Status.values)
    patrol = User.objects.get(username="patrol")
    seen = access.visible(patrol, Accountability.objects.all())
    assert seen.exists() and set(seen.values_list("integrity", flat=True)) == {True}
    assert Finding.objects.filter(code="new_problem", problem__source="crosscheck").exists()
    # 郑州's own round: its sample is 郑州's until tomorrow
    city_round = rounds["city4101"]
    assert not city_round.released
    jinshui = User.objects.get(username="jinshui")
    assert not access.visible(jinshui, SampledUnit.objects.filter(draw__round=city_round)).exists()
    assert access.visible(
        users["zhengzhou"], SampledUnit.objects.filter(draw__round=city_round)
    ).exists()
    # its teams: 郑州's own officers, never in their own county
    teams = list(city_round.teams.select_related("target_county"))
    assert teams
    for team in teams:
        homes = set(team.members.values_list("user__region__code", flat=True))
        assert team.target_county.parent.code == "4101" and team.target_county.code not in homes
