"""核查销号, the overdue job and the "facility not built" proposals.

The bureau verifies an item on site or on paper (two officers, a 核查结论) and closes it (销号) or
returns it with a reason the enterprise sees. Closing checks the conditions of 销号; one skipped
needs a written reason and flags the item for the cross-region verification. A daily job marks
items overdue and escalates them to the city; at the end of the rectification window an unfinished
攻坚 facility task becomes a proposal that only the bureau's confirmation turns into a case.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from campaign import transitions
from campaign.models import StageWindow, User
from campaign.selectors.calendar import window_for
from campaign.validators import check_text
from campaign.workdays import WorkingCalendar
from cases.models import Case, ViolationType
from cases.services import case as case_service
from inspections.models import CheckItem, Problem
from inspections.selectors.onsite import plannable_inspectors
from inspections.services import ledger
from rectification.models import FacilityProposal, ItemCheck, RectificationItem
from rectification.services.plan import (
    extensions_end,
    live_cases,
    locked_item,
    parse_day,
    require_bureau,
)

P = Problem.Status
S = RectificationItem.Status
C = ItemCheck.Condition
# a case whose penalty has been carried out (执行完毕, 结案审批) or that is over
CASE_DONE = (
    Case.Status.CLOSING,
    Case.Status.CLOSED,
    Case.Status.NOT_FILED,
    Case.Status.REVOKED,
    Case.Status.NO_PENALTY,
)


def unmet_conditions(item: RectificationItem) -> list[str]:
    """The conditions of 销号 this item does not meet yet (facts §4, 安徽's five reduced to what a
    record can show): every measure done, the violation's case carried out, evidence kept."""
    unmet = []
    measures = list(item.measures.all())
    if not measures or any(m.done_on is None for m in measures):
        unmet.append(C.MEASURES)
    cases = Case.objects.filter(case_problems__problem_id=item.problem_id)
    if cases.exclude(status__in=CASE_DONE).exists():
        unmet.append(C.CASE)
    if not item.evidence.exists():
        unmet.append(C.EVIDENCE)
    return unmet


@transaction.atomic
def item_check(
    *,
    actor: User,
    item: RectificationItem,
    method: str,
    checked_on: Any,
    officers: Iterable[User],
    conclusion: str,
    close: bool,
    reason: str = "",
    expected: str | None = None,
) -> ItemCheck:
    """Record one verification and close (销号) or return the item. `reason` is the return reason
    (shown to the enterprise) or, when closing, why a condition not met does not stop it."""
    require_bureau(actor)
    item = locked_item(actor, item)
    if item.status not in RectificationItem.OPEN:
        raise ValidationError(f"该整改事项当前为“{item.get_status_display()}”，不能核查。")
    if method not in ItemCheck.Method.values:
        raise ValidationError({"method": "请选择核查方式（现场核查或书面核查）。"})
    day = parse_day(checked_on, "checked_on", "核查日期")
    if day is None:
        raise ValidationError({"checked_on": "请填写核查日期。"})
    if day > timezone.localdate():
        raise ValidationError({"checked_on": "核查日期不能晚于今天。"})
    if day < timezone.localdate(item.problem.found_at):
        raise ValidationError({"checked_on": "核查日期不能早于问题发现日期。"})
    officers = list(dict.fromkeys(officers))
    if len(officers) < 2:
        raise ValidationError({"officers": "核查须由两名以上持证执法人员进行。"})
    allowed = set(plannable_inspectors(user=actor).filter(pk__in=[o.pk for o in officers]))
    for officer in officers:
        if officer not in allowed:
            raise ValidationError({"officers": f"{officer} 不是您可以指派的持证执法人员。"})
    conclusion = str(conclusion or "").strip()
    if not conclusion:
        raise ValidationError({"conclusion": "请填写核查结论。"})
    reason = str(reason or "").strip()
    check_text(ItemCheck, {"conclusion": conclusion, "skip_reason": reason})
    unmet = unmet_conditions(item) if close else []
    if close and unmet and not reason:
        labels = "、".join(str(C(code).label) for code in unmet)
        raise ValidationError(
            {"reason": f"尚未满足销号条件：{labels}。仍要销号须写明理由（将提请异地核查关注）。"}
        )
    if not close and item.status != S.APPLIED:
        raise ValidationError({"close": "企业尚未申请销号，无需退回；可继续督促整改。"})
    if not close and not reason:
        raise ValidationError({"reason": "退回整改须写明原因（企业可见）。"})
    check = ItemCheck.objects.create(
        item=item,
        method=method,
        checked_on=day,
        conclusion=conclusion,
        outcome=ItemCheck.Outcome.CLOSED if close else ItemCheck.Outcome.RETURNED,
        unmet=unmet,
        skip_reason=reason if close else "",
        flagged=bool(unmet),
        recorded_by=actor,
    )
    check.officers.set(officers)
    problem = item.problem
    if close:
        # the reason for a skipped condition stays on the check (the bureau's), not in the events
        note = f"核查销号：{conclusion}"
        transitions.transition(
            item,
            S.CLOSED,
            actor=actor,
            note=note,
            expected=expected,
            values={"closed_on": day, "closing_flagged": bool(unmet)},
        )
        extensions_end(item, actor, "整改事项已销号")
        if problem.status == P.RECTIFYING:
            ledger.problem_transition(
                actor=actor, problem=problem, to=P.VERIFYING, note="核查销号", ref=item
            )
            problem.refresh_from_db(fields=["status"])
        if problem.status in (P.VERIFYING, P.HANDLING):
            ledger.problem_transition(
                actor=actor, problem=problem, to=P.CLOSED, note=note, ref=item
            )
    else:
        transitions.transition(
            item,
            S.RETURNED,
            actor=actor,
            note=f"退回整改：{reason}",
            expected=expected,
            values={"return_reason": reason},
        )
        if problem.status == P.VERIFYING:
            ledger.problem_transition(
                actor=actor, problem=problem, to=P.RECTIFYING, note=f"退回整改：{reason}", ref=item
            )
    return check


