"""Conflicts people declare, the random team draw of a round, its replay, and the grants a member
gets on the team's sampled units once they have signed the integrity commitment."""

from __future__ import annotations

import secrets
from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from campaign import access
from campaign.models import PoolMembership, Region, User
from campaign.services import grant_object_access
from campaign.services.integrity import team_assignment
from campaign.validators import check_text, normalize_credit_code, validate_credit_code
from cases.models import Case, CaseEvent
from crosscheck import teaming
from crosscheck.models import (
    ConflictDeclaration,
    DrawReplay,
    SampledUnit,
    Team,
    TeamDraw,
    TeamMember,
    VerificationRound,
)
from crosscheck.selectors.team import grant_reason, round_end, team_units
from inspections.models import InspectionMember
from rectification.models import ItemCheck, RectificationItem

L = VerificationRound.Level
S = VerificationRound.Status
P = PoolMembership.Pool
OFFICERS_MAX, EXPERTS_MAX = 8, 5


# --- conflicts ----------------------------------------------------------------------------------


def conflict_declare(
    *, actor: User, credit_code: str, unit_name: str, reason: str
) -> ConflictDeclaration:
    """A person declares a conflict with a unit; the team draw keeps them away from it."""
    if actor.role in (User.Role.ENTERPRISE, User.Role.PATROL) or not actor.is_active:
        raise PermissionDenied("只有执法人员和专家申报回避。")
    code = normalize_credit_code(credit_code or "")
    try:
        validate_credit_code(code)
    except ValidationError as exc:
        raise ValidationError({"credit_code": exc.messages}) from exc
    unit_name, reason = (unit_name or "").strip(), (reason or "").strip()
    check_text(ConflictDeclaration, {"unit_name": unit_name, "reason": reason})
    if not unit_name:
        raise ValidationError({"unit_name": "请填写单位名称。"})
    if not reason:
        raise ValidationError({"reason": "请填写回避事由。"})
    try:
        with transaction.atomic():
            return ConflictDeclaration.objects.create(
                user=actor, credit_code=code, unit_name=unit_name, reason=reason
            )
    except IntegrityError as exc:
        raise ValidationError({"credit_code": "您已申报过与该单位回避。"}) from exc


# --- the pool and the targets as they stand -----------------------------------------------------


def _home(user: User) -> tuple[str, str]:
    region = user.region
    if region is None:
        return "", ""
    if region.level == Region.Level.CITY:
        return region.code, ""
    return (region.parent.code if region.parent else ""), region.code


def pool_of(row: VerificationRound) -> list[teaming.Person]:
    """Officers: certified members of the 执法能手 pool (a city round: those of the city's
    counties); experts: the expert pool. One person appears once, as an officer if both."""
    members = (
        PoolMembership.objects.filter(campaign=row.campaign, pool__in=(P.SKILLED, P.EXPERTS))
        .filter(user__is_active=True)
        .select_related("user__region__parent")
        .prefetch_related("user__industries")
        .order_by("user_id", "pool")
    )
    people: dict[int, teaming.Person] = {}
    for m in members:
        user = m.user
        city, county = _home(user)
        industries = tuple(sorted({i.code[:2] for i in user.industries.all()}))
        if m.pool == P.SKILLED:
            if not user.badge_no:
                continue  # a verification officer holds an enforcement certificate
            if row.level == L.CITY and (city != row.city.code or not county):
                continue
            people[user.pk] = teaming.Person(
                user.pk, teaming.OFFICER, city, county, industries, m.lead_qualified
            )
        elif user.pk not in people:
            people[user.pk] = teaming.Person(user.pk, teaming.EXPERT, city, county, industries)
    return sorted(people.values(), key=lambda p: p.user_id)


def _handlers(enterprise_ids: list[int]) -> dict[int, set[int]]:
    """Per unit, everyone who inspected it, handled its cases or supervised or checked its
    rectification: they never verify their own work."""
    found: dict[int, set[int]] = defaultdict(set)
    rows = [
        InspectionMember.objects.filter(inspection__enterprise__in=enterprise_ids).values_list(
            "inspection__enterprise_id", "user_id"
        ),
        Case.investigators.through.objects.filter(case__enterprise__in=enterprise_ids).values_list(
            "case__enterprise_id", "user_id"
        ),
        Case.objects.filter(enterprise__in=enterprise_ids, reviewer__isnull=False).values_list(
            "enterprise_id", "reviewer_id"
        ),
        CaseEvent.objects.filter(case__enterprise__in=enterprise_ids, by__isnull=False).values_list(
            "case__enterprise_id", "by_id"
        ),
        RectificationItem.objects.filter(
            plan__enterprise__in=enterprise_ids, supervisor__isnull=False
        ).values_list("plan__enterprise_id", "supervisor_id"),
        ItemCheck.officers.through.objects.filter(
            itemcheck__item__plan__enterprise__in=enterprise_ids
        ).values_list("itemcheck__item__plan__enterprise_id", "user_id"),
    ]
    for query in rows:
        for enterprise_id, user_id in query.distinct():
            found[enterprise_id].add(user_id)
    return found


