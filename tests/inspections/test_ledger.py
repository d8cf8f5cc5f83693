"""The problem ledger as the hinge: one writer, one lifecycle with its events, primaries and
confirmations, regions stored on the row, and the ledger read as of a past moment."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from campaign.models import Complaint
from enterprises.models import Enterprise
from inspections.models import Problem, ProblemEvent
from inspections.selectors import ledger as selectors
from inspections.services import ledger
from tests.factories import region
from tests.inspections.factories import record_problem, use_catalogue

pytestmark = pytest.mark.django_db


@pytest.fixture
def items():
    return {i.code: i for i in use_catalogue().items.all()}


def test_recording_stores_regions_and_writes_the_first_event(cast, items):
    problem = record_problem(cast.ent, items["HF-01"], actor=cast.county)
    assert (problem.county, problem.city) == (cast.ent.county, cast.ent.city)
    [event] = problem.events.all()
    assert (event.from_status, event.to_status, event.by) == ("", "open", cast.county)


def test_self_found_with_a_declared_measure_starts_rectifying(cast, items):
    problem = record_problem(cast.ent, items["HF-01"], self_found=True, measure="更换设施")
    assert problem.status == "rectifying" and problem.measure == "更换设施"


def test_a_unit_moved_later_keeps_its_history_where_it_was(cast, items):
    problem = record_problem(cast.ent, items["HF-01"])
    Enterprise.objects.filter(pk=cast.ent.pk).update(county=region("410102"))
    problem.refresh_from_db()
    assert problem.county == region("410105")
    # the 金水 bureau still sees the problem found in its county; 中原 does not
    assert selectors.problem_list(user=cast.county).filter(pk=problem.pk).exists()


def test_transitions_follow_the_map_and_write_events_with_their_cause(cast, items):
    problem = record_problem(cast.ent, items["HF-01"])
    complaint = Complaint.objects.create(
        tracking_code="ABCDEFGH2345",
        accused="x",
        place="x",
        happened_on=timezone.localdate(),
        description="x",
    )
    problem = ledger.problem_transition(
        actor=cast.county, problem=problem, to="handling", note="立案", ref=complaint
    )
    event = problem.events.last()
    assert (event.from_status, event.to_status, event.note) == ("open", "handling", "立案")
    assert event.ref == complaint
    with pytest.raises(ValidationError, match="不能变为“待销号核验”"):
        ledger.problem_transition(actor=cast.county, problem=problem, to="verifying")
    assert Problem.objects.get(pk=problem.pk).status == "handling"
    assert problem.events.count() == 2


def test_a_step_chosen_on_a_status_someone_else_changed_is_refused(cast, items):
    problem = record_problem(cast.ent, items["HF-01"])
    seen = problem.status  # two officers open the same problem: both see 待处理
    ledger.problem_transition(actor=cast.county, problem=problem, to="handling", expected=seen)
    with pytest.raises(ValidationError, match="已被他人更新"):
        ledger.problem_transition(actor=cast.city, problem=problem, to="withdrawn", expected=seen)
    problem.refresh_from_db()
    assert problem.status == "handling"
    assert [e.to_status for e in problem.events.all()] == ["open", "handling"]


def test_a_confirmed_problem_cannot_be_withdrawn(cast, items):
    primary = record_problem(cast.ent, items["HF-01"])
    record_problem(cast.ent, items["HF-01"])  # confirmed by another route
    with pytest.raises(ValidationError, match="不能撤销"):
        ledger.problem_transition(actor=cast.county, problem=primary, to="withdrawn")


def test_withdrawn_problems_leave_the_list_as_they_leave_the_counts(client, cast, items):
    kept = record_problem(cast.ent, items["HF-01"])
    gone = record_problem(cast.ent, items["GL-01"], status="withdrawn")
    client.force_login(cast.county)
    listed = client.get(reverse("inspections:problems")).context["page"].object_list
    assert list(listed) == [kept]
    asked = client.get(reverse("inspections:problems"), {"status": "withdrawn"})
    assert list(asked.context["page"].object_list) == [gone]


def test_a_problem_found_again_is_a_confirmation_and_counted_once(cast, items):
    primary = record_problem(cast.ent, items["HF-01"], self_found=True)
    again = record_problem(cast.ent, items["HF-01"], source="inspection")
    assert again.primary == primary and again.status == "merged"
    assert list(selectors.problem_list(user=cast.county)) == [primary]
    _rows, total = selectors.problem_counts(user=cast.county, campaign=primary.campaign)
    assert total.total == 1
    # another enterprise's or another item's finding is its own problem
    other = record_problem(cast.ent, items["GL-01"])
    assert other.primary is None
    # a closed problem found again is a new problem, not a confirmation of the closed one
    ledger.problem_transition(actor=None, problem=other, to="handling")
    ledger.problem_transition(actor=None, problem=other, to="closed")
    recurrence = record_problem(cast.ent, items["GL-01"])
    assert recurrence.primary is None and recurrence.status == "open"


def test_confirmations_are_shown_under_their_primary(client, cast, items):
    primary = record_problem(cast.ent, items["HF-01"], self_found=True, description="自查：X")
    again = record_problem(cast.ent, items["HF-01"], description="检查：X")
    client.force_login(cast.county)
    page = client.get(reverse("inspections:problem", args=[primary.pk])).content.decode()
    assert reverse("inspections:problem", args=[again.pk]) in page and "检查：X" in page
    listing = client.get(reverse("inspections:problems")).content.decode()
    assert "另经现场检查确认" in listing
    assert reverse("inspections:problem", args=[again.pk]) not in listing
    own = client.get(reverse("inspections:problem", args=[again.pk])).content.decode()
    assert "不重复计数" in own


def test_correction_changes_fields_with_an_event_and_keeps_the_status(cast, items):
    problem = record_problem(cast.ent, items["HF-01"], description="旧")
    ledger.problem_correct(
        actor=cast.county, problem=problem, values={"description": "新"}, note="更正"
    )
    problem.refresh_from_db()
    assert problem.description == "新"
    event = problem.events.last()
    assert (event.from_status, event.to_status, event.note) == ("open", "open", "更正")


def test_the_ledger_as_of_a_past_moment(cast, items):
    start = timezone.now()
    first = record_problem(cast.ent, items["HF-01"])
    ProblemEvent.objects.filter(problem=first).update(at=start - dt.timedelta(days=10))
    ledger.problem_transition(
        actor=None, problem=first, to="handling", at=start - dt.timedelta(days=5)
    )
    second = record_problem(cast.ent, items["GL-01"])
    ProblemEvent.objects.filter(problem=second).update(at=start - dt.timedelta(days=2))

    def then(days_ago):
        at = start - dt.timedelta(days=days_ago)
        return dict(
            selectors.problems_as_of(user=cast.county, at=at).values_list("pk", "status_then")
        )

    assert then(11) == {}
    assert then(7) == {first.pk: "open"}
    assert then(3) == {first.pk: "handling"}
    assert then(0) == {first.pk: "handling", second.pk: "open"}
    # and only in the asker's reach
    assert dict(selectors.problems_as_of(user=cast.other_county, at=start).values_list()) == {}


def test_a_confirmation_recorded_by_mistake_is_withdrawn_and_restored_as_a_confirmation(cast):
    from inspections.services import ledger
    from tests.inspections.factories import check_item, record_problem

    item = check_item(cast)
    primary = record_problem(cast.ent, item, self_found=True, kind="management")
    confirmation = record_problem(cast.ent, item, kind="management")
    assert confirmation.status == "merged" and confirmation.primary_id == primary.pk
    ledger.problem_transition(actor=cast.county, problem=confirmation, to="withdrawn")
    with pytest.raises(ValidationError, match="已并入主问题"):
        ledger.problem_transition(actor=cast.county, problem=confirmation, to="open")
    restored = ledger.problem_transition(actor=cast.county, problem=confirmation, to="merged")
    assert restored.status == "merged" and restored.primary_id == primary.pk


def test_a_withdrawn_confirmation_does_not_hold_its_primary_and_needs_it_live_to_return(cast):
    from inspections.services import ledger
    from tests.inspections.factories import check_item, record_problem

    item = check_item(cast)
    primary = record_problem(cast.ent, item, kind="management")
    confirmation = record_problem(cast.ent, item, kind="management")
    ledger.problem_transition(actor=cast.county, problem=confirmation, to="withdrawn")
    primary = ledger.problem_transition(actor=cast.county, problem=primary, to="withdrawn")
    assert primary.status == "withdrawn"
    with pytest.raises(ValidationError, match="主问题已撤销"):
        ledger.problem_transition(actor=cast.county, problem=confirmation, to="merged")
