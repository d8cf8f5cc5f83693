"""Scale data: proportional to Henan, valid, internally consistent, seeded, and never mixed in."""

from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Count
from stdnum.cn import uscc

from campaign import access
from campaign.models import Industry, Region, User
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

FACTOR = 0.002  # 260 units, 10 key units, 100 inspections


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
