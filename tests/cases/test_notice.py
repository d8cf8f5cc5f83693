"""One combined notice per enterprise (一次全部告知，一次处理到位), and the enterprise's online answers."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from cases.models import Case, Notice, Path, Reply
from cases.services import case as case_services
from cases.services import notice as notices
from cases.services.classification import classify
from tests.cases import factories as f

S = Case.Status


def at(day: str):
    moment = dt.datetime.fromisoformat(day).replace(hour=10, tzinfo=ZoneInfo("Asia/Shanghai"))
    return time_machine.travel(moment, tick=False)


def reviewed(cast, code: str, fine: int) -> Case:
    """A violation of the 金水 unit classified, filed, investigated and reviewed."""
    problem = f.problem(cast, code=code)
    classify(
        actor=cast.county,
        problems=[problem],
        path=Path.STRICT,
        reason="查实",
        investigators=[cast.county, f.staff("js2")],
    )
    case = Case.objects.get(case_problems__problem=problem)
    case_services.case_step(actor=f.staff("js-head", head=True), case=case, to=S.INVESTIGATING)
    case_services.case_step(
        actor=cast.county,
        case=case,
        to=S.REVIEWING,
        report="调查终结",
        reviewer=f.staff("js-review"),
        proposed_fine=fine,
    )
    case.refresh_from_db()
    return case


def serve(actor, notice, day: dt.date):
    return notices.notice_serve(
        actor=actor, notice=notice, served_on=day, method=Notice.Method.DIRECT, recipient="张三"
    )


@pytest.mark.django_db
def test_one_notice_tells_the_enterprise_everything_at_once(cast):
    with at("2026-09-01"):
        gap = f.problem(cast, code="GL-01")
        classify(actor=cast.county, problems=[gap], path=Path.GUIDANCE, reason="制度缺失")
        first = reviewed(cast, "HF-01", 250_000)
        second = reviewed(cast, "SS-03", 100_000)
        notice = notices.notice_draft(actor=cast.county, enterprise=cast.ent)
        items = list(notice.items.order_by("order"))
        assert [(i.case, i.problem) for i in items] == [(first, None), (second, None), (None, gap)]
        assert "250,000 元" in items[0].proposal
        assert "行政指导" in items[2].proposal
        assert notice.hearing_right is True  # 250,000 > 200,000 (部令30号)
        # a second, partial notice while this one is in preparation: refused
        with pytest.raises(ValidationError, match="拟告知"):
            notices.notice_draft(actor=cast.county, enterprise=cast.ent)
    with at("2026-09-02"):
        serve(cast.county, notice, dt.date(2026, 9, 2))
    notice.refresh_from_db()
    assert notice.number == "豫0105环罚告字〔2026〕1号"
    for case in (first, second):
        case.refresh_from_db()
        assert (case.status, case.notified_on) == (S.NOTIFIED, dt.date(2026, 9, 2))
        assert case.deadlines.get(key="statement").due_date == dt.date(2026, 9, 7)
        assert case.deadlines.get(key="hearing_request").due_date == dt.date(2026, 9, 9)


@pytest.mark.django_db
def test_a_case_still_under_investigation_holds_the_notice_back(cast):
    with at("2026-09-01"):
        reviewed(cast, "SS-03", 50_000)
        f.case(cast)  # registered, not yet filed
        with pytest.raises(ValidationError, match="尚有案件未调查终结"):
            notices.notice_draft(actor=cast.county, enterprise=cast.ent)
        assert not Notice.objects.exists()


@pytest.mark.django_db
def test_later_problems_go_into_a_supplementary_notice_that_says_so(cast):
    with at("2026-09-01"):
        reviewed(cast, "HF-01", 50_000)
        first = notices.notice_draft(actor=cast.county, enterprise=cast.ent)
        serve(cast.county, first, dt.date(2026, 9, 1))
        later = f.problem(cast, code="GL-01")
        classify(actor=cast.county, problems=[later], path=Path.GUIDANCE, reason="后来发现")
        supplementary = notices.notice_draft(actor=cast.county, enterprise=cast.ent)
        assert supplementary.supplements == first and supplementary.is_supplementary
        assert [i.problem for i in supplementary.items.all()] == [later]
        serve(cast.county, supplementary, dt.date(2026, 9, 1))
        supplementary.refresh_from_db()
        assert supplementary.number == "豫0105环罚告字〔2026〕2号"  # no gaps
        with pytest.raises(ValidationError, match="没有需要告知"):
            notices.notice_draft(actor=cast.county, enterprise=cast.ent)


@pytest.mark.django_db
def test_the_enterprise_answers_online_in_time_or_late(cast):
    with at("2026-09-01"):
        case = reviewed(cast, "HF-01", 250_000)
        notice = notices.notice_draft(actor=cast.county, enterprise=cast.ent)
        # the enterprise sees nothing before the notice is served
        with pytest.raises(Http404):
            notices.reply_submit(
                actor=cast.enterprise_user, notice=notice, kind=Reply.Kind.STATEMENT, text="申辩"
            )
        serve(cast.county, notice, dt.date(2026, 9, 1))
    with at("2026-09-03"):
        statement = notices.reply_submit(
            actor=cast.enterprise_user,
            notice=notice,
            kind=Reply.Kind.STATEMENT,
            text="我公司已停止建设并补办手续，请求从轻处罚。",
        )
        assert statement.is_late is False and statement.due_date == dt.date(2026, 9, 4)
        assert case.deadlines.get(key="statement").done_note == "当事人已陈述申辩"
    with at("2026-09-10"):  # the 5-working-day hearing window ended on 09-08
        hearing = notices.reply_submit(
            actor=cast.enterprise_user, notice=notice, kind=Reply.Kind.HEARING, text="申请听证"
        )
        assert hearing.is_late is True  # kept, marked late: the bureau decides
        assert case.deadlines.get(key="hearing_request").done_on is None
    with pytest.raises(Http404):
        notices.reply_submit(
            actor=cast.other_enterprise_user, notice=notice, kind=Reply.Kind.STATEMENT, text="x"
        )
    with pytest.raises(PermissionDenied):
        notices.reply_submit(actor=cast.county, notice=notice, kind=Reply.Kind.STATEMENT, text="x")


@pytest.mark.django_db
def test_service_needs_a_recipient_or_the_refusal_and_another_county_cannot_serve(cast):
    with at("2026-09-01"):
        reviewed(cast, "HF-01", 50_000)
        notice = notices.notice_draft(actor=cast.county, enterprise=cast.ent)
        with pytest.raises(ValidationError, match="签收人"):
            notices.notice_serve(
                actor=cast.county, notice=notice, served_on=None, method=Notice.Method.DIRECT
            )
        with pytest.raises(ValidationError, match="拒收事由"):
            notices.notice_serve(
                actor=cast.county, notice=notice, served_on=None, method=Notice.Method.LEFT
            )
        with pytest.raises(Http404):
            serve(cast.other_county, notice, dt.date(2026, 9, 1))
        notice.refresh_from_db()
        assert notice.status == Notice.Status.DRAFT and notice.number == ""


@pytest.mark.django_db
def test_the_report_says_what_the_case_needs_before_a_decision(cast):
    head = f.staff("js-head", head=True)
    reviewer = f.staff("js-review")
    with at("2026-09-01"):
        case = f.case(cast)
        case_services.case_step(actor=head, case=case, to=S.INVESTIGATING)
        case_services.case_step(
            actor=cast.county,
            case=case,
            to=S.REVIEWING,
            report="调查终结",
            reviewer=reviewer,
            proposed_fine=500_000,
            needs_legal_review=True,
            major=True,
        )
        case.refresh_from_db()
        assert case.needs_legal_review and case.major
        with pytest.raises(ValidationError, match="法制审核"):
            notices.notice_draft(actor=reviewer, enterprise=cast.ent)
        case_services.case_step(actor=reviewer, case=case, to=S.LEGAL_REVIEW)
        serve(
            reviewer, notices.notice_draft(actor=reviewer, enterprise=cast.ent), dt.date(2026, 9, 1)
        )
    with at("2026-09-15"):
        with pytest.raises(ValidationError, match="集体讨论"):
            case_services.case_step(actor=head, case=case, to=S.DECIDED, fine=500_000)
        case_services.case_step(actor=cast.county, case=case, to=S.DISCUSSION)
        case_services.case_step(actor=head, case=case, to=S.DECIDED, fine=500_000)
