"""Scale data: proportional to Henan, valid, internally consistent, seeded, and never mixed in."""

import datetime as dt
import itertools
from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from stdnum.cn import uscc

from campaign import access
from campaign.models import Industry, Region, User
from campaign.workdays import WorkingCalendar
from cases.models import CASE_PATHS, Case, Classification, Deadline, Path
from cases.selectors.case import case_list, deadline_list
from cases.services.reminders import deadlines_recompute_stale
from demo import scale
from enterprises.models import Enterprise
from inspections.applicability import applicable_items
from inspections.models import (
    CheckItem,
    Inspection,
    InspectionFinding,
    Problem,
    SelfCheck,
    SelfCheckAnswer,
)
from tests.factories import EnterpriseFactory

FACTOR = 0.002  # 260 units, 10 key units, 100 inspections, 30 cases


@pytest.fixture
def generated(reference_data):
    return scale.generate(factor=FACTOR, seed=11)


def test_sizes_follow_the_factor(generated):
    assert Enterprise.objects.count() == generated.enterprises == 260
    assert Enterprise.objects.filter(is_key_unit=True).count() == 10
    assert Inspection.objects.count() == generated.inspections == 100
    assert Problem.objects.count() == generated.problems
    # about 250,000 problems per 50,000 inspections at factor 1
    assert 3 * generated.inspections <= generated.problems <= 8 * generated.inspections
    # one inspector account per county and role is where the inspections come from
    counties = Region.objects.filter(level="county", kind="division")
    assert User.objects.filter(role="county", username__startswith="scale-county-").count() == (
        3 * counties.count()
    )


def test_registry_rows_are_valid(generated):
    classes = set(Industry.objects.filter(level="class").values_list("pk", flat=True))
    for unit in Enterprise.objects.select_related("county"):
        assert uscc.is_valid(unit.credit_code)
        assert unit.credit_code[2:8] == unit.county.code
        assert unit.city_id == unit.county.parent_id
        assert unit.industry_id in classes
        unit.full_clean()  # phone, key-unit and monitoring rules of the model hold too


def test_every_key_unit_has_a_self_check_and_its_filed_problems(generated):
    key_units = Enterprise.objects.filter(is_key_unit=True)
    assert set(SelfCheck.objects.values_list("enterprise_id", flat=True)) == set(
        key_units.values_list("pk", flat=True)
    )
    for unit in key_units.select_related("industry"):
        check = unit.self_checks.get()
        items = applicable_items(CheckItem.objects.filter(version=check.version), unit)
        assert check.answers.count() == len(items)
        assert unit.users.filter(role="enterprise").exists()
    # every 不符合 answer of a filed table is a self-found problem, and nothing else is
    filed_bad = SelfCheckAnswer.objects.filter(
        self_check__status="filed", result="noncompliant"
    ).values_list("pk", flat=True)
    assert set(
        Problem.objects.filter(self_found=True).values_list("self_check_answer_id", flat=True)
    ) == set(filed_bad)


def test_submitted_records_match_their_lines_and_the_ledger(generated):
    submitted = Inspection.objects.filter(status="submitted")
    assert submitted.exists()
    for inspection in submitted.prefetch_related("findings__item"):
        findings = list(inspection.findings.all())
        assert {f.item.code for f in findings} == set(inspection.original["findings"])
        assert all(f.result for f in findings)
        problems = [f for f in findings if f.result == InspectionFinding.Result.PROBLEM]
        assert inspection.problems.count() == len(problems)
        assert inspection.members.filter(role="lead").count() == 1
        for member in inspection.members.all():
            member.full_clean()  # roles are the model's own choices (the record form checks them)
        assert inspection.members.exclude(signature="").count() == 2
        assert inspection.enterprise.county_id == inspection.created_by.region_id
    assert not Inspection.objects.filter(status="planned", findings__isnull=False).exists()


