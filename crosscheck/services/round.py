"""Opening a verification round, drawing its sample and replaying the draw (复核抽取)."""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone

from campaign import access, transitions
from campaign.models import AccessGrant, Campaign, Region, User
from campaign.selectors.calendar import campaign_current
from campaign.services import revoke_grant
from campaign.validators import check_text
from cases.models import CaseProblem, DiscretionRecord
from crosscheck import sampling
from crosscheck.models import (
    DrawReplay,
    RoundEvent,
    SampleDraw,
    SampledUnit,
    TeamMember,
    VerificationRecord,
    VerificationRound,
)
from crosscheck.selectors.team import grant_reason
from enterprises.models import Enterprise
from inspections.models import Problem
from inspections.models.catalogue import ProblemKind
from rectification.models import RectificationItem

L = VerificationRound.Level
S = VerificationRound.Status
WEIGHT_MAX = 10
NOTE_MAX = 500


def _require_drawer(actor: User) -> None:
    if not actor.has_perm("crosscheck.draw_sample"):
        raise PermissionDenied("您的角色不能组织异地核查抽样。")


def _organiser_city(actor: User, level: str) -> Region | None:
    """The province's round is the province's; a city's round is its own city's."""
    reach = access.jurisdiction(actor).reach
    if level == L.PROVINCE:
        if reach is not access.Reach.ALL:
            raise ValidationError({"level": "省级核查轮次由省级用户组织。"})
        return None
    if reach is not access.Reach.CITY or actor.region is None:
        raise ValidationError({"level": "市级核查轮次由省辖市生态环境局组织（其非重点排污单位）。"})
    return actor.region


def _share(value: Any) -> Decimal:
    try:
        share = Decimal(str(value).strip().rstrip("%"))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError({"share": "抽取比例须为 0 到 1 之间的小数，如 0.1。"}) from exc
    if not share.is_finite():
        raise ValidationError({"share": "抽取比例须为 0 到 1 之间的小数，如 0.1。"})
    if str(value).strip().endswith("%"):
        share /= 100
    share = share.quantize(Decimal("0.001")) if abs(share) < 10 else share
    if not Decimal("0") < share <= Decimal("1"):
        raise ValidationError({"share": "抽取比例须在 0.001 到 1 之间（如 0.1 即 10%）。"})
    return share


def _weights(values: dict[str, Any]) -> dict[str, int]:
    weights = {}
    for signal, raw in (values or {}).items():
        if signal not in sampling.SIGNALS:
            raise ValidationError({"weights": f"没有“{signal}”这项风险信号。"})
        try:
            weight = int(raw)
        except (TypeError, ValueError) as exc:
            label = sampling.SIGNALS[signal]
            raise ValidationError({"weights": f"“{label}”的加权须为整数。"}) from exc
        if not 0 <= weight <= WEIGHT_MAX:
            label = sampling.SIGNALS[signal]
            raise ValidationError({"weights": f"“{label}”的加权须在 0 到 {WEIGHT_MAX} 之间。"})
        if weight:
            weights[signal] = weight
    return weights


@transaction.atomic
def round_open(
    *,
    actor: User,
    level: str,
    title: str,
    share: Any,
    minimum: int,
    release_at: dt.datetime,
    ends_on: dt.date,
    weights: dict[str, Any] | None = None,
    many_problems: int = 5,
    campaign: Campaign | None = None,
) -> VerificationRound:
    """A new round, its rule set, nothing drawn yet."""
    _require_drawer(actor)
    if level not in L.values:
        raise ValidationError({"level": "请选择省级或市级核查。"})
    city = _organiser_city(actor, level)
    campaign = campaign or campaign_current()
    if campaign is None:
        raise ValidationError("尚未设置执法行动年度。")
    title = (title or "").strip()
    check_text(VerificationRound, {"title": title})
    if not title:
        raise ValidationError({"title": "请填写核查轮次名称。"})
    if not isinstance(minimum, int) or not 1 <= minimum <= 1000:
        raise ValidationError({"minimum": "每市最少抽取数须为 1 到 1000 之间的整数。"})
    if not isinstance(many_problems, int) or not 1 <= many_problems <= 1000:
        raise ValidationError({"many_problems": "“问题较多”的个数须为 1 到 1000 之间的整数。"})
    _check_dates(release_at, ends_on)
    row = VerificationRound.objects.create(
        campaign=campaign,
        level=level,
        city=city,
        title=title,
        share=_share(share),
        minimum=minimum,
        weights=_weights(weights or {}),
        many_problems=many_problems,
        release_at=release_at,
        ends_on=ends_on,
        created_by=actor,
    )
    transitions.record_created(row, actor=actor, note="设定抽取规则")
    return row


def _check_dates(release_at: dt.datetime, ends_on: dt.date) -> None:
    if not (2000 <= release_at.year <= 2100 and 2000 <= ends_on.year <= 2100):
        raise ValidationError(
            {"release_at": "样本发布时间和核查截止日期须在 2000 年至 2100 年之间。"}
        )
    if timezone.localdate(release_at) > ends_on:
        raise ValidationError({"ends_on": "核查截止日期不能早于样本发布时间。"})


