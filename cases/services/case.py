"""Every write of a case: opening it, and each legal step through the one transition mechanism.

A step names the case's status the user saw (`expected`); who may take it is decided here: the
bureau's 负责人 (`User.approves_cases`) approves 立案, suspension, transfer, decision and 结案; an
investigator writes the investigation report; the reviewer is never an investigator (查处分离).
Each step starts or ends its statutory clocks (`cases.clocks`) and moves the case's problems
through the ledger service, naming the case.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone

from campaign import access, transitions
from campaign.models import Campaign, User
from campaign.selectors.calendar import campaign_current
from campaign.validators import check_text
from cases import clocks
from cases.models import Case, CaseEvent, CasePause, CaseProblem, Path, ViolationType
from cases.rules import rules_for
from enterprises.models import Enterprise
from inspections.models import Problem
from inspections.selectors.onsite import plannable_inspectors
from inspections.services import ledger

S = Case.Status
P = Problem.Status


def _require_handler(actor: User) -> None:
    if not actor.has_perm("cases.handle_case"):
        raise PermissionDenied("您的角色不能办理案件。")


def _date(value: dt.date | None, field: str, *, not_before: dt.date | None = None) -> dt.date:
    today = timezone.localdate()
    value = value or today
    if value > today:
        raise ValidationError({field: "日期不能晚于今天。"})
    if not_before and value < not_before:
        raise ValidationError({field: f"日期不能早于 {not_before:%Y-%m-%d}。"})
    return value


def _check_people(actor: User, people: Iterable[User], field: str) -> list[User]:
    people = list(people)
    allowed = set(plannable_inspectors(user=actor).filter(pk__in=[p.pk for p in people]))
    for person in people:
        if person not in allowed:
            raise ValidationError({field: f"{person} 不是您可以指派的执法人员（须持执法证）。"})
    return people


def _problems_in_reach(actor: User, problems: Iterable[Problem], enterprise: Enterprise):
    problems = list(problems)
    seen = access.visible(actor, Problem.objects.filter(pk__in=[p.pk for p in problems]))
    if seen.count() != len({p.pk for p in problems}):
        raise ValidationError({"problems": "所选问题不存在或不在您的管辖范围内。"})
    for problem in problems:
        if problem.enterprise_id != enterprise.pk:
            raise ValidationError({"problems": "一个案件只处理同一当事人的问题。"})
        if problem.primary_id is not None:
            raise ValidationError({"problems": "确认记录不单独立案，请选择其主问题。"})
        if problem.status not in (P.OPEN, P.HANDLING, P.RECTIFYING):
            raise ValidationError(
                {
                    "problems": f"问题“{problem.item.title}”当前为“{problem.get_status_display()}”，不能立案。"
                }
            )
        live = problem.case_links.exclude(case__status__in=Case.FINISHED).first()
        if live is not None:
            raise ValidationError(
                {"problems": f"问题“{problem.item.title}”已在案件 {live.case_id} 中办理。"}
            )
    return problems


def suggest_violation_type(problem: Problem) -> ViolationType | None:
    """The catalogue's type for the problem's check item, if it names one."""
    code = problem.item.code
    types = ViolationType.objects.order_by("pk")
    if connection.features.supports_json_field_contains:
        return types.filter(item_codes__contains=[code]).first()
    # SQLite (`make run`) has no JSON containment: the catalogue is a few dozen rows
    return next((t for t in types if code in (t.item_codes or [])), None)


@transaction.atomic
def case_open(
    *,
    actor: User,
    enterprise: Enterprise,
    title: str,
    source: str,
    discovered_on: dt.date,
    facts: str = "",
    violation_type: ViolationType | None = None,
    path: str = Path.STRICT,
    problems: Iterable[Problem] = (),
    investigators: Iterable[User] = (),
    campaign: Campaign | None = None,
    ref: Any = None,
) -> Case:
    """Register a case for 立案审批: from the ledger (its problems), a complaint, a monitoring
    exceedance. The 立案 clock runs from the day the violation was discovered."""
    _require_handler(actor)
    if not access.region_in_reach(actor, enterprise.county):
        raise ValidationError({"enterprise": "该企业不在您的管辖范围内。"})
    title = title.strip()
    if not title:
        raise ValidationError({"title": "请填写案由。"})
    check_text(Case, {"title": title, "facts": facts})
    if source not in Case.Source.values:
        raise ValidationError({"source": "请选择案件来源。"})
    if path not in (Path.LENIENT, Path.STRICT, Path.TRANSFER):
        raise ValidationError({"path": "案件的处置方式须为从轻减轻、依法严格处理或移送。"})
    discovered_on = _date(discovered_on, "discovered_on")
    problems = _problems_in_reach(actor, problems, enterprise)
    investigators = _check_people(actor, investigators, "investigators")
    campaign = campaign or (problems[0].campaign if problems else campaign_current())
    if campaign is None:
        raise ValidationError("尚未设置执法行动年度。")
    case = Case.objects.create(
        campaign=campaign,
        enterprise=enterprise,
        county_id=enterprise.county_id,
        city_id=enterprise.city_id,
        title=title,
        violation_type=violation_type,
        path=path,
        source=source,
        facts=facts,
        discovered_on=discovered_on,
        rules=rules_for(discovered_on).key,
        opened_by=actor,
    )
    case.investigators.set(investigators)
    transitions.record_created(case, actor=actor, note="登记案件，待立案审批")
    for problem in problems:
        CaseProblem.objects.create(case=case, problem=problem)
        if problem.status != P.HANDLING:
            ledger.problem_transition(
                actor=actor, problem=problem, to=P.HANDLING, note="立案审查", ref=ref or case
            )
    clocks.start(case, "filing", discovered_on)
    return case


# --- the steps -----------------------------------------------------------------------------

# step → (label, who: "approver" | "investigator" | "reviewer" | "handler")
STEPS: dict[tuple[str, str], tuple[str, str]] = {
    (S.FILING, S.INVESTIGATING): ("批准立案", "approver"),
    (S.FILING, S.NOT_FILED): ("不予立案", "approver"),
    (S.INVESTIGATING, S.REVIEWING): ("提交调查报告", "investigator"),
    (S.INVESTIGATING, S.SUSPENDED): ("中止调查", "approver"),
    (S.REVIEWING, S.SUSPENDED): ("中止调查", "approver"),
    (S.SUSPENDED, S.INVESTIGATING): ("恢复调查", "approver"),
    (S.SUSPENDED, S.REVIEWING): ("恢复审查", "approver"),
    (S.REVIEWING, S.INVESTIGATING): ("退回补充调查", "reviewer"),
    (S.REVIEWING, S.LEGAL_REVIEW): ("送法制审核", "reviewer"),
    (S.REVIEWING, S.NOTIFIED): ("事先告知", "reviewer"),
    (S.REVIEWING, S.NO_PENALTY): ("不予处罚", "approver"),
    (S.LEGAL_REVIEW, S.REVIEWING): ("法制审核退回", "reviewer"),
    (S.LEGAL_REVIEW, S.NOTIFIED): ("事先告知", "reviewer"),
    (S.LEGAL_REVIEW, S.NO_PENALTY): ("不予处罚", "approver"),
    (S.NOTIFIED, S.HEARING): ("当事人申请听证", "handler"),
    (S.NOTIFIED, S.DISCUSSION): ("提交集体讨论", "handler"),
    (S.HEARING, S.DISCUSSION): ("提交集体讨论", "handler"),
    (S.NOTIFIED, S.DECIDED): ("作出处罚决定", "approver"),
    (S.HEARING, S.DECIDED): ("作出处罚决定", "approver"),
    (S.DISCUSSION, S.DECIDED): ("作出处罚决定", "approver"),
    (S.NOTIFIED, S.NO_PENALTY): ("不予处罚", "approver"),
    (S.HEARING, S.NO_PENALTY): ("不予处罚", "approver"),
    (S.DISCUSSION, S.NO_PENALTY): ("不予处罚", "approver"),
    (S.DECIDED, S.EXECUTING): ("决定书已送达", "handler"),
    (S.EXECUTING, S.CLOSING): ("执行完毕，申请结案", "handler"),
    (S.NO_PENALTY, S.CLOSING): ("申请结案", "handler"),
    (S.CLOSING, S.CLOSED): ("批准结案", "approver"),
    (S.CLOSING, S.EXECUTING): ("退回执行", "approver"),
    (S.INVESTIGATING, S.TRANSFERRED): ("移送涉嫌犯罪", "approver"),
    (S.REVIEWING, S.TRANSFERRED): ("移送涉嫌犯罪", "approver"),
    (S.TRANSFERRED, S.INVESTIGATING): ("移送退回，继续调查", "handler"),
    (S.TRANSFERRED, S.REVIEWING): ("移送退回，继续审查", "handler"),
    (S.TRANSFERRED, S.CLOSING): ("移送完毕，申请结案", "handler"),
    (S.INVESTIGATING, S.REVOKED): ("撤销案件", "approver"),
    (S.REVIEWING, S.REVOKED): ("撤销案件", "approver"),
    (S.NOTIFIED, S.REVOKED): ("撤销案件", "approver"),
    (S.DECIDED, S.REVOKED): ("撤销案件", "approver"),
    (S.EXECUTING, S.REVOKED): ("撤销案件", "approver"),
}
# steps whose note (the reason, the opinion) may not be empty
NOTE_REQUIRED = {
    S.NOT_FILED,
    S.SUSPENDED,
    S.NO_PENALTY,
    S.TRANSFERRED,
    S.REVOKED,
}


def steps_for(case: Case, user: User) -> list[tuple[str, str]]:
    """The steps this user may take on the case now: (to, label). 事先告知 is not among them: it is
    taken by serving the enterprise's combined notice (`cases.services.notice`)."""
    if not user.has_perm("cases.handle_case"):
        return []
    found = []
    for (source, to), (label, who) in STEPS.items():
        if source != case.status or to == S.NOTIFIED:
            continue
        if source == S.SUSPENDED and to != case.suspended_from:
            continue
        if _allowed(case, user, who) is None:
            found.append((to, label))
    return found


