"""Which catalogue items apply to an enterprise, decided from its registry data. Pure functions."""

from __future__ import annotations

from typing import Any


def item_applies(item: Any, enterprise: Any) -> bool:
    """An item applies unless one of its conditions excludes the enterprise."""
    if item.industry_prefixes and not any(
        enterprise.industry.code.startswith(p) for p in item.industry_prefixes
    ):
        return False
    if item.key_unit_only and not enterprise.is_key_unit:
        return False
    if item.key_types and not (
        enterprise.is_key_unit and any(getattr(enterprise, k) for k in item.key_types)
    ):
        return False
    if item.hazardous_waste and not enterprise.has_hazardous_waste:
        return False
    if item.auto_monitoring and not enterprise.auto_monitoring_installed:
        return False
    if item.tailings_pond and not enterprise.has_tailings_pond:
        return False
    if item.radiation and not enterprise.has_radiation:
        return False
    return not (item.permit_classes and enterprise.permit_class not in item.permit_classes)


def applicable_items(items, enterprise) -> list:
    return [item for item in items if item_applies(item, enterprise)]
