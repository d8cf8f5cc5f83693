"""A case's steps and statutory clocks, through the services as a bureau uses them."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from cases import rules
from cases.models import Case, CasePause
from cases.services import case as services
from inspections.models import Problem
from tests.cases import factories as f

S = Case.Status
BEIJING = ZoneInfo("Asia/Shanghai")


def at(day: str):
    return time_machine.travel(
        dt.datetime.fromisoformat(day).replace(hour=10, tzinfo=BEIJING), tick=False
    )


def due(case: Case, key: str) -> dt.date:
    return case.deadlines.get(key=key).due_date


def step(case, to, actor, **kw):
    return services.case_step(actor=actor, case=case, to=to, **kw)


def serve(cast, actor):
    """Draft the 金水 unit's combined notice and serve it today."""
    from django.utils import timezone

    from cases.models import Notice
    from cases.services import notice as notices

    notice = notices.notice_draft(actor=actor, enterprise=cast.ent)
    return notices.notice_serve(
        actor=actor,
        notice=notice,
        served_on=timezone.localdate(),
        method=Notice.Method.DIRECT,
        recipient="张三",
    )


def test_the_rules_are_chosen_by_the_filing_date():
    assert rules.rules_for(dt.date(2020, 7, 3)).key == "2010"
    assert rules.rules_for(dt.date(2021, 7, 15)).key == "2021"
    assert rules.rules_for(dt.date(2023, 6, 30)).key == "2021"
    assert rules.rules_for(dt.date(2026, 12, 3)).key == "2023"
    assert rules.BY_KEY["2010"].clock("hearing_request").length == 3
    assert rules.BY_KEY["2023"].clock("hearing_request").unit == rules.Unit.WORKING_DAYS


@pytest.mark.django_db
def test_a_2020_case_from_registration_to_closing(cast):
    head = f.staff("js-head", head=True)
    reviewer = f.staff("js-review")
    with at("2020-06-24"):  # Wed; 端午 06-25..27, Sunday 06-28 worked
        case = f.case(cast, discovered_on=dt.date(2020, 6, 24))
        assert case.rules == "2010"
        problem = case.case_problems.get().problem
        assert problem.status == Problem.Status.HANDLING
        filing = case.deadlines.get(key="filing")
        # 7 working days: 06-28 (调休), 06-29, 06-30, 07-01, 07-02, 07-03, 07-06
        assert (filing.unit, filing.length, filing.due_date) == ("wd", 7, dt.date(2020, 7, 6))
        assert "第二十二条" in filing.basis
        with pytest.raises(PermissionDenied, match="负责人"):
            step(case, S.INVESTIGATING, cast.county)
    with at("2020-07-03"):
        step(case, S.INVESTIGATING, head)
        case.refresh_from_db()
        assert case.filed_on == dt.date(2020, 7, 3)
        assert case.deadlines.get(key="filing").done_on == dt.date(2020, 7, 3)
        # 3 months: 2020-10-03 is in the National Day holiday → the first working day after it
        assert due(case, "decision") == dt.date(2020, 10, 9)
    with at("2020-09-01"):
        with pytest.raises(PermissionDenied, match="承办人员"):
            step(case, S.REVIEWING, reviewer, report="调查报告")
        with pytest.raises(ValidationError, match="查处分离"):
            step(case, S.REVIEWING, cast.county, report="调查报告", reviewer=f.staff("js2"))
        step(
            case,
            S.REVIEWING,
            cast.county,
            report="查明未批先建",
            reviewer=reviewer,
            proposed_fine=60_000,
        )
        with pytest.raises(PermissionDenied, match="查处分离"):
            step(case, S.LEGAL_REVIEW, cast.county)
        # 事先告知 is the enterprise's combined notice, never a step of one case
        with pytest.raises(ValidationError, match="一次全部告知"):
            step(case, S.NOTIFIED, reviewer)
    with at("2020-09-25"):  # Fri; Sunday 09-27 is worked, 10-01..08 off
        serve(cast, reviewer)
        assert due(case, "statement") == dt.date(2020, 9, 29)
        # 60,000 yuan reaches 较大数额: the party may ask for a hearing within 3 days (2017 law)
        assert due(case, "hearing_request") == dt.date(2020, 9, 28)
        with pytest.raises(ValidationError, match="陈述申辩期限"):
            step(case, S.DECIDED, head, fine=60_000)
    with at("2020-09-28"):
        step(case, S.HEARING, cast.county, note="当事人书面申请听证")
        assert case.deadlines.get(key="hearing_request").done_on == dt.date(2020, 9, 28)
    with at("2020-10-12"):
        step(case, S.DECIDED, head, fine=50_000)
        case.refresh_from_db()
        pause = case.pauses.get(kind=CasePause.Kind.HEARING)
        assert (pause.started_on, pause.ended_on) == (dt.date(2020, 9, 28), dt.date(2020, 10, 12))
        decision = case.deadlines.get(key="decision")
        # the 14 hearing days do not run: 10-03 + 14 days = 10-17 (Sat) → Mon 10-19
        assert decision.due_date == dt.date(2020, 10, 19)
        assert decision.done_on == dt.date(2020, 10, 12)
        assert due(case, "service") == dt.date(2020, 10, 19)
    with at("2020-10-14"):
        step(case, S.EXECUTING, cast.county)
        assert due(case, "payment") == dt.date(2020, 10, 29)
    with at("2020-10-20"):
        step(case, S.CLOSING, cast.county, note="罚款已缴纳")
        with pytest.raises(PermissionDenied):
            step(case, S.CLOSED, cast.county)
        step(case, S.CLOSED, head)
    case.refresh_from_db()
    assert case.status == S.CLOSED and case.closed_on == dt.date(2020, 10, 20)
    assert not case.deadlines.filter(done_on__isnull=True).exists()
    problem.refresh_from_db()
    assert problem.status == Problem.Status.RECTIFYING  # handed to rectification (stage 4)
    assert problem.events.last().ref == case
    assert [e.to_status for e in case.events.all()] == [
        S.FILING,
        S.INVESTIGATING,
        S.REVIEWING,
        S.NOTIFIED,
        S.HEARING,
        S.DECIDED,
        S.EXECUTING,
        S.CLOSING,
        S.CLOSED,
    ]


