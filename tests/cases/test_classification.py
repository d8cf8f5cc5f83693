"""Classification: a suggested path, the bureau's decision with a reason, one case per violation."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cases.models import Case, Classification, Path
from cases.services import classification as services
from inspections.models import Problem
from tests.cases import factories as f

P = Problem.Status


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "severity", "self_found", "measure", "expected"),
    [
        ("GL-01", "serious", False, "", Path.GUIDANCE),  # a management gap
        ("SS-01", "grave", False, "", Path.GUIDANCE),  # a hazard
        ("SS-03", "grave", False, "", Path.TRANSFER),  # grave evasion: detention / crime
        ("HF-01", "grave", False, "", Path.STRICT),
        ("HF-01", "minor", True, "已停止建设并补办环评", Path.EXEMPT),
        ("HF-01", "serious", True, "已停止建设并补办环评", Path.LENIENT),
        ("HF-01", "minor", False, "", Path.LENIENT),
        ("HF-01", "serious", False, "", Path.STRICT),
    ],
)
def test_the_suggested_path_follows_the_plan(cast, code, severity, self_found, measure, expected):
    problem = f.problem(cast, code=code, severity=severity, self_found=self_found, measure=measure)
    path, why = services.suggestion_for(problem)
    assert path == expected
    assert why
    assert services.suggestions_for([problem]) == [(path, why)]  # the page's batch agrees


@pytest.mark.django_db
def test_classifying_two_violations_opens_one_case_each(cast):
    first = f.problem(cast, code="HF-01")
    second = f.problem(cast, code="SS-03")
    made = services.classify(
        actor=cast.county,
        problems=[first, second],
        path=Path.STRICT,
        reason="现场检查查实",
        investigators=[cast.county, f.staff("js2")],
    )
    assert [c.path for c in made] == [Path.STRICT, Path.STRICT]
    assert made[1].suggested_path == Path.STRICT and made[1].differs is False
    cases = Case.objects.order_by("pk")
    assert cases.count() == 2  # 逐个立案
    assert cases[0].violation_type.code == "EIA-01"
    assert cases[1].violation_type.code == "EVADE-01"
    assert cases[0].title == "涉嫌未依法报批建设项目环境影响报告书（表）擅自开工建设（未批先建）案"
    for problem in (first, second):
        problem.refresh_from_db()
        assert problem.status == P.HANDLING
        assert problem.case_links.count() == 1
        assert problem.events.last().ref == problem.case_links.get().case


@pytest.mark.django_db
def test_guidance_keeps_the_problem_in_the_ledger_without_a_case(cast):
    gap = f.problem(cast, code="GL-01")
    services.classify(actor=cast.county, problems=[gap], path=Path.GUIDANCE, reason="制度缺失")
    gap.refresh_from_db()
    assert gap.status == P.HANDLING
    assert gap.events.last().ref == gap.classification
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_a_refused_problem_refuses_the_whole_batch(cast):
    violation = f.problem(cast, code="HF-01")
    gap = f.problem(cast, code="GL-01")
    with pytest.raises(ValidationError, match="只能行政指导"):
        services.classify(
            actor=cast.county, problems=[violation, gap], path=Path.STRICT, reason="批量"
        )
    assert not Classification.objects.exists() and not Case.objects.exists()
    violation.refresh_from_db()
    assert violation.status == P.OPEN
    with pytest.raises(ValidationError, match="理由"):
        services.classify(actor=cast.county, problems=[violation], path=Path.STRICT, reason=" ")


@pytest.mark.django_db
def test_a_problem_out_of_reach_or_already_classified_is_refused(cast):
    violation = f.problem(cast, code="HF-01")
    with pytest.raises(ValidationError, match="管辖范围"):
        services.classify(
            actor=cast.other_county, problems=[violation], path=Path.GUIDANCE, reason="越权"
        )
    with pytest.raises(PermissionDenied):
        services.classify(
            actor=cast.enterprise_user, problems=[violation], path=Path.GUIDANCE, reason="企业"
        )
    services.classify(actor=cast.city, problems=[violation], path=Path.EXEMPT, reason="首违轻微")
    with pytest.raises(ValidationError, match="处理中"):
        services.classify(
            actor=cast.county, problems=[violation], path=Path.GUIDANCE, reason="再次"
        )