def test_scope_holds_on_generated_data(generated):
    inspector = User.objects.filter(username__startswith="scale-county-").first()
    own = access.visible(inspector, Problem.objects.all())
    assert set(own.values_list("enterprise__county_id", flat=True)) <= {inspector.region_id}
    assert own.count() == Problem.objects.filter(enterprise__county=inspector.region).count()
    province = User.objects.get(username="scale-province")
    assert access.visible(province, Problem.objects.all()).count() == Problem.objects.count()
    assert province.check_password(scale.PASSWORD)


def test_same_seed_same_data(reference_data):
    def fingerprint():
        return (
            list(Enterprise.objects.order_by("pk").values_list("credit_code", "county__code")),
            Counter(Problem.objects.values_list("kind", flat=True)),
            list(
                Inspection.objects.order_by("pk")
                .values("enterprise__credit_code")
                .annotate(n=Count("findings"))
                .values_list("enterprise__credit_code", "status", "n")
            ),
            list(Case.objects.order_by("pk").values_list("status", "filed_on", "fine")),
            list(Deadline.objects.order_by("pk").values_list("key", "due_date", "done_on")),
        )

    with transaction.atomic():
        scale.generate(factor=FACTOR, seed=5)
        first = fingerprint()
        transaction.set_rollback(True)
    scale.generate(factor=FACTOR, seed=5)
    assert fingerprint() == first
    assert len(first[0]) == 260


def test_refuses_a_database_with_data(reference_data):
    EnterpriseFactory()
    with pytest.raises(CommandError, match="空库"):
        call_command("generate_scale", "--factor", "0.001", "--force", verbosity=0)
    assert Enterprise.objects.count() == 1
    assert not User.objects.filter(username__startswith="scale-").exists()


