"""The combined prior notice (一次全部告知，一次处理到位) and the enterprise's online answers.

`notice_draft` gathers, for one enterprise, every case ready to be notified (reviewed) and every
management problem put on guidance or exemption that no notice has told yet; it refuses while a
case of the enterprise is still being investigated (the notice would be partial) and while another
notice is in preparation. `notice_serve` numbers it, records the service and moves every case to
事先告知 with its clocks. A notice drafted after one was served is a supplementary notice (补充告知)
naming it. `reply_submit` is the enterprise's 陈述申辩 or hearing request, late or not.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from campaign import access, transitions
from campaign.models import User
from campaign.validators import check_text
from cases.models import Case, Classification, Notice, NoticeItem, Path, Reply
from cases.services import case as case_services
from cases.services.numbering import next_number
from enterprises.models import Enterprise
from inspections.models import Problem

S = Case.Status
READY = (S.REVIEWING, S.LEGAL_REVIEW)
NOT_READY = (S.FILING, S.INVESTIGATING, S.SUSPENDED)
TOLD = (Notice.Status.DRAFT, Notice.Status.SERVED)


def _require_handler(actor: User) -> None:
    if not actor.has_perm("cases.handle_case"):
        raise PermissionDenied("您的角色不能办理案件。")


def _case_text(case: Case) -> tuple[str, str, str]:
    vtype = case.violation_type
    basis = f"违反{vtype.violated}；依据{vtype.punished}" if vtype else ""
    fine = case.proposed_fine or 0
    proposal = f"拟处罚款人民币 {fine:,} 元" if fine else "拟不处罚款"
    return case.facts or case.title, basis, proposal + "，并责令改正违法行为。"


def _guidance_text(classification: Classification) -> tuple[str, str, str]:
    problem = classification.problem
    if classification.path == Path.EXEMPT:
        proposal = "情节轻微并及时改正，拟免予处罚；请签署承诺书，我局将现场复查。"
    else:
        proposal = "请按要求建立健全并落实相关制度，我局将予以行政指导并跟踪整改。"
    return problem.description, problem.legal_basis or problem.item.legal_basis, proposal


@transaction.atomic
def notice_draft(*, actor: User, enterprise: Enterprise) -> Notice:
    _require_handler(actor)
    enterprise = access.get_visible_or_404(
        actor, Enterprise.objects.select_for_update(), pk=enterprise.pk
    )
    if not access.region_in_reach(actor, enterprise.county):
        raise PermissionDenied("该企业不在您的办理范围内。")
    draft = Notice.objects.filter(enterprise=enterprise, status=Notice.Status.DRAFT).first()
    if draft is not None:
        raise ValidationError(
            f"该企业已有一份拟告知的告知书（{draft.pk}），请送达或撤回后再拟定，不分次告知。"
        )
    told_cases = NoticeItem.objects.filter(notice__status__in=TOLD, case__isnull=False).values(
        "case"
    )
    live = Case.objects.filter(enterprise=enterprise).exclude(status__in=Case.FINISHED)
    waiting = list(live.filter(status__in=NOT_READY).exclude(pk__in=told_cases))
    if waiting:
        names = "、".join(f"{c.pk}号“{c.title}”（{c.get_status_display()}）" for c in waiting)
        raise ValidationError(
            f"该企业尚有案件未调查终结：{names}。一次全部告知：请待其审查后一并告知。"
        )
    cases = list(live.filter(status__in=READY).exclude(pk__in=told_cases).order_by("pk"))
    for case in cases:
        if case.status == S.REVIEWING and case.needs_legal_review:
            raise ValidationError(f"{case.pk}号案件须先经法制审核。")
        if case.proposed_fine is None:
            raise ValidationError(f"{case.pk}号案件尚未提出拟处罚意见（拟处罚款）。")
    told_problems = NoticeItem.objects.filter(
        notice__status__in=TOLD, problem__isnull=False
    ).values("problem")
    guidance = list(
        Classification.objects.filter(
            enterprise=enterprise,
            path__in=(Path.GUIDANCE, Path.EXEMPT),
            problem__status__in=Problem.ACTIVE,
        )
        .exclude(problem__in=told_problems)
        .select_related("problem", "problem__item")
        .order_by("pk")
    )
    if not cases and not guidance:
        raise ValidationError("该企业没有需要告知的案件或问题。")
    campaign = (cases[0] if cases else guidance[0].problem).campaign
    previous = (
        Notice.objects.filter(enterprise=enterprise, campaign=campaign, status=Notice.Status.SERVED)
        .order_by("-served_on", "-pk")
        .first()
    )
    try:
        with transaction.atomic():
            notice = Notice.objects.create(
                campaign=campaign,
                enterprise=enterprise,
                county_id=enterprise.county_id,
                city_id=enterprise.city_id,
                supplements=previous,
                hearing_right=any(
                    (c.proposed_fine or 0) >= c.rule_set.hearing_fine_threshold for c in cases
                ),
                drafted_by=actor,
            )
    except IntegrityError as exc:
        raise ValidationError("该企业已有一份拟告知的告知书，请在其中一并告知。") from exc
    order = 0
    for case in cases:
        order += 1
        facts, basis, proposal = _case_text(case)
        NoticeItem.objects.create(
            notice=notice, case=case, order=order, facts=facts, basis=basis, proposal=proposal
        )
    for classification in guidance:
        order += 1
        facts, basis, proposal = _guidance_text(classification)
        NoticeItem.objects.create(
            notice=notice,
            problem=classification.problem,
            order=order,
            facts=facts,
            basis=basis,
            proposal=proposal,
        )
    transitions.record_created(
        notice, actor=actor, note="补充告知" if previous else "拟定事先告知书"
    )
    return notice


def _notice_for(actor: User, notice: Notice) -> Notice:
    notice = access.get_visible_or_404(
        actor, Notice.objects.select_for_update().select_related("county"), pk=notice.pk
    )
    if not access.region_in_reach(actor, notice.county):
        raise PermissionDenied("该告知书不在您的办理范围内。")
    return notice


@transaction.atomic
def notice_serve(
    *,
    actor: User,
    notice: Notice,
    served_on: dt.date,
    method: str,
    recipient: str = "",
    refusal: str = "",
) -> Notice:
    """Number the notice, record its service, and move every case in it to 事先告知: the 陈述申辩
    and (where a hearing may be asked) hearing-request clocks start on the day of service."""
    _require_handler(actor)
    notice = _notice_for(actor, notice)
    if method not in Notice.Method.values:
        raise ValidationError({"method": "请选择送达方式。"})
    recipient, refusal = recipient.strip(), refusal.strip()
    check_text(Notice, {"recipient": recipient, "refusal": refusal})
    if method == Notice.Method.LEFT and not refusal:
        raise ValidationError({"refusal": "留置送达须写明拒收事由和见证人（或拍照录像）。"})
    if method in (Notice.Method.DIRECT, Notice.Method.ENTRUSTED) and not recipient:
        raise ValidationError({"recipient": "请填写签收人。"})
    served_on = case_services._date(served_on, "served_on")
    items = list(notice.items.select_related("case"))
    for item in items:
        if item.case_id and served_on < (item.case.filed_on or item.case.discovered_on):
            raise ValidationError({"served_on": "送达日期不能早于案件立案日期。"})
    number = next_number(notice.county, served_on.year, "罚告")
    transitions.transition(
        notice,
        Notice.Status.SERVED,
        actor=actor,
        note=f"{Notice.Method(method).label}，{served_on:%Y-%m-%d}",
        values={
            "served_on": served_on,
            "method": method,
            "recipient": recipient,
            "refusal": refusal,
            "number": number,
        },
    )
    for item in items:
        if item.case_id:
            case_services.case_notify(actor=actor, case=item.case, notice=notice, on=served_on)
    return notice


@transaction.atomic
def notice_withdraw(*, actor: User, notice: Notice, reason: str) -> Notice:
    _require_handler(actor)
    notice = _notice_for(actor, notice)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "请写明撤回理由。"})
    transitions.transition(notice, Notice.Status.WITHDRAWN, actor=actor, note=reason)
    return notice


@transaction.atomic
def reply_submit(*, actor: User, notice: Notice, kind: str, text: str) -> Reply:
    """The enterprise's 陈述申辩 or hearing request on a served notice. After its window it is kept
    and marked late (逾期), never refused: the bureau decides whether to hear it."""
    if not actor.has_perm("cases.reply_notice"):
        raise PermissionDenied("只有当事人可以在线陈述申辩或申请听证。")
    notice = access.get_visible_or_404(actor, Notice.objects.all(), pk=notice.pk)
    if notice.status != Notice.Status.SERVED:
        raise ValidationError("告知书尚未送达。")
    if kind not in Reply.Kind.values:
        raise ValidationError({"kind": "请选择陈述申辩或申请听证。"})
    if kind == Reply.Kind.HEARING and not notice.hearing_right:
        raise ValidationError({"kind": "本告知书未告知听证权利，请提交陈述申辩。"})
    text = text.strip()
    if not text:
        raise ValidationError({"text": "请填写内容。"})
    check_text(Reply, {"text": text})
    key = "statement" if kind == Reply.Kind.STATEMENT else "hearing_request"
    cases = [item.case for item in notice.items.select_related("case") if item.case_id]
    dues = [d for case in cases for d in case.deadlines.filter(key=key)]
    due = max((d.due_date for d in dues), default=None)
    today = timezone.localdate()
    late = due is not None and today > due
    reply = Reply.objects.create(
        notice=notice, kind=kind, text=text, submitted_by=actor, is_late=late, due_date=due
    )
    if not late:
        label = "当事人已陈述申辩" if kind == Reply.Kind.STATEMENT else "当事人已申请听证"
        for deadline in dues:
            if deadline.done_on is None:
                deadline.done_on = today
                deadline.done_note = label
                deadline.save(update_fields=["done_on", "done_note"])
    return reply