@pytest.mark.django_db
def test_current_rules_count_working_days_for_a_hearing_request(cast):
    head, reviewer = f.staff("js-head", head=True), f.staff("js-review")
    with at("2026-09-01"):
        case = f.case(cast, discovered_on=dt.date(2026, 8, 31))
        assert case.deadlines.get(key="filing").due_date == dt.date(2026, 9, 15)  # 15 days
        step(case, S.INVESTIGATING, head)
        assert due(case, "decision") == dt.date(2026, 11, 30)  # 90 days
        step(
            case, S.REVIEWING, cast.county, report="报告", reviewer=reviewer, proposed_fine=250_000
        )
    with at("2026-09-25"):  # Fri; 2026: 09-28 Sun worked? no — 10-01..07 off, 10-10 Sat worked
        serve(cast, reviewer)
        hearing = case.deadlines.get(key="hearing_request")
        assert (hearing.unit, hearing.length) == ("wd", 5)
        assert "第六十四条" in hearing.basis
        assert hearing.due_date == dt.date(2026, 10, 9)


@pytest.mark.django_db
def test_a_suspension_stops_the_decision_clock_and_resumes_where_it_was(cast):
    head = f.staff("js-head", head=True)
    with at("2020-07-03"):
        case = f.case(cast, discovered_on=dt.date(2020, 7, 1))
        step(case, S.INVESTIGATING, head)
        assert due(case, "decision") == dt.date(2020, 10, 9)
    with at("2020-08-03"):
        with pytest.raises(ValidationError, match="理由"):
            step(case, S.SUSPENDED, head)
        step(case, S.SUSPENDED, head, note="等待鉴定")
    with at("2020-08-13"):
        case.refresh_from_db()
        assert [to for to, _ in services.steps_for(case, head)] == [S.INVESTIGATING]
        step(case, S.INVESTIGATING, head, note="鉴定完成")
    # ten days (08-03 … 08-12) do not run: 10-03 + 10 = 10-13
    assert due(case, "decision") == dt.date(2020, 10, 13)


@pytest.mark.django_db
def test_a_deadline_in_a_year_without_holiday_data_carries_a_warning(cast):
    head = f.staff("js-head", head=True)
    with at("2026-12-01"):
        case = f.case(cast, discovered_on=dt.date(2026, 12, 1))
        step(case, S.INVESTIGATING, head)
    decision = case.deadlines.get(key="decision")
    assert decision.due_date.year == 2027
    assert decision.unknown_years == [2027]
    assert "2027" in decision.warning
    assert decision.calendar_version.startswith("chinesecalendar ")


@pytest.mark.django_db
def test_a_case_needs_two_certified_officers_and_a_violation_type_to_be_filed(cast):
    head = f.staff("js-head", head=True)
    f.catalogue()
    found = f.problem(cast)
    with at("2026-12-01"):
        case = services.case_open(
            actor=cast.county,
            enterprise=cast.ent,
            title="涉嫌超标排放案",
            source=Case.Source.MONITORING,
            discovered_on=dt.date(2026, 12, 1),
            problems=[found],
            investigators=[cast.county],
        )
        with pytest.raises(ValidationError, match="两名"):
            step(case, S.INVESTIGATING, head)
        case.investigators.add(f.staff("js2"))
        with pytest.raises(ValidationError, match="违法行为类型"):
            step(case, S.INVESTIGATING, head)
        # the problem is in a live case: a second case on it is refused
        with pytest.raises(ValidationError, match="已在案件"):
            services.case_open(
                actor=cast.county,
                enterprise=cast.ent,
                title="重复",
                source=Case.Source.LEDGER,
                discovered_on=dt.date(2026, 12, 1),
                problems=[found],
            )


@pytest.mark.django_db
def test_another_county_can_neither_open_nor_move_the_case(cast):
    with at("2026-12-01"):
        case = f.case(cast)
        with pytest.raises(Http404):
            step(case, S.INVESTIGATING, cast.other_county)
        with pytest.raises(ValidationError, match="管辖范围"):
            services.case_open(
                actor=cast.other_county,
                enterprise=cast.ent,
                title="越权",
                source=Case.Source.OTHER,
                discovered_on=dt.date(2026, 12, 1),
            )
        # a person chosen from outside the opener's reach
        with pytest.raises(ValidationError, match="指派"):
            services.case_open(
                actor=cast.county,
                enterprise=cast.ent,
                title="越权人员",
                source=Case.Source.OTHER,
                discovered_on=dt.date(2026, 12, 1),
                investigators=[f.staff("jx9", county="410305")],
            )
        with pytest.raises(PermissionDenied):
            step(case, S.INVESTIGATING, cast.enterprise_user)
    assert Case.objects.count() == 1