@transaction.atomic
def round_reschedule(
    *, actor: User, row: VerificationRound, release_at: dt.datetime, ends_on: dt.date
) -> VerificationRound:
    """Move the release time and the last day of a round not drawn yet (the audit log keeps the
    old values)."""
    _require_drawer(actor)
    row = access.get_visible_or_404(actor, VerificationRound.objects.select_for_update(), pk=row.pk)
    if row.status != S.DRAFT:
        raise ValidationError("样本已抽取，发布时间和核查截止日期不能再修改。")
    _check_dates(release_at, ends_on)
    if release_at <= timezone.now():
        raise ValidationError({"release_at": "新的样本发布时间须晚于现在。"})
    row.release_at, row.ends_on = release_at, ends_on
    row.save(update_fields=["release_at", "ends_on", "updated_at"])
    return row


def rule_of(row: VerificationRound) -> sampling.Rule:
    return sampling.Rule(share=float(row.share), minimum=row.minimum, weights=dict(row.weights))


def frame_of(row: VerificationRound) -> list[sampling.Candidate]:
    """The candidates as they stand now: the province's key units (a city's round: its non-key
    units), each with its city, industry division and the risk signals of this campaign."""
    units = Enterprise.objects.filter(is_key_unit=row.level == L.PROVINCE)
    if row.level == L.CITY:
        units = units.filter(city=row.city)
    campaign = row.campaign
    primaries = Problem.objects.filter(
        campaign=campaign, enterprise=OuterRef("pk"), primary__isnull=True
    ).exclude(status__in=(Problem.Status.WITHDRAWN, Problem.Status.MERGED))
    unfiled = primaries.filter(kind=ProblemKind.VIOLATION).filter(
        ~Exists(CaseProblem.objects.filter(problem=OuterRef("pk")))
    )
    flagged = RectificationItem.objects.filter(
        plan__campaign=campaign, plan__enterprise=OuterRef("pk"), closing_flagged=True
    )
    lenient = DiscretionRecord.objects.filter(
        case__campaign=campaign,
        case__enterprise=OuterRef("pk"),
        current=True,
        chosen_amount__lt=F("computed_amount"),
    )
    rows = (
        units.annotate(
            problem_count=Count(
                "problems",
                filter=Q(
                    problems__campaign=campaign,
                    problems__primary__isnull=True,
                )
                & ~Q(problems__status__in=(Problem.Status.WITHDRAWN, Problem.Status.MERGED)),
            ),
            unfiled=Exists(unfiled),
            flagged=Exists(flagged),
            lenient=Exists(lenient),
        )
        .values_list(
            "pk", "city__code", "industry__code", "problem_count", "unfiled", "flagged", "lenient"
        )
        .order_by("pk")
    )
    frame = []
    for pk, city, industry, problems, unfiled_, flagged_, lenient_ in rows:
        signals = []
        if problems >= row.many_problems:
            signals.append("many_problems")
        if unfiled_:
            signals.append("violation_without_case")
        if flagged_:
            signals.append("flagged_closing")
        if lenient_:
            signals.append("penalty_below_calculator")
        frame.append(sampling.Candidate(pk, city, (industry or "")[:2], tuple(signals)))
    return frame


def _stored_frame(draw: SampleDraw) -> list[sampling.Candidate]:
    return [
        sampling.Candidate(pk, city, stratum, tuple(signals))
        for pk, city, stratum, signals in draw.frame
    ]


