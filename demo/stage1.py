"""Demo data for stage 1: the catalogue in use, registry flags, self-check tables in every status."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from campaign.models import Region, StageWindow, User
from demo.campaign import Timeline
from enterprises.models import Enterprise
from inspections.catalogue import catalogue_use_for_campaign, load_catalogue
from inspections.models import SelfCheck
from inspections.services import selfcheck as services

DEMO_PASSWORD = "demo-pass-2020"
# a tiny valid PNG (1×1), so evidence in the demo opens as a picture
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc000000301010018dd8db40000000049454e44ae426082"
)


def seed(timeline: Timeline, users: dict[str, User]) -> None:
    campaign = timeline.campaign
    version = load_catalogue()
    catalogue_use_for_campaign(campaign=campaign, version=version)
    _registry_flags()
    if SelfCheck.objects.filter(campaign=campaign).exists():
        return
    jinshui = Region.objects.get(level="county", code="410105")
    units = sorted(
        Enterprise.objects.filter(city__code="4101", city__level="city").exclude(
            users__username="ent-zz"
        ),
        key=lambda u: (u.county_id != jinshui.pk, u.pk),
    )
    # filed with self-found problems; submitted and waiting; returned with a reason; late; filed by
    # the city — all within the self-check window that ended two weeks ago (the late one after it)
    closed = (timeline.ends(StageWindow.Stage.SELF_CHECK) - timeline.today).days
    plans = [
        ("filed", timeline.at(closed - 8)),
        ("submitted", timeline.at(closed - 2, 16)),
        ("returned", timeline.at(closed - 6)),
        ("late", timeline.at(closed + 9, 9)),
        ("filed", timeline.at(closed - 11, 15)),
    ]
    # what the enterprises promise: to be rectified before the rectification stage ends
    by_end = timeline.ends(StageWindow.Stage.RECTIFICATION)
    soon = timeline.day(30)
    for unit, (state, at) in zip(units, plans, strict=False):
        reviewer = users["jinshui"] if unit.county_id == jinshui.pk else users["zhengzhou"]
        filler = _enterprise_user(unit)
        sc = services.self_check_open(actor=filler, enterprise=unit, campaign=campaign)
        services.self_check_save_header(
            actor=filler,
            self_check=sc,
            values={
                "filler_name": filler.full_name,
                "filled_on": at.date(),
                "env_manager": unit.contact_person or "环保负责人",
                "env_manager_phone": unit.contact_phone,
                "declaration": True,
            },
        )
        for index, answer in enumerate(sc.answers.select_related("item")):
            values = {"result": "compliant"}
            if answer.item.area == "legal" and index % 5 == 1 and state in ("filed", "returned"):
                values = {
                    "result": "noncompliant",
                    "problem": f"{answer.item.title}：相关手续不全，正在补办。",
                    "measure": "向审批部门提交补办申请，取得批复后报县局备案。",
                    "deadline": by_end,
                    "responsible": unit.legal_representative,
                }
            elif answer.item.area == "management" and index % 4 == 0 and state == "filed":
                values = {
                    "result": "noncompliant",
                    "problem": f"{answer.item.title}未落实，缺少运行记录。",
                    "measure": "补建台账，明确专人每日记录。",
                    "deadline": soon,
                    "responsible": unit.contact_person or unit.legal_representative,
                }
            elif answer.item.area == "mobile" and not unit.is_key_unit:
                values = {"result": "na"}
            services.self_check_save_answer(actor=filler, answer=answer, values=values)
            if values["result"] == "noncompliant":
                photo = SimpleUploadedFile("现场照片.png", PNG, content_type="image/png")
                services.self_check_add_evidence(actor=filler, answer=answer, upload=photo)
        services.self_check_submit(actor=filler, self_check=sc, at=at)
        if state == "filed":
            services.self_check_file(actor=reviewer, self_check=sc, comment="材料齐全，予以备案。")
        elif state == "returned":
            services.self_check_return(
                actor=reviewer,
                self_check=sc,
                comment="不符合项的整改措施过于笼统，请写明具体措施和完成时间后重新提交。",
            )
    # a draft in 洛阳, half filled
    draft_unit = (
        Enterprise.objects.filter(city__code="4103")
        .exclude(users__username="ent-ly")
        .order_by("pk")
        .first()
    )
    if draft_unit:
        filler = _enterprise_user(draft_unit)
        sc = services.self_check_open(actor=filler, enterprise=draft_unit, campaign=campaign)
        for answer in list(sc.answers.all())[:5]:
            services.self_check_save_answer(
                actor=filler, answer=answer, values={"result": "compliant"}
            )


def _enterprise_user(unit: Enterprise) -> User:
    user = unit.users.first()
    if user:
        return user
    user = User.objects.create(
        username=f"ent-{unit.credit_code[-6:].lower()}",
        role=User.Role.ENTERPRISE,
        full_name=unit.contact_person or "企业环保员",
        unit=f"{unit.name} 环保负责人",
    )
    user.set_password(DEMO_PASSWORD)
    user.save()
    unit.users.add(user)
    return user


def _registry_flags() -> None:
    """What the catalogue's applicability reads: permit class, hazardous waste, tailings, radiation."""
    for unit in Enterprise.objects.filter(permit_class=""):
        code = unit.industry.code
        unit.permit_class = (
            "key"
            if unit.is_key_unit
            else ("simplified" if code[:2] in ("17", "19", "22", "30") else "registration")
        )
        unit.has_hazardous_waste = code[:2] in ("25", "26", "27", "32", "33", "77")
        unit.has_tailings_pond = code[:2] in ("32",)
        unit.has_radiation = code[:2] in ("27",) and unit.is_key_unit
        unit.save(
            update_fields=[
                "permit_class",
                "has_hazardous_waste",
                "has_tailings_pond",
                "has_radiation",
                "updated_at",
            ]
        )
