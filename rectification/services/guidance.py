"""指导: recording guidance visits and 环保知识进企业 trainings against plans."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from campaign import access
from campaign.models import Region, User
from campaign.selectors.calendar import campaign_current
from campaign.uploads import validate_upload
from campaign.validators import check_text
from enterprises.models import Enterprise
from inspections.selectors.onsite import plannable_inspectors
from rectification.models import GuidanceActivity, RectificationPlan
from rectification.services.plan import parse_day, require_bureau

MATERIAL_TYPES = ("application/pdf", "image/jpeg", "image/png")
MAX_MATERIAL_BYTES = 20 * 1024 * 1024


@transaction.atomic
def guidance_record(
    *,
    actor: User,
    kind: str,
    held_on: Any,
    topic: str,
    enterprises: Iterable[Enterprise],
    officers: Iterable[User],
    attendees: Any,
    attendee_names: str = "",
    material: UploadedFile | None = None,
) -> GuidanceActivity:
    """One visit (one enterprise) or training (several), held by the actor's bureau; it is linked
    to the enterprises' plans of the current campaign."""
    require_bureau(actor)
    if kind not in GuidanceActivity.Kind.values:
        raise ValidationError({"kind": "请选择类型（帮扶指导或环保知识进企业）。"})
    day = parse_day(held_on, "held_on", "日期")
    if day is None:
        raise ValidationError({"held_on": "请填写日期。"})
    if day > timezone.localdate():
        raise ValidationError({"held_on": "日期不能晚于今天（记录已开展的活动）。"})
    topic = str(topic or "").strip()
    if not topic:
        raise ValidationError({"topic": "请填写主题。"})
    attendee_names = str(attendee_names or "").strip()
    check_text(GuidanceActivity, {"topic": topic, "attendee_names": attendee_names})
    try:
        count = int(attendees)
    except (TypeError, ValueError) as exc:
        raise ValidationError({"attendees": "参加人数须为整数。"}) from exc
    if count < 1 or count > 100000:
        raise ValidationError({"attendees": "参加人数须在 1 到 100000 之间。"})
    enterprises = list(dict.fromkeys(enterprises))
    if not enterprises:
        raise ValidationError({"enterprises": "请选择参加的企业。"})
    if kind == GuidanceActivity.Kind.VISIT and len(enterprises) != 1:
        raise ValidationError(
            {"enterprises": "帮扶指导针对一家企业；多家企业请记为环保知识进企业。"}
        )
    for enterprise in enterprises:
        if not access.region_in_reach(actor, enterprise.county):
            raise ValidationError({"enterprises": f"{enterprise.name} 不在您的管辖范围内。"})
    officers = list(dict.fromkeys(officers))
    if not officers:
        raise ValidationError({"officers": "请选择指导人员。"})
    allowed = set(plannable_inspectors(user=actor).filter(pk__in=[o.pk for o in officers]))
    for officer in officers:
        if officer not in allowed:
            raise ValidationError({"officers": f"{officer} 不是您可以指派的执法人员。"})
    campaign = campaign_current()
    if campaign is None:
        raise ValidationError("尚未设置执法行动年度。")
    region = _bureau_region(actor, enterprises)
    activity = GuidanceActivity(
        campaign=campaign,
        county_id=region[0],
        city_id=region[1],
        kind=kind,
        held_on=day,
        topic=topic,
        attendees=count,
        attendee_names=attendee_names,
        recorded_by=actor,
    )
    if material is not None:
        try:
            validate_upload(material, allowed=MATERIAL_TYPES, max_bytes=MAX_MATERIAL_BYTES)
        except ValidationError as exc:
            raise ValidationError({"material": exc.messages}) from exc
        activity.material = material
        activity.material_name = material.name[:255]
    activity.save()
    activity.enterprises.set(enterprises)
    activity.officers.set(officers)
    activity.plans.set(
        RectificationPlan.objects.filter(campaign=campaign, enterprise__in=enterprises)
    )
    return activity


def _bureau_region(actor: User, enterprises: list[Enterprise]) -> tuple[int, int]:
    """Kept where the first unit is (a county bureau's own county; a city's training in a county)."""
    first = enterprises[0]
    if actor.region_id and actor.role == User.Role.COUNTY:
        county = Region.objects.get(pk=actor.region_id)
        return county.pk, county.parent_id
    return first.county_id, first.city_id