def _target_code(unit: SampledUnit, row: VerificationRound) -> str:
    return unit.county.code if row.level == L.CITY else unit.city.code


def targets_of(row: VerificationRound) -> list[teaming.Target]:
    units = list(
        SampledUnit.objects.filter(draw__round=row).select_related("city", "county", "enterprise")
    )
    handled = _handlers([u.enterprise_id for u in units])
    codes = {u.enterprise.credit_code for u in units}
    declared: dict[str, set[int]] = defaultdict(set)
    for code, user_id in ConflictDeclaration.objects.filter(credit_code__in=codes).values_list(
        "credit_code", "user_id"
    ):
        declared[code].add(user_id)
    grouped: dict[str, dict[str, set]] = defaultdict(lambda: {"industries": set(), "away": set()})
    for unit in units:
        target = grouped[_target_code(unit, row)]
        if unit.stratum:
            target["industries"].add(unit.stratum)
        target["away"] |= handled[unit.enterprise_id] | declared[unit.enterprise.credit_code]
    return [
        teaming.Target(code, tuple(sorted(t["industries"])), tuple(sorted(t["away"])))
        for code, t in sorted(grouped.items())
    ]


# --- the draw -----------------------------------------------------------------------------------


def _stored(draw: TeamDraw) -> tuple[list[teaming.Person], list[teaming.Target], teaming.TeamRule]:
    pool = [
        teaming.Person(pk, kind, city, county, tuple(industries), bool(lead))
        for pk, kind, city, county, industries, lead in draw.pool
    ]
    targets = [teaming.Target(code, tuple(ind), tuple(away)) for code, ind, away in draw.targets]
    return pool, targets, teaming.TeamRule.from_dict(draw.rule)


def _count(value, low: int, high: int, field: str, label: str) -> int:
    if not isinstance(value, int) or not low <= value <= high:
        raise ValidationError({field: f"每组{label}须为 {low} 到 {high} 之间的整数。"})
    return value


@transaction.atomic
def team_draw(
    *,
    actor: User,
    row: VerificationRound,
    witnesses: str,
    seed: str = "",
    officers: int = 2,
    experts: int = 1,
) -> TeamDraw:
    """Form the round's teams at random, once, before witnesses: one team per city visited (a city
    round: per county); every member gets an assignment to sign the commitment on."""
    if not actor.has_perm("crosscheck.draw_sample"):
        raise PermissionDenied("您的角色不能组织异地核查编组。")
    row = access.get_visible_or_404(actor, VerificationRound.objects.select_for_update(), pk=row.pk)
    if row.status != S.DRAWN:
        raise ValidationError("请先抽取核查样本，再随机编组。")
    if TeamDraw.objects.filter(round=row).exists():
        raise ValidationError("该轮次已编组，不能重新编组；可“复核编组”核对。")
    rule = teaming.TeamRule(
        officers=_count(officers, 2, OFFICERS_MAX, "officers", "执法能手人数"),
        experts=_count(experts, 1, EXPERTS_MAX, "experts", "专家人数"),
        by_county=row.level == L.CITY,
    )
    witnesses, seed = (witnesses or "").strip(), (seed or "").strip()
    check_text(TeamDraw, {"witnesses": witnesses, "seed": seed})
    if not witnesses:
        raise ValidationError({"witnesses": "请填写见证人（姓名、单位）。"})
    seed = seed or secrets.token_hex(8)
    pool, targets = pool_of(row), targets_of(row)
    drawn = teaming.draw(pool, targets, rule, seed)
    names = dict(
        Region.objects.filter(code__in=[t.target for t in drawn]).values_list("code", "name")
    )
    short = [f"{names.get(t.target, t.target)}：{'；'.join(t.short)}" for t in drawn if t.short]
    if short:
        raise ValidationError("人员库不足以按规则编组，请补充人员库后再编组。" + "　".join(short))
    record = TeamDraw.objects.create(
        round=row,
        seed=seed,
        pool=[[p.user_id, p.kind, p.city, p.county, list(p.industries), p.may_lead] for p in pool],
        targets=[[t.code, list(t.industries), list(t.kept_away)] for t in targets],
        rule=rule.as_dict(),
        digest=teaming.digest(pool, targets, rule),
        drawn_at=timezone.now(),
        drawn_by=actor,
        witnesses=witnesses,
    )
    regions = {r.code: r for r in Region.objects.filter(code__in=[t.target for t in drawn])}
    users = User.objects.in_bulk([pk for t in drawn for pk in t.members])
    starts_on = timezone.localdate(row.release_at)
    for number, t in enumerate(drawn, start=1):
        region = regions[t.target]
        city = region if region.level == Region.Level.CITY else region.parent
        team = Team.objects.create(
            round=row,
            number=number,
            target_city=city,
            target_county=None if region.level == Region.Level.CITY else region,
        )
        for pk in t.members:
            role = (
                TeamMember.Role.LEADER
                if pk == t.leader
                else TeamMember.Role.OFFICER
                if pk in t.officers
                else TeamMember.Role.EXPERT
            )
            assignment = team_assignment(
                actor=actor,
                campaign=row.campaign,
                user=users[pk],
                title=f"{row.title} {team}"[:100],
                destination=city,
                starts_on=starts_on,
                ends_on=row.ends_on,
            )
            TeamMember.objects.create(team=team, user=users[pk], role=role, assignment=assignment)
    return record


