"""核查销号, the overdue job and the "facility not built" proposals."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from campaign.models import StageWindow
from cases.models import Case
from inspections.models import Problem
from rectification.models import FacilityProposal, ItemCheck, RectificationItem
from rectification.services import plan as plan_services
from rectification.services import verification as services
from tests import org_factories
from tests.rectification import factories as f

P = Problem.Status
S = RectificationItem.Status


def freeze_time(moment: str):
    """Beijing wall-clock time, frozen."""
    when = dt.datetime.fromisoformat(moment).replace(tzinfo=ZoneInfo("Asia/Shanghai"))
    return time_machine.travel(when, tick=False)


def _check(cast, item, *, close=True, reason="", **extra):
    return services.item_check(
        actor=cast.county,
        item=item,
        method=extra.pop("method", "site"),
        checked_on=extra.pop("checked_on", timezone.localdate()),
        officers=extra.pop("officers", [cast.county, f.staff("js2")]),
        conclusion=extra.pop("conclusion", "现场核查，滤袋已更换，运行正常"),
        close=close,
        reason=reason,
        **extra,
    )


@pytest.mark.django_db
def test_an_item_meeting_every_condition_is_closed_and_its_problem_too(cast):
    item = f.ready_item(cast, f.plan(cast).items.get())
    plan_services.item_apply(actor=cast.enterprise_user, item=item)
    check = _check(cast, item)
    item.refresh_from_db()
    item.problem.refresh_from_db()
    assert item.status == S.CLOSED and item.closed_on == timezone.localdate()
    assert item.closing_flagged is False and check.flagged is False and check.unmet == []
    assert item.problem.status == P.CLOSED
    assert item.problem.events.last().ref == item
    assert check.officers.count() == 2


@pytest.mark.django_db
def test_closing_that_skips_a_condition_needs_a_reason_and_is_flagged(cast):
    item = f.plan(cast).items.get()
    with pytest.raises(ValidationError) as error:
        _check(cast, item)
    assert "整改措施全部完成" in str(error.value) and "佐证材料齐全" in str(error.value)
    assert not ItemCheck.objects.exists()
    check = _check(cast, item, reason="企业已关停该生产线，现场核实")
    item.refresh_from_db()
    assert item.status == S.CLOSED and item.closing_flagged is True
    assert check.flagged and set(check.unmet) == {"measures", "evidence"}
    item.problem.refresh_from_db()
    assert item.problem.status == P.CLOSED


@pytest.mark.django_db
def test_a_returned_item_goes_back_to_the_enterprise_with_the_reason(cast):
    item = f.ready_item(cast, f.plan(cast).items.get())
    plan_services.item_apply(actor=cast.enterprise_user, item=item)
    with pytest.raises(ValidationError):
        _check(cast, item, close=False)  # a return needs a reason
    _check(cast, item, close=False, reason="照片未反映整改后现场")
    item.refresh_from_db()
    item.problem.refresh_from_db()
    assert item.status == S.RETURNED and item.return_reason == "照片未反映整改后现场"
    assert item.problem.status == P.RECTIFYING
    # the enterprise works again and applies again
    plan_services.progress_report(
        actor=cast.enterprise_user, item=item, text="补充照片", uploads=[("photo", f.jpeg(), {})]
    )
    item.refresh_from_db()
    assert item.status == S.IN_PROGRESS


@pytest.mark.django_db
def test_a_check_needs_two_officers_in_reach_a_conclusion_and_a_sane_date(cast):
    item = f.plan(cast).items.get()
    with pytest.raises(ValidationError) as error:
        _check(cast, item, officers=[cast.county], reason="x")
    assert "两名" in str(error.value)
    with pytest.raises(ValidationError):
        _check(cast, item, officers=[cast.county, cast.other_county], reason="x")
    with pytest.raises(ValidationError):
        _check(cast, item, conclusion=" ", reason="x")
    with pytest.raises(ValidationError):
        _check(cast, item, checked_on=timezone.localdate() + dt.timedelta(days=1), reason="x")
    with pytest.raises(ValidationError):
        _check(cast, item, method="phone", reason="x")
    with pytest.raises(PermissionDenied):
        services.item_check(
            actor=cast.enterprise_user,
            item=item,
            method="site",
            checked_on=timezone.localdate(),
            officers=[],
            conclusion="x",
            close=True,
        )
    assert not ItemCheck.objects.exists()


@pytest.mark.django_db
def test_the_daily_run_marks_overdue_once_and_escalates_after_working_days(cast):
    with freeze_time("2020-06-01 10:00"):
        item = f.plan(cast).items.get()
        # Thursday 07-02 deadline; overdue from Friday; five working days later: Thursday 07-09
        plan_services.item_update(actor=cast.county, item=item, values={"deadline": "2020-07-02"})
    with freeze_time("2020-07-02 09:00"):
        assert services.overdue_run()["overdue"] == 0
    with freeze_time("2020-07-03 09:00"):
        assert services.overdue_run() == {"overdue": 1, "escalated": 0, "proposed": 0}
        assert services.overdue_run()["overdue"] == 0  # idempotent
    item.refresh_from_db()
    assert item.status == S.OVERDUE and item.overdue_since == dt.date(2020, 7, 3)
    with freeze_time("2020-07-08 09:00"):
        assert services.overdue_run()["escalated"] == 0
    with freeze_time("2020-07-09 09:00"):
        assert services.overdue_run()["escalated"] == 1
        assert services.overdue_run()["escalated"] == 0
    item.refresh_from_db()
    assert item.escalated_on == dt.date(2020, 7, 9)
    assert "市级督办" in item.events.last().note


@pytest.mark.django_db
def test_an_unfinished_facility_task_becomes_a_proposal_only_the_bureau_confirms(cast):
    with freeze_time("2020-06-01 10:00"):
        item = f.plan(cast, "SS-28").items.get()
        plan_services.item_update(actor=cast.county, item=item, values={"deadline": "2020-07-10"})
    campaign = org_factories.campaign()
    StageWindow.objects.update_or_create(
        campaign=campaign,
        stage=StageWindow.Stage.RECTIFICATION,
        city=None,
        defaults={"starts_on": dt.date(2020, 5, 1), "ends_on": dt.date(2020, 7, 31)},
    )
    with freeze_time("2020-07-31 09:00"):
        assert services.overdue_run()["proposed"] == 0  # the window is still open
    with freeze_time("2020-08-01 09:00"):
        assert services.overdue_run()["proposed"] == 1
        assert services.overdue_run()["proposed"] == 0
    proposal = FacilityProposal.objects.get()
    assert proposal.item == item and proposal.window_ended_on == dt.date(2020, 7, 31)
    # nothing was recorded or opened without the bureau
    assert not Problem.objects.filter(source=Problem.Source.RECTIFICATION).exists()
    assert not Case.objects.exists()
    with pytest.raises(PermissionDenied):
        services.proposal_confirm(actor=cast.enterprise_user, proposal=proposal)
    services.proposal_confirm(
        actor=cast.county, proposal=proposal, investigators=[cast.county, f.staff("js2")]
    )
    proposal.refresh_from_db()
    assert proposal.status == FacilityProposal.Status.CONFIRMED
    problem = proposal.problem
    assert problem.source == Problem.Source.RECTIFICATION
    assert problem.item.code == settings.RECTIFICATION_UNBUILT_ITEM
    assert proposal.case.status == Case.Status.FILING
    assert list(proposal.case.case_problems.values_list("problem", flat=True)) == [problem.pk]
    with pytest.raises(ValidationError):
        services.proposal_confirm(actor=cast.county, proposal=proposal)


@pytest.mark.django_db
def test_a_proposal_dismissed_needs_a_reason(cast):
    with freeze_time("2020-06-01 10:00"):
        item = f.plan(cast, "SS-28").items.get()
    proposal = FacilityProposal.objects.create(item=item, window_ended_on=dt.date(2020, 7, 31))
    with pytest.raises(ValidationError):
        services.proposal_dismiss(actor=cast.county, proposal=proposal, note="")
    services.proposal_dismiss(actor=cast.county, proposal=proposal, note="已完成，未及时录入")
    proposal.refresh_from_db()
    assert proposal.status == FacilityProposal.Status.DISMISSED


def test_the_beat_entry_runs_the_overdue_job_each_morning():
    entry = settings.CELERY_BEAT_SCHEDULE["rectification-overdue"]
    assert entry["task"] == "rectification.tasks.overdue_daily"
    assert entry["schedule"].hour == {6} and entry["schedule"].minute == {40}
    from rectification.tasks import overdue_daily

    assert overdue_daily.name == entry["task"]


@pytest.mark.django_db
def test_only_an_applied_item_is_returned(cast):
    item = f.plan(cast).items.get()
    with pytest.raises(ValidationError) as error:
        _check(cast, item, close=False, reason="照片不清")
    assert "尚未申请销号" in str(error.value)
    assert not ItemCheck.objects.exists()