def _allowed(case: Case, user: User, who: str) -> str | None:
    """None if `user` may take a step done by `who`, else the reason why not."""
    if who == "approver" and not user.approves_cases:
        return "此环节须由负责人审批。"
    investigators = {p.pk for p in case.investigators.all()}
    if who == "investigator" and user.pk not in investigators:
        return "调查报告由本案承办人员提交。"
    if who == "reviewer":
        if user.pk in investigators:
            return "案件审查人不能是本案承办人员（查处分离）。"
        if case.reviewer_id and user.pk != case.reviewer_id and not user.approves_cases:
            return "此环节由本案的审查人办理。"
    return None


@transaction.atomic
def case_step(
    *,
    actor: User,
    case: Case,
    to: str,
    note: str = "",
    expected: str | None = None,
    on: dt.date | None = None,
    **data: Any,
) -> Case:
    """Take one step of the case (see `STEPS`); `data` carries what the step records."""
    _require_handler(actor)
    case = access.get_visible_or_404(actor, Case.objects.select_for_update(), pk=case.pk)
    if not access.region_in_reach(actor, case.county):
        raise PermissionDenied("该案件不在您的办理范围内。")
    current = expected if expected is not None else case.status
    step = STEPS.get((current, to))
    if step is None or (current == S.SUSPENDED and to != case.suspended_from):
        raise ValidationError(
            f"案件当前为“{Case.Status(current).label}”，不能{Case.Status(to).label}。"
        )
    label, who = step
    if to == S.NOTIFIED:
        raise ValidationError("事先告知须拟定并送达该企业的告知书（一次全部告知）。")
    if reason := _allowed(case, actor, who):
        raise PermissionDenied(reason)
    note = note.strip()
    check_text(CaseEvent, {"note": note})
    if to in NOTE_REQUIRED and not note:
        raise ValidationError({"note": f"{label}须写明理由。"})
    on = _date(on, "on", not_before=case.discovered_on)
    values: dict[str, Any] = {}
    after: list = []
    _STEP_RULES.get(to, _nothing)(case, actor, current, on, note, data, values, after)
    transitions.transition(
        case, to, actor=actor, note=note or label, values=values, expected=expected
    )
    for then in after:
        then()
    return case


