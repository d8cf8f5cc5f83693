"""A small catalogue for tests, with items whose applicability each test can reason about."""

from __future__ import annotations

from inspections.catalogue import catalogue_use_for_campaign
from inspections.models import CatalogueVersion, CheckItem
from tests import org_factories


def make_catalogue(code: str = "test-v1") -> CatalogueVersion:
    version = CatalogueVersion.objects.create(code=code, name="测试目录")
    items = [
        ("GL-01", "management", "环保责任制", "management", {}),
        ("HF-01", "legal", "排污许可证", "violation", {}),
        ("SS-01", "facilities", "危险废物贮存场所", "hazard", {"hazardous_waste": True}),
        ("SS-02", "facilities", "有机废气治理设施", "violation", {"industry_prefixes": ["26"]}),
        ("SS-03", "facilities", "自动监控设施运行", "violation", {"auto_monitoring": True}),
        ("YD-01", "mobile", "非道路移动机械编码登记", "violation", {"key_types": ["key_air"]}),
    ]
    for order, (code_, area, title, kind, applies) in enumerate(items, start=1):
        CheckItem.objects.create(
            version=version,
            code=code_,
            area=area,
            title=title,
            order=order,
            points=f"检查{title}",
            standard=f"{title}符合要求",
            problem_kind=kind,
            **applies,
        )
    return version


def use_catalogue(version: CatalogueVersion | None = None):
    version = version or make_catalogue()
    catalogue_use_for_campaign(campaign=org_factories.campaign(), version=version)
    return version


def self_check(cast):
    from inspections.models import SelfCheck, SelfCheckAnswer

    version = CatalogueVersion.objects.filter(code="test-v1").first() or use_catalogue()
    sc = SelfCheck.objects.create(
        campaign=org_factories.campaign(),
        enterprise=cast.ent,
        county_id=cast.ent.county_id,
        city_id=cast.ent.city_id,
        version=version,
        status=SelfCheck.Status.SUBMITTED,
        filler_name="吴华",
    )
    for item in version.items.filter(code__in=["GL-01", "HF-01"]):
        SelfCheckAnswer.objects.create(self_check=sc, item=item, result="compliant")
    return sc


def answer(cast):
    return self_check(cast).answers.first()


def evidence(cast):
    from django.core.files.base import ContentFile

    from inspections.models import Evidence

    # evidence is visible where its record is: here, an item of the unit's self-check table
    evidence = Evidence.objects.create(
        enterprise=cast.ent,
        file=ContentFile(b"%PDF-1.4", name="e.pdf"),
        original_name="矩阵证据.pdf",
        content_type="application/pdf",
        size=8,
        uploaded_by=cast.enterprise_user,
    )
    answer(cast).evidence.add(evidence)
    return evidence


def problem(cast):
    from django.utils import timezone

    from inspections.services import ledger

    version = CatalogueVersion.objects.filter(code="test-v1").first() or use_catalogue()
    return ledger.problem_record(
        actor=None,
        campaign=org_factories.campaign(),
        enterprise=cast.ent,
        item=version.items.get(code="HF-01"),
        source="self_check",
        self_found=True,
        kind="violation",
        description="矩阵问题描述",
        found_at=timezone.now(),
        found_by=cast.enterprise_user,
    )


def check_item(cast):
    version = CatalogueVersion.objects.filter(code="test-v1").first() or use_catalogue()
    return version.items.get(code="GL-01")


SIGNATURE = "data:image/png;base64," + "iVBORw0KGgo" + "A" * 300


def inspection(cast, *, with_expert: bool = False):
    """A planned inspection of the 金水 unit, led by the 金水 inspector with a second 金水 inspector."""
    import datetime as dt

    from django.utils import timezone

    from campaign.models import User
    from inspections.services import onsite
    from tests.factories import UserFactory, region

    version = CatalogueVersion.objects.filter(code="test-v1").first() or use_catalogue()
    del version
    second = User.objects.filter(username="js2").first() or UserFactory(
        username="js2",
        role="county",
        region=region("410105"),
        badge_no="41010520002",
        full_name="测试js2",
    )
    return onsite.inspection_plan(
        actor=cast.county,
        campaign=org_factories.campaign(),
        enterprise=cast.ent,
        planned_on=timezone.localdate() + dt.timedelta(days=1),
        source="special",
        lead=cast.county,
        inspectors=[second],
        experts=[cast.expert] if with_expert else [],
    )


def finding(cast):
    from inspections.services import onsite

    planned = inspection(cast)
    onsite.inspection_start(actor=cast.county, inspection=planned)
    return planned.findings.first()


# the way from 待处理 to each status, through the ledger service as the stages will move them
STATUS_PATHS = {
    "open": [],
    "handling": ["handling"],
    "rectifying": ["rectifying"],
    "verifying": ["rectifying", "verifying"],
    "closed": ["handling", "closed"],
    "withdrawn": ["withdrawn"],
}


def record_problem(
    enterprise, item, *, campaign=None, status=None, self_found=False, actor=None, **values
):
    """A problem recorded through the ledger service and moved to `status` the lawful way."""
    from django.utils import timezone

    from inspections.services import ledger

    values.setdefault("description", "测试问题")
    values.setdefault("found_at", timezone.now())
    if self_found:
        values.setdefault("measure", "按期整改")
    problem = ledger.problem_record(
        actor=actor,
        campaign=campaign or org_factories.campaign(),
        enterprise=enterprise,
        item=item,
        source=values.pop("source", "self_check" if self_found else "inspection"),
        self_found=self_found,
        **values,
    )
    if status and status != problem.status:
        path = STATUS_PATHS[status]
        if problem.status == "rectifying":
            path = path[path.index("rectifying") + 1 :] if "rectifying" in path else ["handling"]
        for step in path:
            problem = ledger.problem_transition(actor=actor, problem=problem, to=step)
    return problem
