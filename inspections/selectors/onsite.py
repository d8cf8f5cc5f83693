"""Reads of stage 2: who may be put on a team, and the key units' inspection progress."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from campaign import access
from campaign.models import Campaign, Region, User
from enterprises.models import Enterprise
from inspections.models import Inspection, InspectionMember, SelfCheckAnswer
from inspections.models.catalogue import area_rank


def team_signers(*, inspection: Inspection) -> QuerySet[User]:
    """The inspectors of one team: who may sign its record and be named its recorder."""
    return User.objects.filter(
        inspection_roles__inspection=inspection,
        inspection_roles__role__in=InspectionMember.SIGNERS,
    )


TEAM_ONLY = {
    "recorder": "记录人须为本检查组的执法人员。",
    "signer": "签名人须为本检查组的执法人员。",
}


def team_member(*, inspection: Inspection, user_id: int | None, field: str) -> User | None:
    """A person named by id in a form or body, looked up among this team's inspectors only: an
    id outside the team is refused (ValidationError on `field`), never looked up elsewhere."""
    if not user_id:
        return None
    found = team_signers(inspection=inspection).filter(pk=user_id).first()
    if found is None:
        from django.core.exceptions import ValidationError

        raise ValidationError({field: TEAM_ONLY[field]})
    return found


def plannable_inspectors(*, user: User) -> QuerySet[User]:
    """Law-enforcement staff with 执法证号 that this user may put on a team: a bureau teams up its
    own inspectors and those of the counties under it; the province anyone's."""
    inspectors = User.objects.filter(
        is_active=True, role__in=[User.Role.PROVINCE, User.Role.CITY, User.Role.COUNTY]
    ).exclude(badge_no="")
    reach = access.jurisdiction(user).reach
    if reach is access.Reach.ALL:
        return inspectors
    if reach in (access.Reach.CITY, access.Reach.COUNTY):
        return inspectors.filter(region__in=access.regions_in_reach(user, Region.objects.all()))
    return inspectors.none()


def plannable_experts() -> QuerySet[User]:
    """Experts are a province-wide pool (专家咨询组): any active expert may be asked."""
    return User.objects.filter(is_active=True, role=User.Role.EXPERT)


@dataclass
class KeyUnitProgress:
    county_code: str
    county_name: str
    total: int = 0
    planned: int = 0
    done: int = 0
    postponed: int = 0
    city_name: str = ""

    @property
    def unplanned(self) -> int:
        return self.total - self.planned

    def add(self, other: KeyUnitProgress) -> None:
        self.total += other.total
        self.planned += other.planned
        self.done += other.done
        self.postponed += other.postponed


@dataclass
class ProgressGroup:
    """One city's counties with their subtotal, as the province reads the table."""

    city_name: str
    rows: list[KeyUnitProgress]
    subtotal: KeyUnitProgress


def progress_groups(
    rows: list[KeyUnitProgress],
) -> tuple[list[ProgressGroup], KeyUnitProgress]:
    """The per-county rows grouped under their city (in code order), and the grand total."""
    groups: dict[str, ProgressGroup] = {}
    total = KeyUnitProgress("", "合计")
    for row in rows:
        group = groups.get(row.city_name)
        if group is None:
            group = groups[row.city_name] = ProgressGroup(
                row.city_name, [], KeyUnitProgress("", "小计")
            )
        group.rows.append(row)
        group.subtotal.add(row)
        total.add(row)
    return list(groups.values()), total


def key_unit_progress(*, user: User, campaign: Campaign) -> list[KeyUnitProgress]:
    """Key units per county: in reach, with an inspection planned, done, postponed.

    Counted from the inspections the user may open, never from the units' relations: an
    enterprise user never learns of an unannounced visit from a figure.
    """
    from django.db.models import Count, Q

    from campaign import counting
    from inspections.models import Inspection

    units = (
        access.visible(user, Enterprise.objects.filter(is_key_unit=True))
        .values_list("county__code", "county__name", "city__name")
        .annotate(n=Count("pk"))
        .order_by("county__code")
    )
    rows = {
        code: KeyUnitProgress(code, name, n, city_name=city)
        for code, name, city, n in counting.rows(units)
    }
    visits = (
        access.visible(
            user, Inspection.objects.filter(campaign=campaign, enterprise__is_key_unit=True)
        )
        .values_list("enterprise__county__code")
        .annotate(
            planned=Count("enterprise", distinct=True),
            done=Count("enterprise", filter=Q(status="submitted"), distinct=True),
            postponed=Count("enterprise", filter=Q(status="postponed"), distinct=True),
        )
        .order_by()
    )
    for code, planned, done, postponed in counting.rows(visits):
        row = rows.get(code)
        if row is not None:
            row.planned, row.done, row.postponed = planned, done, postponed
    return list(rows.values())


def inspection_list(*, user: User, campaign: Campaign | None = None) -> QuerySet[Inspection]:
    """The inspections this user may open, with what a list row shows: of one campaign (the
    pages), or of every year (the API)."""
    rows = Inspection.objects.filter(campaign=campaign) if campaign else Inspection.objects.all()
    return (
        access.visible(user, rows)
        .select_related("enterprise")
        .prefetch_related("county", "city", "members__user")
    )


def my_inspections(*, user: User, campaign: Campaign) -> QuerySet[Inspection]:
    """The visits this user is on the team of and that are not done: planned, under way or
    postponed, soonest first (an expert's are their assignments)."""
    return (
        inspection_list(user=user, campaign=campaign)
        .filter(members__user=user)
        .exclude(status=Inspection.Status.SUBMITTED)
        .order_by("planned_on", "pk")
    )


def own_unit_records(*, user: User, campaign: Campaign) -> QuerySet[Inspection]:
    """An enterprise user's copies: its unit's submitted records (the policy hides the rest)."""
    return (
        inspection_list(user=user, campaign=campaign)
        .filter(status=Inspection.Status.SUBMITTED)
        .order_by("-submitted_at", "-pk")
    )


def declared_answers(*, user: User, inspection: Inspection) -> dict[int, SelfCheckAnswer]:
    """What the enterprise declared in its self-check, item by item, beside the record's lines
    (through the policy: an expert on the team sees the lines, not necessarily the table)."""
    answers = access.visible(
        user,
        SelfCheckAnswer.objects.filter(
            self_check__campaign=inspection.campaign,
            self_check__enterprise=inspection.enterprise,
        ),
    )
    return {a.item_id: a for a in answers}


@dataclass
class OriginalLine:
    code: str
    title: str
    values: list[tuple[str, str]]  # (label, value as submitted)
    amended: bool


def original_lines(*, inspection: Inspection) -> list[OriginalLine]:
    """The record as it was submitted (kept in `original`), each line marked if amended since."""
    from inspections.models import InspectionFinding

    kept = (inspection.original or {}).get("findings", {})
    current = {
        f.item.code: f
        for f in inspection.findings.select_related("item").order_by(
            area_rank("item__area"), "item__order"
        )
    }
    lines = []
    for code, finding in current.items():
        submitted = kept.get(code, {})
        values = []
        for name, value in submitted.items():
            field = InspectionFinding._meta.get_field(name)
            shown = dict(field.choices or []).get(value, value) if value else ""
            if shown:
                values.append((str(field.verbose_name), str(shown)))
        amended = any(getattr(finding, name) != value for name, value in submitted.items())
        lines.append(OriginalLine(code, finding.item.title, values, amended))
    return lines
