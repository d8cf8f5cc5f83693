"""文号 without gaps: `豫{bureau}环{kind}字〔{year}〕{n}号` (facts §1.4: 豫1700环罚决字〔2022〕4号)."""

from __future__ import annotations

from django.db import transaction

from campaign.models import Region
from cases.models import DocumentCounter


def bureau_code(region: Region) -> str:
    """The bureau's code in a 文号: a county's four digits after the province (411521 → 1521), a
    city's two and 00 (4117 → 1700)."""
    if region.level == Region.Level.COUNTY:
        return region.code[2:6]
    return region.code[2:4] + "00"


def next_number(region: Region, year: int, kind: str) -> str:
    """Take the bureau's next number of this kind and year; must run in the issuing transaction,
    so a refused issue gives its number back."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number() runs inside the issuing transaction")
    counter, _ = DocumentCounter.objects.select_for_update().get_or_create(
        region=region, year=year, kind=kind
    )
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"豫{bureau_code(region)}环{kind}字〔{year}〕{counter.last}号"
