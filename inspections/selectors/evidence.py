"""Reads of evidence files: visible exactly where their record is."""

from __future__ import annotations

from campaign import access
from campaign.models import User
from inspections.models import Evidence


def evidence_get(*, user: User, pk: int) -> Evidence:
    return access.get_visible_or_404(user, Evidence.objects.all(), pk=pk)
