"""What the records of every subdomain share: the region they keep when recorded."""

from __future__ import annotations

from django.db import models

from campaign.access import AccessPaths
from campaign.models import Region

# records that keep their place in history: their own county and city, stored when recorded
RECORD_PATHS = AccessPaths(county="county", city="city", enterprise="enterprise")


def region_fields() -> tuple[models.ForeignKey, models.ForeignKey]:
    """The county and city a record belongs to, copied from its enterprise when it is recorded,
    so that a unit moved to another county later does not move its history."""
    return (
        models.ForeignKey(
            Region, verbose_name="所属县（市、区）", on_delete=models.PROTECT, related_name="+"
        ),
        models.ForeignKey(
            Region, verbose_name="所属省辖市", on_delete=models.PROTECT, related_name="+"
        ),
    )