# --- overdue and escalation (the daily job) --------------------------------------------------


def _overdue_items(today: dt.date):
    return RectificationItem.objects.filter(
        status__in=RectificationItem.WORKING, deadline__lt=today
    ).exclude(status=S.OVERDUE)


@transaction.atomic
def _mark_overdue(item_id: int, today: dt.date) -> bool:
    item = RectificationItem.objects.select_for_update().get(pk=item_id)
    if item.status not in RectificationItem.WORKING or item.status == S.OVERDUE:
        return False
    if item.deadline is None or item.deadline >= today:
        return False
    transitions.transition(
        item,
        S.OVERDUE,
        actor=None,
        note=f"超过整改时限（{item.deadline:%Y-%m-%d}）未申请销号",
        # the escalation clock runs from the day it is marked: an item that entered the plan with
        # its declared deadline long past is not sent to the city the same morning
        values={"overdue_since": max(item.deadline + dt.timedelta(days=1), today)},
    )
    return True


@transaction.atomic
def _escalate(item_id: int, today: dt.date) -> bool:
    item = RectificationItem.objects.select_for_update().get(pk=item_id)
    if item.status != S.OVERDUE or item.escalated_on is not None:
        return False
    item.escalated_on = today
    item.save(update_fields=["escalated_on", "updated_at"])
    days = settings.RECTIFICATION_ESCALATE_WORKING_DAYS
    item.events.create(
        from_status=item.status,
        to_status=item.status,
        note=f"逾期超过 {days} 个工作日，提请市级督办",
    )
    return True


def escalation_due(overdue_since: dt.date, calendar: WorkingCalendar) -> dt.date:
    """The day an overdue item goes to the city: N working days after it fell overdue."""
    start = overdue_since - dt.timedelta(days=1)
    return calendar.add_working_days(start, settings.RECTIFICATION_ESCALATE_WORKING_DAYS).date


def overdue_run(today: dt.date | None = None) -> dict[str, int]:
    """Mark overdue what passed its deadline and escalate what stayed overdue too long. Safe to
    run again: an item is marked and escalated once (each step checks under a row lock)."""
    today = today or timezone.localdate()
    marked = sum(
        _mark_overdue(pk, today) for pk in _overdue_items(today).values_list("pk", flat=True)
    )
    calendar = WorkingCalendar()
    escalated = 0
    pending = RectificationItem.objects.filter(status=S.OVERDUE, escalated_on__isnull=True)
    for pk, since in pending.values_list("pk", "overdue_since"):
        if since is not None and escalation_due(since, calendar) <= today:
            escalated += _escalate(pk, today)
    proposed = proposals_make(today)
    return {"overdue": marked, "escalated": escalated, "proposed": proposed}


# --- "facility not built" -------------------------------------------------------------------


def _window_end(item: RectificationItem) -> dt.date | None:
    window = window_for(
        item.plan.campaign, StageWindow.Stage.RECTIFICATION, city_id=item.plan.city_id
    )
    return window.ends_on if window else None


