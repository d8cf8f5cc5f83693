"""Special measures and transfers (facts §3), each with its clocks on the case.

`measure_start` records the decision (or, for a criminal transfer, the written report) and starts
its clocks; `measure_act` takes one of the measure's actions. 负责人 approval is needed where the
rules ask for it (查封扣押, 限产停产, 移送拘留, approving a criminal transfer, an extension, a
cancellation). 按日连续处罚 runs in cycles: an order served, a covert re-check within 30 days; a
refusal fines the days from the day after service to the re-check at the original fine a day, and a
new order starts the next cycle.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from campaign import access, transitions
from campaign.models import User
from campaign.validators import check_text
from cases import clocks
from cases.models import Case, DailyCycle, Measure
from cases.services.case import _date, _require_handler

K = Measure.Kind
S = Case.Status
# the clocks each measure starts when it is decided
START_CLOCKS = {
    K.DAILY: ("daily_recheck",),
    K.SEAL: ("seal_end",),
    K.RESTRICT: ("restrict_plan", "restrict_end"),
    K.SUSPEND: ("restrict_plan",),
    K.CLOSE: (),
    K.DETENTION: ("detention_handover",),
    K.CRIME: ("crime_approval",),
}
# decided by the 负责人 (a criminal transfer is reported first, then approved)
APPROVED = {K.SEAL, K.RESTRICT, K.SUSPEND, K.CLOSE, K.DETENTION}
# a measure after the penalty decision (按日: a fine refused; 移送拘留: 暂行办法 art. 2)
AFTER_DECISION = {K.DAILY, K.DETENTION}

ACTIONS: dict[str, dict[str, tuple[str, bool]]] = {
    # kind → action → (label, needs the 负责人)
    K.DAILY: {"recheck": ("复查", False), "new_order": ("再次责令改正", False)},
    K.SEAL: {
        "extend": ("延长期限", True),
        "lift": ("解除查封、扣押", True),
        "lift_served": ("解除决定已送达", False),
    },
    K.RESTRICT: {
        "plan_filed": ("整改方案已报送", False),
        "extend": ("延长期限", True),
        "completion_filed": ("整改完成情况已报送（解除）", False),
        "followup_done": ("解除后复查完成", False),
    },
    K.SUSPEND: {
        "plan_filed": ("整改方案已报送", False),
        "completion_filed": ("整改完成情况已报送（解除）", False),
        "followup_done": ("解除后复查完成", False),
    },
    K.CLOSE: {"approved": ("人民政府已批准", False)},
    K.DETENTION: {"handed_over": ("已移送公安机关", False)},
    K.CRIME: {"approve": ("负责人批准移送", True), "handed_over": ("已移交公安机关", False)},
}
CANCEL = ("cancel", ("撤销措施", True))
# steps that follow a measure's end, while their clock runs (the lifting's service, the check after)
AFTER_END = {"lift_served": "seal_lift_service", "followup_done": "restrict_followup"}


def _key(name: str, measure: Measure) -> str:
    return f"{name}:{measure.pk}"


def actions_for(measure: Measure, user: User) -> list[tuple[str, str]]:
    if measure.status == Measure.Status.CANCELLED or not user.has_perm("cases.handle_case"):
        return []
    ended = measure.status == Measure.Status.ENDED
    found = [
        (action, label)
        for action, (label, head) in ACTIONS[measure.kind].items()
        if (user.approves_cases or not head)
        and (action in AFTER_END) == ended
        and _open(measure, action)
    ]
    if user.approves_cases and not ended:
        found.append((CANCEL[0], CANCEL[1][0]))
    return found


def _open(measure: Measure, action: str) -> bool:
    """Whether the action still makes sense (an extension once, a re-check on an open cycle …)."""
    deadlines = {d.key: d for d in measure.case.deadlines.filter(key__endswith=f":{measure.pk}")}
    if action == "extend":
        name = "seal_end" if measure.kind == K.SEAL else "restrict_end"
        found = deadlines.get(_key(name, measure))
        return found is not None and found.extension == 0 and found.done_on is None
    if action == "recheck":
        return measure.cycles.filter(rechecked_on__isnull=True).exists()
    if action == "new_order":
        return not measure.cycles.filter(rechecked_on__isnull=True).exists()
    if action == "plan_filed":
        found = deadlines.get(_key("restrict_plan", measure))
        return found is not None and found.done_on is None
    if action in AFTER_END:
        found = deadlines.get(_key(AFTER_END[action], measure))
        return found is not None and found.done_on is None
    if action == "approve":
        return measure.approved_on is None
    if action == "handed_over" and measure.kind == K.CRIME:
        return measure.approved_on is not None
    return True


@transaction.atomic
def measure_start(
    *,
    actor: User,
    case: Case,
    kind: str,
    on: dt.date | None = None,
    detail: str = "",
    original_fine: int | None = None,
) -> Measure:
    _require_handler(actor)
    case = access.get_visible_or_404(actor, Case.objects.select_for_update(), pk=case.pk)
    if not access.region_in_reach(actor, case.county):
        raise PermissionDenied("该案件不在您的办理范围内。")
    if kind not in K.values:
        raise ValidationError({"kind": "请选择措施。"})
    if kind in APPROVED and not actor.approves_cases:
        raise PermissionDenied(f"{K(kind).label}须由负责人批准。")
    if case.status in (S.FILING, S.NOT_FILED, S.REVOKED, S.CLOSED):
        raise ValidationError(f"案件当前为“{case.get_status_display()}”，不能采取措施。")
    if kind in AFTER_DECISION and case.decided_on is None:
        raise ValidationError({"kind": f"{K(kind).label}须在作出行政处罚决定之后。"})
    if kind == K.DAILY:
        original_fine = original_fine if original_fine is not None else case.fine
        if not original_fine:
            raise ValidationError({"original_fine": "按日连续处罚以原处罚款为日罚款额，请填写。"})
    detail = detail.strip()
    check_text(Measure, {"detail": detail})
    on = _date(on, "on", not_before=case.filed_on or case.discovered_on)
    if case.measures.filter(kind=kind, status=Measure.Status.ACTIVE).exists():
        raise ValidationError({"kind": f"本案已有实施中的{K(kind).label}。"})
    measure = Measure.objects.create(
        case=case,
        kind=kind,
        started_on=on,
        detail=detail,
        original_fine=original_fine if kind == K.DAILY else None,
        approved_on=on if kind in APPROVED else None,
    )
    transitions.record_created(measure, actor=actor, note=f"{K(kind).label}：{detail}"[:500])
    if kind == K.DAILY:
        DailyCycle.objects.create(measure=measure, order_served_on=on)
    for name in START_CLOCKS[kind]:
        clocks.start(case, _key(name, measure), on)
    return measure


@transaction.atomic
def measure_act(
    *,
    actor: User,
    measure: Measure,
    action: str,
    on: dt.date | None = None,
    note: str = "",
    refused: bool | None = None,
) -> Measure:
    _require_handler(actor)
    measure = access.get_visible_or_404(
        actor, Measure.objects.select_for_update().select_related("case"), pk=measure.pk
    )
    case = measure.case
    if not access.region_in_reach(actor, case.county):
        raise PermissionDenied("该案件不在您的办理范围内。")
    ended = measure.status == Measure.Status.ENDED and action in AFTER_END
    if measure.status != Measure.Status.ACTIVE and not ended:
        raise ValidationError(f"该措施已{measure.get_status_display()}。")
    known = dict(ACTIONS[measure.kind]) | dict([CANCEL])
    if action not in known:
        raise ValidationError({"action": "该措施没有这项操作。"})
    label, head = known[action]
    if head and not actor.approves_cases:
        raise PermissionDenied(f"{label}须由负责人批准。")
    if action != "cancel" and not _open(measure, action):
        raise ValidationError({"action": f"现在还不能办理“{label}”。"})
    note = note.strip()
    check_text(Measure, {"detail": note})
    on = _date(on, "on", not_before=measure.started_on)
    handler = _HANDLERS.get(action, _end_only)
    handler(actor, measure, case, on, note, refused, label)
    return measure


def _end(actor, measure, on, note, label, *, to=Measure.Status.ENDED):
    transitions.transition(
        measure,
        to,
        actor=actor,
        note=f"{label}：{note}" if note else label,
        values={"ended_on": on},
    )


def _end_only(actor, measure, case, on, note, refused, label):
    _end(actor, measure, on, note, label)


def _recheck(actor, measure, case, on, note, refused, label):
    if refused is None:
        raise ValidationError({"refused": "请选择复查结果：是否仍在违法排放（拒不改正）。"})
    cycle = measure.cycles.filter(rechecked_on__isnull=True).order_by("-pk").first()
    if on <= cycle.order_served_on:
        raise ValidationError({"on": "复查日期须在责令改正决定书送达之后。"})
    cycle.rechecked_on, cycle.refused = on, refused
    if refused:
        # 令28号 art. 17: from the day after service up to the re-check day
        cycle.days = (on - cycle.order_served_on).days
        cycle.amount = cycle.days * measure.original_fine
    cycle.save()
    clocks.done(case, _key("daily_recheck", measure), on, "已复查")
    if refused:
        measure.total_days += cycle.days
        measure.total_amount += cycle.amount
        measure.save(update_fields=["total_days", "total_amount"])
    else:
        _end(actor, measure, on, note, "复查已改正，按日连续处罚结束")


def _new_order(actor, measure, case, on, note, refused, label):
    DailyCycle.objects.create(measure=measure, order_served_on=on)
    clocks.start(case, _key("daily_recheck", measure), on)
    measure.events.create(
        from_status=measure.status, to_status=measure.status, by=actor, note=f"{label}：{note}"
    )


def _extend(actor, measure, case, on, note, refused, label):
    name = "seal_end" if measure.kind == K.SEAL else "restrict_end"
    clocks.extend(case, _key(name, measure))
    measure.events.create(
        from_status=measure.status, to_status=measure.status, by=actor, note=f"{label}：{note}"
    )


def _lift(actor, measure, case, on, note, refused, label):
    clocks.done(case, _key("seal_end", measure), on, "已解除")
    clocks.start(case, _key("seal_lift_service", measure), on)
    _end(actor, measure, on, note, label)


def _plan_filed(actor, measure, case, on, note, refused, label):
    clocks.done(case, _key("restrict_plan", measure), on, "已报送")
    measure.events.create(
        from_status=measure.status, to_status=measure.status, by=actor, note=f"{label}：{note}"
    )


def _completion(actor, measure, case, on, note, refused, label):
    # 令30号 art. 17: lifted on the day the completion is filed; a follow-up check within 30 days
    clocks.done(case, _key("restrict_end", measure), on, "已解除")
    clocks.done(case, _key("restrict_plan", measure), on, "已报送")
    clocks.start(case, _key("restrict_followup", measure), on)
    _end(actor, measure, on, note, label)


def _handed_over(actor, measure, case, on, note, refused, label):
    name = "crime_handover" if measure.kind == K.CRIME else "detention_handover"
    clocks.done(case, _key(name, measure), on, "已移送")
    _end(actor, measure, on, note, label)


def _approve(actor, measure, case, on, note, refused, label):
    measure.approved_on = on
    measure.save(update_fields=["approved_on"])
    clocks.done(case, _key("crime_approval", measure), on, "已批准")
    clocks.start(case, _key("crime_handover", measure), on)
    measure.events.create(
        from_status=measure.status, to_status=measure.status, by=actor, note=f"{label}：{note}"
    )


def _cancel(actor, measure, case, on, note, refused, label):
    if not note:
        raise ValidationError({"note": "撤销措施须写明理由。"})
    for deadline in case.deadlines.filter(key__endswith=f":{measure.pk}", done_on__isnull=True):
        deadline.done_on, deadline.done_note = on, "措施已撤销"
        deadline.save(update_fields=["done_on", "done_note"])
    _end(actor, measure, on, note, label, to=Measure.Status.CANCELLED)


def _after_end(action: str):
    def handle(actor, measure, case, on, note, refused, label):
        clocks.done(case, _key(AFTER_END[action], measure), on, label)
        measure.events.create(
            from_status=measure.status, to_status=measure.status, by=actor, note=f"{label}：{note}"
        )

    return handle


_HANDLERS: dict[str, Any] = {
    "recheck": _recheck,
    "new_order": _new_order,
    "extend": _extend,
    "lift": _lift,
    "plan_filed": _plan_filed,
    "completion_filed": _completion,
    "followup_done": _after_end("followup_done"),
    "lift_served": _after_end("lift_served"),
    "handed_over": _handed_over,
    "approve": _approve,
    "cancel": _cancel,
    "approved": _end_only,
}
