"""Loading a catalogue version from its fixture, and freezing it for a campaign."""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from campaign.models import Campaign
from inspections.models import Area, CampaignCatalogue, CatalogueVersion, CheckItem, ProblemKind

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "check-items-2020.json"
KEY_TYPES = {"key_water", "key_air", "key_soil", "key_noise", "key_risk"}
PERMIT_CLASSES = {"key", "simplified", "registration"}


def _item_values(raw: dict) -> dict:
    applies = raw.get("applies", {})
    if raw["area"] not in Area.values or raw["problem_kind"] not in ProblemKind.values:
        raise ValidationError(f"检查项目 {raw['code']} 的检查内容或问题类型不正确。")
    if (
        not set(applies.get("key_types", [])) <= KEY_TYPES
        or not set(applies.get("permit_classes", [])) <= PERMIT_CLASSES
    ):
        raise ValidationError(f"检查项目 {raw['code']} 的适用条件不正确。")
    return {
        "area": raw["area"],
        "order": raw.get("order", 0),
        "title": raw["title"],
        "points": raw["points"],
        "standard": raw["standard"],
        "legal_basis": raw.get("legal_basis", ""),
        "problem_kind": raw["problem_kind"],
        "industry_prefixes": applies.get("industry_prefixes", []),
        "key_types": applies.get("key_types", []),
        "key_unit_only": applies.get("key_unit_only", False),
        "hazardous_waste": applies.get("hazardous_waste", False),
        "auto_monitoring": applies.get("auto_monitoring", False),
        "tailings_pond": applies.get("tailings_pond", False),
        "radiation": applies.get("radiation", False),
        "permit_classes": applies.get("permit_classes", []),
    }


@transaction.atomic
def load_catalogue(
    *, code: str = "2020-v1", name: str = "2020 年度一体化执法检查项目目录", path: Path = FIXTURE
) -> CatalogueVersion:
    """Create or update a catalogue version from JSON; a frozen version is never changed."""
    version, _ = CatalogueVersion.objects.get_or_create(code=code, defaults={"name": name})
    if version.is_frozen:
        return version
    for raw in json.loads(path.read_text(encoding="utf-8")):
        CheckItem.objects.update_or_create(
            version=version, code=raw["code"], defaults=_item_values(raw)
        )
    return version


@transaction.atomic
def catalogue_use_for_campaign(
    *, campaign: Campaign, version: CatalogueVersion
) -> CampaignCatalogue:
    """A campaign freezes the version it uses: later edits go into a new version."""
    link, created = CampaignCatalogue.objects.get_or_create(
        campaign=campaign, defaults={"version": version}
    )
    if not created and link.version_id != version.pk:
        raise ValidationError(f"{campaign}已使用目录 {link.version.code}，不能更换。")
    if not version.is_frozen:
        version.frozen_at = timezone.now()
        version.save(update_fields=["frozen_at"])
    return link


@transaction.atomic
def catalogue_copy(*, source: CatalogueVersion, code: str, name: str) -> CatalogueVersion:
    """A new, editable version with the items of an existing one (how a frozen catalogue is changed)."""
    if CatalogueVersion.objects.filter(code=code).exists():
        raise ValidationError({"code": f"版本号 {code} 已存在。"})
    copy = CatalogueVersion.objects.create(code=code, name=name)
    CheckItem.objects.bulk_create(
        [
            CheckItem(
                version=copy,
                **{
                    f.name: getattr(item, f.name)
                    for f in CheckItem._meta.fields
                    if f.name not in ("id", "version")
                },
            )
            for item in source.items.all()
        ]
    )
    return copy


def catalogue_for(campaign: Campaign) -> CatalogueVersion | None:
    link = CampaignCatalogue.objects.filter(campaign=campaign).select_related("version").first()
    return link.version if link else None
