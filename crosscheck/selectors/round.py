"""Reads of the verification rounds, starting from the access policy."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from campaign import access
from campaign.models import Campaign, User
from crosscheck.models import DrawReplay, SampledUnit, VerificationRound


def rounds(*, user: User, campaign: Campaign | None) -> QuerySet[VerificationRound]:
    rows = (
        VerificationRound.objects.filter(campaign=campaign)
        .select_related("city", "created_by", "draw")
        .annotate(sampled=Count("draw__units"))
    )
    return access.visible(user, rows).order_by("-created_at", "-pk")


def sample(*, user: User, row: VerificationRound) -> QuerySet[SampledUnit]:
    """The units drawn in this round that the user may see (the province all of them; a city, its
    own round's at once and the province's once released, its own units only)."""
    units = SampledUnit.objects.filter(draw__round=row).select_related(
        "enterprise", "enterprise__industry", "city", "county"
    )
    return access.visible(user, units).order_by("position")


def replays(*, user: User, row: VerificationRound) -> QuerySet[DrawReplay]:
    return access.visible(
        user, DrawReplay.objects.filter(draw__round=row).select_related("by")
    ).order_by("-at", "-pk")


def sampled_units(*, user: User, campaign: Campaign | None) -> QuerySet[SampledUnit]:
    units = SampledUnit.objects.filter(draw__round__campaign=campaign).select_related(
        "enterprise", "city", "county", "draw__round"
    )
    return access.visible(user, units).order_by("-draw__round__created_at", "position")