@transaction.atomic
def team_replay(*, actor: User, row: VerificationRound) -> DrawReplay:
    """复核编组: the stored pool, targets, rule and seed must give the stored teams again; the pool
    and targets as they stand now are compared with the stored ones."""
    row = access.get_visible_or_404(actor, VerificationRound.objects.all(), pk=row.pk)
    record = TeamDraw.objects.filter(round=row).first()
    if record is None:
        raise ValidationError("该轮次尚未编组，无可复核。")
    pool, targets, rule = _stored(record)
    again = [
        (t.target, t.leader, t.members) for t in teaming.draw(pool, targets, rule, record.seed)
    ]
    stored = []
    for team in row.teams.select_related("target_city", "target_county").order_by("number"):
        members = list(team.members.order_by("pk"))
        leader = next((m.user_id for m in members if m.role == TeamMember.Role.LEADER), None)
        target = (team.target_county or team.target_city).code
        stored.append((target, leader, [m.user_id for m in members]))
    now_pool, now_targets = pool_of(row), targets_of(row)
    digest = teaming.digest(now_pool, now_targets, rule)
    before = {p.user_id: p for p in pool}
    now = {p.user_id: p for p in now_pool}
    changes = {
        "added": sorted(set(now) - set(before)),
        "removed": sorted(set(before) - set(now)),
        "changed": sorted(pk for pk in set(now) & set(before) if now[pk] != before[pk]),
        "targets": sorted(t.code for t in now_targets if t not in targets),
    }
    return DrawReplay.objects.create(
        draw=row.draw,
        kind=DrawReplay.Kind.TEAMS,
        by=actor,
        sample_same=again == stored and teaming.digest(pool, targets, rule) == record.digest,
        frame_same=digest == record.digest,
        frame_digest=digest,
        changes={k: v for k, v in changes.items() if v},
    )


# --- what a member opens ------------------------------------------------------------------------


def on_commitment_signed(sender, commitment, **kwargs) -> None:
    """The member has signed: open the team's sampled units (every record of them that a grant on
    the unit opens) from the release until the round ends, and nothing else."""
    member = (
        TeamMember.objects.filter(assignment=commitment.assignment_id)
        .select_related("team__round", "user")
        .first()
    )
    if member is None:
        return
    row = member.team.round
    ends_at = round_end(row)
    starts_at = max(timezone.now(), row.release_at)
    if starts_at >= ends_at:
        return  # signed after the round: nothing to open
    reason = grant_reason(row, member.team)
    for unit in team_units(member).select_related("enterprise"):
        # the unit's records of stages 1–4, and the sampled unit with its verification record
        for obj in (unit.enterprise, unit):
            grant_object_access(
                user=member.user,
                obj=obj,
                granted_by=row.created_by,
                starts_at=starts_at,
                ends_at=ends_at,
                reason=reason,
            )