def case_notify(*, actor: User, case: Case, notice: Any, on: dt.date) -> Case:
    """事先告知 of one case, as part of serving its enterprise's notice (`notice_serve`, which
    checked who may serve it): the 陈述申辩 and hearing-request clocks start on `on`."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status not in (S.REVIEWING, S.LEGAL_REVIEW):
        raise ValidationError(f"{case.pk}号案件当前为“{case.get_status_display()}”，不能告知。")
    values: dict[str, Any] = {}
    after: list = []
    data = {"hearing_right": notice.hearing_right}
    _notified(case, actor, case.status, on, "", data, values, after)
    transitions.transition(
        case, S.NOTIFIED, actor=actor, note=f"送达事先告知书 {notice.number}", values=values
    )
    for then in after:
        then()
    return case


def _nothing(*args: Any) -> None:
    return None


def _investigating(case, actor, current, on, note, data, values, after):
    if current == S.FILING:
        investigators = [p for p in case.investigators.all() if p.badge_no]
        if len(investigators) < 2:
            raise ValidationError("立案前须指定至少两名持执法证的承办人员。")
        if case.violation_type_id is None:
            raise ValidationError({"violation_type": "立案前须选择违法行为类型。"})
        values.update(filed_on=on, rules=rules_for(on).key)

        def filed():
            clocks.done(case, "filing", on, "已立案")
            clocks.start(case, "decision", on)

        after.append(filed)
    else:
        after.append(lambda: _end_pause(case, on))


def _not_filed(case, actor, current, on, note, data, values, after):
    after.append(lambda: _finish(case, actor, on, "不予立案", to=P.RECTIFYING))


def _reviewing(case, actor, current, on, note, data, values, after):
    if current == S.INVESTIGATING:
        report = (data.get("report") or "").strip()
        if not report:
            raise ValidationError({"report": "请填写调查报告（违法事实、证据和处理建议）。"})
        check_text(Case, {"report": report})
        reviewer = data.get("reviewer")
        if reviewer is None:
            raise ValidationError({"reviewer": "请指定案件审查人。"})
        _check_people(actor, [reviewer], "reviewer")
        if reviewer in case.investigators.all():
            raise ValidationError({"reviewer": "案件审查人不能是本案承办人员（查处分离）。"})
        values.update(report=report, reviewer=reviewer)
        # the investigator says what the case needs before a decision: 法制审核 (行政处罚法 art. 58)
        # and, for a major case, 集体讨论 (art. 57 ¶2); the rules of later steps read these
        for flag in ("needs_legal_review", "major"):
            if flag in data:
                values[flag] = bool(data[flag])
        if data.get("proposed_fine") is not None:
            values["proposed_fine"] = data["proposed_fine"]
    else:
        after.append(lambda: _end_pause(case, on))


def _suspended(case, actor, current, on, note, data, values, after):
    values["suspended_from"] = current
    after.append(lambda: _pause(case, CasePause.Kind.SUSPENSION, on, note))


def _legal_review(case, actor, current, on, note, data, values, after):
    if note:
        values["review_opinion"] = note


def _notified(case, actor, current, on, note, data, values, after):
    if case.needs_legal_review and current != S.LEGAL_REVIEW:
        raise ValidationError("本案须经法制审核后才能告知。")
    fine = data.get("proposed_fine", case.proposed_fine)
    if fine is None:
        raise ValidationError({"proposed_fine": "请填写拟处罚款金额（不处罚款填 0）。"})
    values.update(proposed_fine=fine, notified_on=on)
    if current == S.REVIEWING and note:
        values["review_opinion"] = note

    def notified():
        clocks.start(case, "statement", on)
        if fine >= case.rule_set.hearing_fine_threshold or data.get("hearing_right"):
            clocks.start(case, "hearing_request", on)

    after.append(notified)


def _hearing(case, actor, current, on, note, data, values, after):
    after.append(lambda: clocks.done(case, "hearing_request", on, "当事人申请听证"))
    after.append(lambda: _pause(case, CasePause.Kind.HEARING, on, note))


def _discussion(case, actor, current, on, note, data, values, after):
    if current == S.HEARING:
        after.append(lambda: _end_pause(case, on))


def _decided(case, actor, current, on, note, data, values, after):
    if case.major and current != S.DISCUSSION:
        raise ValidationError("重大案件须经集体讨论后作出决定。")
    statement = case.deadlines.filter(key="statement").first()
    # the window is the party's: once it stated its case (or waived it), the bureau may decide
    waiting = statement and statement.done_on is None and on <= statement.due_date
    if waiting and not data.get("party_waived"):
        raise ValidationError(
            {
                "on": f"陈述申辩期限至 {statement.due_date:%Y-%m-%d} 届满，届满前不能作出决定"
                "（当事人已陈述申辩或明确放弃的除外）。"
            }
        )
    fine = data.get("fine", case.proposed_fine)
    if fine is None:
        raise ValidationError({"fine": "请填写罚款金额（不处罚款填 0）。"})
    values.update(fine=fine, decided_on=on)

    def decided():
        if current == S.HEARING:
            _end_pause(case, on)
        clocks.done(case, "statement", on, "已作出决定")
        clocks.done(case, "hearing_request", on, "已作出决定")
        clocks.done(case, "decision", on, "已作出决定")
        clocks.start(case, "service", on)

    after.append(decided)


def _executing(case, actor, current, on, note, data, values, after):
    if current == S.DECIDED:
        if case.decided_on and on < case.decided_on:
            raise ValidationError({"on": "送达日期不能早于决定日期。"})
        values["served_on"] = on

        def served():
            clocks.done(case, "service", on, "已送达")
            if case.fine:
                clocks.start(case, "payment", on)

        after.append(served)


def _closing(case, actor, current, on, note, data, values, after):
    if current == S.EXECUTING:
        after.append(lambda: clocks.done(case, "payment", on, "执行完毕"))
    if current == S.TRANSFERRED:
        after.append(lambda: _end_pause(case, on))
    if current == S.NO_PENALTY:
        after.append(lambda: clocks.done(case, "decision", on, "不予处罚"))


def _no_penalty(case, actor, current, on, note, data, values, after):
    values["decided_on"] = on

    def decided():
        if current == S.HEARING:
            _end_pause(case, on)
        clocks.done(case, "decision", on, "不予处罚")
        clocks.done(case, "statement", on, "不予处罚")
        clocks.done(case, "hearing_request", on, "不予处罚")

    after.append(decided)


def _transferred(case, actor, current, on, note, data, values, after):
    after.append(lambda: _pause(case, CasePause.Kind.TRANSFER, on, note))


def _closed(case, actor, current, on, note, data, values, after):
    values["closed_on"] = on
    # a case decided with 责令改正 hands its problems to rectification; nothing to rectify: closed
    to = P.CLOSED if data.get("nothing_to_rectify") else P.RECTIFYING
    after.append(lambda: _finish(case, actor, on, "已结案", to=to))


def _revoked(case, actor, current, on, note, data, values, after):
    after.append(lambda: _finish(case, actor, on, "已撤销", to=P.RECTIFYING))


_STEP_RULES = {
    S.INVESTIGATING: _investigating,
    S.NOT_FILED: _not_filed,
    S.REVIEWING: _reviewing,
    S.SUSPENDED: _suspended,
    S.LEGAL_REVIEW: _legal_review,
    S.NOTIFIED: _notified,
    S.HEARING: _hearing,
    S.DISCUSSION: _discussion,
    S.DECIDED: _decided,
    S.EXECUTING: _executing,
    S.CLOSING: _closing,
    S.NO_PENALTY: _no_penalty,
    S.TRANSFERRED: _transferred,
    S.CLOSED: _closed,
    S.REVOKED: _revoked,
}


def _pause(case: Case, kind: str, on: dt.date, note: str) -> None:
    CasePause.objects.create(case=case, kind=kind, started_on=on, note=note)
    clocks.recompute(case.deadlines.filter(done_on__isnull=True, pausable=True))


def _end_pause(case: Case, on: dt.date) -> None:
    for pause in case.pauses.filter(ended_on__isnull=True):
        pause.ended_on = max(on, pause.started_on)
        pause.save(update_fields=["ended_on"])
    clocks.recompute(case.deadlines.filter(done_on__isnull=True, pausable=True))


def _finish(case: Case, actor: User, on: dt.date, note: str, *, to: str) -> None:
    clocks.close_all(case, on, note)
    for link in case.case_problems.select_related("problem"):
        problem = link.problem
        if problem.status == P.HANDLING:
            ledger.problem_transition(actor=actor, problem=problem, to=to, note=note, ref=case)
