"""Reads of the check-item catalogue."""

from __future__ import annotations

from django.db.models import QuerySet

from inspections.models import CheckItem


def check_items(*, campaign_version) -> QuerySet[CheckItem]:
    return CheckItem.objects.filter(version=campaign_version)