def proposals_make(today: dt.date) -> int:
    """After the end of the rectification window (the city's own, or the province's), every
    unfinished 攻坚 facility task gets one proposal, waiting for the bureau."""
    made = 0
    unfinished = (
        RectificationItem.objects.filter(
            facility_task=True, status__in=RectificationItem.OPEN, facility_proposal__isnull=True
        )
        .select_related("plan", "plan__campaign")
        .order_by("pk")
    )
    for item in unfinished:
        ends = _window_end(item)
        if ends is None or ends >= today:
            continue
        with transaction.atomic():
            proposal, created = FacilityProposal.objects.get_or_create(
                item=item, defaults={"window_ended_on": ends}
            )
            if created:
                transitions.record_created(
                    proposal,
                    actor=None,
                    note=f"指导整改阶段已于 {ends:%Y-%m-%d} 结束，攻坚治理任务仍未完成",
                )
                made += 1
    return made


def _locked_proposal(actor: User, proposal: FacilityProposal) -> FacilityProposal:
    item = locked_item(actor, proposal.item_id)
    return (
        FacilityProposal.objects.select_for_update()
        .select_related("item")
        .get(pk=proposal.pk, item=item)
    )


@transaction.atomic
def proposal_confirm(
    *,
    actor: User,
    proposal: FacilityProposal,
    note: str = "",
    investigators: Iterable[User] = (),
) -> FacilityProposal:
    """The bureau confirms: the violation "未建设污染防治设施" enters the ledger (source 整改逾期) and
    its case is registered for 立案审批 in stage 3 with the violation type of 建设项目环境保护管理条例
    art. 23. A finding already known becomes a confirmation, and the case goes on its primary."""
    require_bureau(actor)
    proposal = _locked_proposal(actor, proposal)
    if proposal.status != FacilityProposal.Status.PROPOSED:
        raise ValidationError(f"该建议已{proposal.get_status_display()}。")
    item = proposal.item
    problem = item.problem
    check_text(FacilityProposal, {})
    unbuilt = CheckItem.objects.filter(
        version=problem.item.version, code=settings.RECTIFICATION_UNBUILT_ITEM
    ).first()
    if unbuilt is None:
        raise ValidationError("检查项目目录中没有“未建设污染防治设施”对应的项目，请联系管理员。")
    today = timezone.localdate()
    deadline = f"{item.deadline:%Y-%m-%d}" if item.deadline else "规定期限"
    description = (
        f"攻坚治理任务“{problem.item.title}”（整改方案第 {item.number} 项：{problem.description}）"
        f"超过整改时限（{deadline}）及指导整改阶段截止日期（{proposal.window_ended_on:%Y-%m-%d}）"
        "仍未完成，按照未建设污染防治设施处理。"
    )
    found = ledger.problem_record(
        actor=actor,
        campaign=problem.campaign,
        enterprise=problem.enterprise,
        item=unbuilt,
        source=Problem.Source.RECTIFICATION,
        description=description,
        found_at=timezone.now(),
        found_by=actor,
        kind="violation",
        severity=Problem.Severity.SERIOUS,
        legal_basis="《建设项目环境保护管理条例》第二十三条",
        ref=proposal,
    )
    target = found.primary or found
    case = live_cases(target).first()
    if case is None:
        case = case_service.case_open(
            actor=actor,
            enterprise=problem.enterprise,
            title="未按期完成攻坚治理任务（按未建设污染防治设施处理）",
            source=Case.Source.LEDGER,
            discovered_on=today,
            facts=description,
            violation_type=ViolationType.objects.filter(
                code=settings.RECTIFICATION_UNBUILT_VIOLATION
            ).first(),
            problems=[target],
            investigators=investigators,
            campaign=problem.campaign,
            ref=proposal,
        )
    transitions.transition(
        proposal,
        FacilityProposal.Status.CONFIRMED,
        actor=actor,
        note=str(note or "").strip() or "确认按未建设污染防治设施处理，立案审批",
        values={"problem": found, "case": case},
    )
    return proposal


@transaction.atomic
def proposal_dismiss(*, actor: User, proposal: FacilityProposal, note: str) -> FacilityProposal:
    """The bureau decides not to treat it so (e.g. the task was finished and not yet recorded)."""
    require_bureau(actor)
    proposal = _locked_proposal(actor, proposal)
    note = str(note or "").strip()
    if not note:
        raise ValidationError({"note": "不予处理须写明理由。"})
    transitions.transition(proposal, FacilityProposal.Status.DISMISSED, actor=actor, note=note)
    return proposal