def test_refuses_without_debug_unless_forced(reference_data, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("generate_scale", "--factor", "0.001", verbosity=0)
    assert not Enterprise.objects.exists()
    call_command("generate_scale", "--factor", "0.001", "--force", stdout=open("/dev/null", "w"))
    assert Enterprise.objects.count() == 130


def test_generated_inspectors_can_work_on_their_record_forms(client, generated):
    """What the load test does: a team member opens a record in progress and saves a line."""
    inspection = Inspection.objects.filter(status="in_progress").first()
    member = inspection.members.exclude(role="lead").get()
    client.force_login(member.user)
    assert client.get(f"/inspections/{inspection.pk}/").status_code == 200
    line = inspection.findings.first()
    response = client.post(
        f"/api/v1/inspection-findings/{line.pk}/",
        {"revision": line.revision, "result": "ok"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["revision"] == line.revision + 1


def test_refuses_a_database_with_accounts_or_a_campaign(reference_data):
    """A fresh production database (accounts and the campaign set up, no registry yet) too."""
    from tests import org_factories
    from tests.factories import UserFactory

    UserFactory(
        username="real-inspector",
        role="county",
        region=Region.objects.get(code="410105", level="county"),
    )
    with pytest.raises(scale.DatabaseNotEmpty):
        scale.generate(factor=0.001)
    User.objects.filter(username="real-inspector").delete()
    org_factories.campaign()
    with pytest.raises(scale.DatabaseNotEmpty):
        scale.generate(factor=0.001)
    assert not User.objects.filter(username__startswith="scale-").exists()


S = Case.Status


def test_cases_follow_the_procedure(generated):
    cases = Case.objects.select_related("violation_type").prefetch_related(
        "case_problems__problem__classification", "investigators", "events", "deadlines"
    )
    assert cases.count() == generated.cases == 30
    assert set(cases.values_list("status", flat=True)) == set(S)  # every step and branch
    assert Deadline.objects.count() == generated.deadlines
    assert Classification.objects.count() == generated.classifications
    calendar = WorkingCalendar()
    for case in cases:
        links = list(case.case_problems.all())
        assert len(links) == 1
        problem = links[0].problem
        # a primary violation of the case's own enterprise, classified on the case's path
        assert problem.enterprise_id == case.enterprise_id and problem.primary_id is None
        assert problem.kind == "violation" and problem.county_id == case.county_id
        assert problem.classification.path == case.path and case.path in CASE_PATHS
        assert case.violation_type is not None and case.rules == "2010"
        expected = {S.CLOSED: {"rectifying", "closed"}, S.NOT_FILED: {"rectifying"}}
        expected[S.REVOKED] = {"rectifying"}
        assert problem.status in expected.get(case.status, {"handling"}), case.status
        assert problem.events.get().to_status == problem.status  # its history starts there
        # dates in the order of the procedure, within the campaign year
        assert case.discovered_on == timezone.localdate(problem.found_at)
        if case.filed_on:
            assert case.discovered_on < case.filed_on
            assert case.filed_on <= calendar.add_working_days(case.discovered_on, 7).date
        steps = [case.discovered_on, case.filed_on, case.notified_on, case.decided_on]
        steps += [case.served_on, case.closed_on]
        days = [day for day in steps if day]
        assert days == sorted(days) and days[-1] <= scale.AS_OF
        # two certified investigators of the county; the reviewer is neither (查处分离)
        people = list(case.investigators.all())
        assert len(people) == 2 and all(
            p.badge_no and p.region_id == case.county_id for p in people
        )
        assert case.reviewer_id is None or case.reviewer_id not in {p.pk for p in people}
        # the events retrace the steps, each one a move the procedure allows
        events = sorted(case.events.all(), key=lambda e: (e.at, e.pk))
        assert events[0].from_status == "" and events[0].to_status == S.FILING
        for before, after in itertools.pairwise(events):
            assert after.from_status == before.to_status
            assert after.to_status in Case.TRANSITIONS[before.to_status]
        assert events[-1].to_status == case.status
        deadlines = {d.key: d for d in case.deadlines.all()}
        assert deadlines["filing"].start_date == case.discovered_on
        if case.filed_on:
            assert deadlines["decision"].start_date == case.filed_on
        if case.is_finished:
            assert all(d.done_on for d in deadlines.values())


def test_open_clocks_are_what_the_clocks_compute(reference_data):
    """Some overdue as the year ends, some not; and a recomputation moves none of them (an open
    pause runs up to today: one day for both, not a midnight between them)."""
    import time_machine

    with time_machine.travel(timezone.make_aware(dt.datetime(2026, 12, 3, 23, 59)), tick=False):
        scale.generate(factor=FACTOR, seed=11)
        _recompute_moves_nothing()


def _recompute_moves_nothing():
    open_ = Deadline.objects.filter(done_on__isnull=True)
    assert open_.filter(against="bureau", due_date__lt=scale.AS_OF).exists()
    assert open_.filter(due_date__gte=scale.AS_OF).exists()
    assert not open_.filter(case__status__in=Case.FINISHED).exists()
    Deadline.objects.update(calendar_version="old")  # as after a calendar update
    assert deadlines_recompute_stale() == 0
    assert not open_.filter(calendar_version="old").exists()


def test_guidance_classifications_are_management_problems_without_a_case(generated):
    guidance = Classification.objects.filter(path=Path.GUIDANCE).select_related("problem")
    assert guidance.exists()
    for row in guidance:
        assert row.problem.kind != "violation" and not row.problem.case_links.exists()
        assert row.problem.status in ("handling", "rectifying")
        assert row.enterprise_id == row.problem.enterprise_id


def test_a_county_sees_its_own_cases_only(generated):
    county = Case.objects.values_list("county_id", flat=True).order_by("pk").first()
    inspector = User.objects.filter(role="county", region_id=county).first()
    own = case_list(user=inspector)
    assert own.count() == Case.objects.filter(county_id=county).count() > 0
    assert set(own.values_list("county_id", flat=True)) == {county}
    clocks = deadline_list(user=inspector)
    assert set(clocks.values_list("case__county_id", flat=True)) <= {county}
    province = User.objects.get(username="scale-province")
    assert case_list(user=province).count() == Case.objects.count()
