"""Stage-4 objects around the shared cast: problems of the 金水 unit gathered into its plan."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from inspections.models import CatalogueVersion, CheckItem
from rectification.services import plan as plan_services
from tests.cases import factories as case_factories
from tests.inspections.factories import use_catalogue

staff = case_factories.staff
# items the small test catalogue lacks: a 攻坚 facility task, the "facility not built" item, and
# more management gaps
EXTRA_ITEMS = [
    ("GL-02", "management", "环保考核奖惩制度", "management"),
    ("GL-03", "management", "隐患排查整改制度", "management"),
    ("SS-28", "facilities", "攻坚要求治理设施建设", "violation"),
    ("HF-03", "legal", "竣工环境保护验收", "violation"),
]


def catalogue():
    version = CatalogueVersion.objects.filter(code="test-v1").first() or use_catalogue()
    for order, (code, area, title, kind) in enumerate(EXTRA_ITEMS, start=50):
        CheckItem.objects.get_or_create(
            version=version,
            code=code,
            defaults={
                "area": area,
                "title": title,
                "order": order,
                "points": f"检查{title}",
                "standard": f"{title}符合要求",
                "problem_kind": kind,
            },
        )
    return version


def problem(cast, **extra):
    catalogue()
    return case_factories.problem(cast, **extra)


def jpeg(name: str = "整改后.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def pdf(name: str = "监测报告.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n%test\n", content_type="application/pdf")


def plan(cast, *codes: str):
    """The 金水 unit's plan with one problem per code (default: one management gap)."""
    for code in codes or ("GL-01",):
        problem(cast, code=code)
    return plan_services.plan_build(actor=cast.county, enterprise=cast.ent)


def ready_item(cast, item):
    """An item with a measure done and a photo: every condition of 销号 met (no case on it)."""
    plan_services.item_update(actor=cast.county, item=item, values={}, measures=["更换滤袋"])
    measure = item.measures.get()
    plan_services.measure_done(actor=cast.enterprise_user, item=item, measure=measure, done_on=None)
    plan_services.measure_done(
        actor=cast.enterprise_user,
        item=item,
        measure=measure,
        done_on=timezone.localdate(item.problem.found_at),
    )
    plan_services.evidence_attach(
        actor=cast.enterprise_user, item=item, kind="photo", upload=jpeg()
    )
    item.refresh_from_db()
    return item


# --- for the permission matrix: records of the 金水 unit's plan in a state where each step works


def item(cast):
    return plan(cast).items.get()


def item_with_measure(cast):
    found = item(cast)
    plan_services.item_update(actor=cast.county, item=found, values={}, measures=["矩阵措施"])
    return found


def applicable_item(cast):
    return ready_item(cast, item(cast))


def applied_item(cast):
    found = applicable_item(cast)
    return plan_services.item_apply(actor=cast.enterprise_user, item=found)


def extension(cast):
    found = item(cast)
    return plan_services.extension_request(
        actor=cast.enterprise_user,
        item=found,
        reason="矩阵延期理由",
        deadline=timezone.localdate() + timezone.timedelta(days=30),
    )


def proposal(cast):
    from campaign.models import StageWindow
    from rectification.models import FacilityProposal
    from rectification.services.verification import proposals_make
    from tests import org_factories

    found = plan(cast, "SS-28").items.get()
    today = timezone.localdate()
    StageWindow.objects.update_or_create(
        campaign=org_factories.campaign(),
        stage=StageWindow.Stage.RECTIFICATION,
        city=None,
        defaults={
            "starts_on": today - timezone.timedelta(days=90),
            "ends_on": today - timezone.timedelta(days=1),
        },
    )
    proposals_make(today)
    return FacilityProposal.objects.get(item=found)


def guidance(cast):
    from rectification.services.guidance import guidance_record

    return guidance_record(
        actor=cast.county,
        kind="training",
        held_on=timezone.localdate(),
        topic="矩阵环保知识进企业",
        enterprises=[cast.ent],
        officers=[cast.county],
        attendees=12,
    )