@transaction.atomic
def sample_draw(
    *,
    actor: User,
    row: VerificationRound,
    witnesses: str,
    seed: str = "",
    release_now: bool = False,
) -> SampleDraw:
    """Draw the round's sample once: the frame as it stands, the rule, a seed (drawn here unless
    the witnesses bring one, e.g. a lottery number), and the units drawn. Past the release time
    the sample opens to the cities at once: only when the drawer says so (`release_now`)."""
    _require_drawer(actor)
    row = access.get_visible_or_404(actor, VerificationRound.objects.select_for_update(), pk=row.pk)
    if row.status != S.DRAFT:
        raise ValidationError("该轮次已抽取，不能重新抽取；可“复核抽取”核对。")
    if row.released and not release_now:
        raise ValidationError(
            {
                "release_now": f"样本发布时间（{timezone.localtime(row.release_at):%Y-%m-%d %H:%M}）"
                "已过，抽取后样本立即对被核查市县公开。请修改发布时间，或确认立即公开。"
            }
        )
    witnesses, seed = (witnesses or "").strip(), (seed or "").strip()
    check_text(SampleDraw, {"witnesses": witnesses, "seed": seed})
    if not witnesses:
        raise ValidationError({"witnesses": "请填写见证人（姓名、单位）。"})
    seed = seed or secrets.token_hex(8)
    rule = rule_of(row)
    frame = frame_of(row)
    if not frame:
        raise ValidationError("抽样框为空：没有符合条件的排污单位，无法抽取。")
    picked = sampling.draw(frame, rule, seed)
    draw = SampleDraw.objects.create(
        round=row,
        seed=seed,
        frame=[[c.enterprise_id, c.city, c.stratum, list(c.signals)] for c in frame],
        frame_size=len(frame),
        frame_digest=sampling.frame_digest(frame, rule),
        rule=rule.as_dict(),
        drawn_at=timezone.now(),
        drawn_by=actor,
        witnesses=witnesses,
    )
    regions = dict(
        Enterprise.objects.filter(pk__in=[c.enterprise_id for c in picked]).values_list(
            "pk", "county_id"
        )
    )
    cities = dict(Region.objects.filter(level=Region.Level.CITY).values_list("code", "pk"))
    SampledUnit.objects.bulk_create(
        SampledUnit(
            draw=draw,
            position=n,
            enterprise_id=c.enterprise_id,
            city_id=cities[c.city],
            county_id=regions[c.enterprise_id],
            stratum=c.stratum,
            signals=list(c.signals),
            weight=rule.weight(c),
            release_at=row.release_at,
        )
        for n, c in enumerate(picked, start=1)
    )
    transitions.transition(
        row,
        S.DRAWN,
        actor=actor,
        note=f"抽取 {len(picked)} 家（抽样框 {len(frame)} 家），见证人：{witnesses}",
    )
    return draw


@transaction.atomic
def sample_replay(*, actor: User, draw: SampleDraw) -> DrawReplay:
    """复核抽取: the stored frame, rule and seed must give the stored sample again; the frame as it
    stands now is compared with the stored one (units added or gone, signals changed)."""
    draw = access.get_visible_or_404(actor, SampleDraw.objects.select_related("round"), pk=draw.pk)
    rule = sampling.Rule.from_dict(draw.rule)
    stored = _stored_frame(draw)
    again = [c.enterprise_id for c in sampling.draw(stored, rule, draw.seed)]
    drawn = list(draw.units.order_by("position").values_list("enterprise_id", flat=True))
    now = {c.enterprise_id: c for c in frame_of(draw.round)}
    before = {c.enterprise_id: c for c in stored}
    digest = sampling.frame_digest(list(now.values()), rule)
    changes = {
        "added": sorted(set(now) - set(before)),
        "removed": sorted(set(before) - set(now)),
        "changed": sorted(pk for pk in set(now) & set(before) if now[pk] != before[pk]),
    }
    return DrawReplay.objects.create(
        draw=draw,
        by=actor,
        sample_same=again == drawn and sampling.frame_digest(stored, rule) == draw.frame_digest,
        frame_same=digest == draw.frame_digest,
        frame_digest=digest,
        changes={k: v for k, v in changes.items() if v},
    )


@transaction.atomic
def round_close(*, actor: User, row: VerificationRound, note: str = "") -> VerificationRound:
    """结束本轮: the verification is over before (or on) its last day. Every record must be signed
    first; the members' grants end now and nobody writes on the round's units any more. The
    accountability records go on (the cities answer, the province decides)."""
    _require_drawer(actor)
    row = access.get_visible_or_404(actor, VerificationRound.objects.select_for_update(), pk=row.pk)
    if row.status != S.DRAWN:
        raise ValidationError(
            "该轮次尚未抽取，不能结束。" if row.status == S.DRAFT else "该轮次已结束。"
        )
    note = (note or "").strip()
    check_text(RoundEvent, {"note": note})
    if len(note) > NOTE_MAX:
        raise ValidationError({"note": f"说明最多 {NOTE_MAX} 个字（现为 {len(note)} 个）。"})
    open_records = VerificationRecord.objects.filter(
        unit__draw__round=row, status=VerificationRecord.Status.DRAFT
    ).select_related("unit__enterprise")
    if open_records:
        names = "、".join(r.unit.enterprise.name for r in open_records[:5])
        more = f"等 {len(open_records)} 份" if len(open_records) > 5 else ""
        raise ValidationError(f"尚有核查情况表未签署（{names}{more}）：请核查组签署后再结束本轮。")
    now = timezone.now()
    units = SampledUnit.objects.filter(draw__round=row)
    sampled, verified = units.count(), units.filter(record__isnull=False).count()
    # exactly the grants signing gave this round's members (another round's on the same unit stay)
    reasons = [grant_reason(row, team) for team in row.teams.all()]
    grants = AccessGrant.objects.filter(
        user__in=TeamMember.objects.filter(team__round=row).values("user"),
        reason__in=reasons,
        revoked_at__isnull=True,
        ends_at__gt=now,
    )
    for grant in grants:
        revoke_grant(grant=grant, at=now)
    row.closed_at = now
    row.save(update_fields=["closed_at", "updated_at"])
    summary = f"核查 {verified}/{sampled} 家"
    transitions.transition(
        row, S.CLOSED, actor=actor, note=f"{summary}；{note}" if note else summary
    )
    return row
