"""Reads of the teams, starting from the access policy."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from campaign import access
from campaign.models import User
from crosscheck.models import (
    ConflictDeclaration,
    SampledUnit,
    Team,
    TeamMember,
    VerificationRecord,
    VerificationRound,
)


def teams(*, user: User, row: VerificationRound) -> QuerySet[Team]:
    rows = (
        Team.objects.filter(round=row)
        .select_related("target_city", "target_county")
        .prefetch_related("members__user", "members__assignment__commitment")
    )
    return access.visible(user, rows).order_by("number")


def my_teams(*, user: User) -> QuerySet[TeamMember]:
    """The user's own places in teams, newest round first."""
    rows = TeamMember.objects.filter(user=user).select_related(
        "team__round", "team__target_city", "team__target_county", "assignment__commitment"
    )
    return access.visible(user, rows).order_by("-team__round__created_at", "team__number")


def conflicts(*, user: User) -> QuerySet[ConflictDeclaration]:
    return access.visible(user, ConflictDeclaration.objects.select_related("user"))


def team_units(member: TeamMember) -> QuerySet[SampledUnit]:
    """Every sampled unit the member's team visits (not scoped: the grants are made from it)."""
    team = member.team
    units = SampledUnit.objects.filter(draw__round=team.round_id, city=team.target_city_id)
    if team.target_county_id:
        units = units.filter(county=team.target_county_id)
    return units


def member_units(*, user: User, member: TeamMember) -> QuerySet[SampledUnit]:
    """The team's sampled units that the user may open now (a member: once signed and released)."""
    units = team_units(member).select_related("enterprise", "county")
    return access.visible(user, units).order_by("position")


def grant_reason(row: VerificationRound, team: Team) -> str:
    """The reason on a member's grants: closing the round revokes exactly these."""
    return f"异地核查：{row.title}（{team}）"[:200]


def round_end(row: VerificationRound) -> dt.datetime:
    """A round ends with its last day, Beijing time, or when its organiser closes it earlier: the
    members' grants and writing stop then."""
    last = timezone.make_aware(dt.datetime.combine(row.ends_on + dt.timedelta(days=1), dt.time()))
    return min(last, row.closed_at) if row.closed_at else last


def open_places(*, user: User) -> list[dict]:
    """The user's places in rounds still running, with their units and signed records so far."""
    now = timezone.now()
    places = []
    for member in my_teams(user=user).filter(team__round__status=VerificationRound.Status.DRAWN):
        row = member.team.round
        if round_end(row) <= now:
            continue
        counts = team_units(member).aggregate(
            units=Count("pk"),
            signed=Count("pk", filter=Q(record__status=VerificationRecord.Status.SIGNED)),
        )
        places.append(
            {
                "member": member,
                "signed_commitment": hasattr(member.assignment, "commitment"),
                "released": row.release_at <= now,
                "units": counts["units"],
                "records_signed": counts["signed"],
            }
        )
    return places
