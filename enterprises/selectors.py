"""Reads of the enterprise registry; every one starts from the access policy."""

from __future__ import annotations

from django.db.models import QuerySet

from campaign import access
from campaign.models import User
from enterprises.models import Enterprise, EnterpriseImport


def enterprise_list(*, user: User) -> QuerySet[Enterprise]:
    # regions come in two small queries rather than two joins into a long list's query,
    # which mislead the planner into nested loops (measured in benchmarks/RESULTS.md)
    return (
        access.visible(user, Enterprise.objects.all())
        .select_related("industry")
        .prefetch_related("county", "city")
    )


def enterprise_get(*, user: User, pk: int) -> Enterprise:
    return access.get_visible_or_404(user, enterprise_list(user=user), pk=pk)


def enterprise_import_list(*, user: User) -> QuerySet[EnterpriseImport]:
    return access.visible(user, EnterpriseImport.objects.select_related("created_by"))


def enterprise_import_get(*, user: User, pk: int) -> EnterpriseImport:
    return access.get_visible_or_404(user, enterprise_import_list(user=user), pk=pk)
