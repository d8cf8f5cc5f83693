"""Reads of the organisation, integrity and complaints: every one starts from the access policy."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from campaign import access
from campaign.models import (
    Assignment,
    Campaign,
    Complaint,
    IntegrityDocument,
    LiaisonTable,
    PoolImport,
    PoolMembership,
    Region,
    RosterGroup,
    RosterMember,
    User,
)


def roster_groups(*, user: User, campaign: Campaign) -> QuerySet[RosterGroup]:
    members = RosterMember.objects.order_by("order", "pk")
    return access.visible(user, RosterGroup.objects.filter(campaign=campaign)).prefetch_related(
        Prefetch("members", queryset=members)
    )


def pool_members(*, user: User, campaign: Campaign) -> QuerySet[PoolMembership]:
    return (
        access.visible(user, PoolMembership.objects.filter(campaign=campaign))
        .select_related("user", "user__region", "user__region__parent", "added_by")
        .prefetch_related("user__industries")
    )


def pool_imports(*, user: User) -> QuerySet[PoolImport]:
    return access.visible(user, PoolImport.objects.select_related("created_by"))


def people(*, user: User) -> QuerySet[User]:
    return access.visible(user, User.objects.filter(is_active=True)).select_related(
        "region", "region__parent"
    )


@dataclass(frozen=True)
class LiaisonStatus:
    city: Region
    table: LiaisonTable | None
    state: str  # complete / late / missing / overdue

    @property
    def label(self) -> str:
        return {
            "complete": "已按时报送",
            "late": "逾期报送",
            "missing": "未报送",
            "overdue": "逾期未报送",
        }[self.state]


def liaison_statuses(*, user: User, campaign: Campaign) -> list[LiaisonStatus]:
    """Every city in the user's reach with the state of its liaison table."""
    cities = access.regions_in_reach(user, Region.objects.filter(level=Region.Level.CITY)).order_by(
        "code"
    )
    tables = {
        t.city_id: t
        for t in access.visible(
            user, LiaisonTable.objects.filter(campaign=campaign)
        ).prefetch_related("people")
    }
    overdue = bool(campaign.liaison_deadline and timezone.now() > campaign.liaison_deadline)
    result = []
    for city in cities:
        table = tables.get(city.pk)
        if table and table.submitted_at:
            state = "late" if table.is_late else "complete"
        else:
            state = "overdue" if overdue else "missing"
        result.append(LiaisonStatus(city, table, state))
    return result


def liaison_tables(*, user: User, campaign: Campaign) -> QuerySet[LiaisonTable]:
    return (
        access.visible(user, LiaisonTable.objects.filter(campaign=campaign))
        .select_related("city", "submitted_by")
        .prefetch_related("people")
    )


def integrity_documents(*, campaign: Campaign) -> list[IntegrityDocument]:
    """The current version of each published text."""
    current = {}
    for document in IntegrityDocument.objects.filter(campaign=campaign).order_by(
        "kind", "-version"
    ):
        current.setdefault(document.kind, document)
    return list(current.values())


def assignments(*, user: User, campaign: Campaign) -> QuerySet[Assignment]:
    return access.visible(user, Assignment.objects.filter(campaign=campaign)).select_related(
        "user", "user__region", "destination", "commitment", "self_check"
    )


def complaints(*, user: User) -> QuerySet[Complaint]:
    return access.visible(user, Complaint.objects.select_related("handler"))


def may_see_complaint_contact(user: User) -> bool:
    """The reporter's name and contact are for the patrol group's eyes only."""
    return user.role == User.Role.PATROL
