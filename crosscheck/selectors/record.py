"""Reads of the verification records and accountability, starting from the access policy."""

from __future__ import annotations

from django.db.models import QuerySet

from campaign import access
from campaign.models import User
from crosscheck.models import Accountability, Finding, VerificationRecord


def findings(record: VerificationRecord) -> QuerySet[Finding]:
    """A record's findings (the caller has fetched the record through the policy)."""
    return record.findings.select_related(
        "self_check", "inspection", "case", "item", "problem"
    ).prefetch_related("people__user")


def accountabilities_all() -> QuerySet[Accountability]:
    return Accountability.objects.select_related(
        "person",
        "city",
        "county",
        "finding__record__unit__enterprise",
        "finding__record__team__round",
    )


def accountabilities(*, user: User) -> QuerySet[Accountability]:
    return access.visible(user, accountabilities_all()).order_by("response_due", "pk")
