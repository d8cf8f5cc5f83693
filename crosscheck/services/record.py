"""The verification record (核查情况表) of a sampled unit: a team member opens it, records findings
that point at a record of the unit and name the people responsible, the team signs it on screen;
signed, each named person gets an accountability record (问责), which the city answers within a
number of working days and the province decides."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from campaign import access, transitions
from campaign.models import Region, User
from campaign.validators import check_text
from campaign.workdays import WorkingCalendar
from cases.models import Case, CaseEvent
from crosscheck.models import (
    Accountability,
    Capacity,
    Finding,
    FindingPerson,
    RecordSignature,
    SampledUnit,
    TeamMember,
    VerificationRecord,
    VerificationRound,
)
from crosscheck.selectors.team import round_end
from inspections.models import CheckItem, Inspection, InspectionMember, Problem, SelfCheck
from inspections.services import ledger
from rectification.models import ItemCheck, RectificationItem

R = VerificationRecord.Status
A = Accountability.Status
C = Finding.Code
# the measure a finding's code suggests (the province may decide otherwise)
PROPOSED = {
    C.MISSED_SERIOUS: Accountability.Measure.CRITICISM,
    C.NOT_FILED: Accountability.Measure.NOTICE,
    C.NOT_RECTIFIED_IN_TIME: Accountability.Measure.TALK,
    C.FAKE_RECTIFICATION: Accountability.Measure.ADMONISH,
    C.LENIENT: Accountability.Measure.NOTICE,
    C.NEW_PROBLEM: Accountability.Measure.TALK,
}


def member_of(actor: User, unit: SampledUnit) -> TeamMember | None:
    """The actor's place in the team visiting this unit while they may write on it: the
    commitment signed, the sample released, the round not over (the same window as their grant;
    asked of the place itself, since a province officer's reach would open the unit anyway)."""
    member = (
        TeamMember.objects.filter(
            user=actor,
            team__round=unit.draw.round_id,
            team__target_city=unit.city_id,
            team__round__status=VerificationRound.Status.DRAWN,
            assignment__commitment__isnull=False,
        )
        .filter(Q(team__target_county__isnull=True) | Q(team__target_county=unit.county_id))
        .select_related("team__round")
        .first()
    )
    if member is None:
        return None
    row = member.team.round
    if not row.release_at <= timezone.now() < round_end(row):
        return None
    return member


def _member(actor: User, unit: SampledUnit) -> TeamMember:
    member = member_of(actor, unit)
    if member is None:
        raise PermissionDenied(
            "只有已签署廉洁自律承诺书的本组成员在核查期间（样本发布后至核查截止）可以填写核查情况表。"
        )
    return member


def _unit(actor: User, unit: SampledUnit) -> SampledUnit:
    return access.get_visible_or_404(
        actor, SampledUnit.objects.select_related("draw", "enterprise"), pk=unit.pk
    )


@transaction.atomic
def record_open(*, actor: User, unit: SampledUnit) -> VerificationRecord:
    """The unit's record, opened by the first member to write on it (the unit locked: two
    members starting at once get the same record)."""
    unit = _unit(actor, unit)
    # the round first (as round_close takes it): no record opens while the round is being closed
    VerificationRound.objects.select_for_update().filter(pk=unit.draw.round_id).first()
    member = _member(actor, unit)
    SampledUnit.objects.select_for_update().filter(pk=unit.pk).first()
    record = VerificationRecord.objects.filter(unit=unit).first()
    if record is not None:
        return record
    record = VerificationRecord.objects.create(unit=unit, team=member.team, created_by=actor)
    transitions.record_created(record, actor=actor)
    return record


def _draft(actor: User, record: VerificationRecord) -> VerificationRecord:
    record = access.get_visible_or_404(
        actor,
        VerificationRecord.objects.select_for_update().select_related("unit__draw", "team"),
        pk=record.pk,
    )
    _member(actor, record.unit)
    if record.status != R.DRAFT:
        raise ValidationError("核查情况表已签署，不能再修改。")
    return record


def handlers(enterprise_id: int) -> dict[int, set[str]]:
    """Who handled this unit, and how: the people a finding may name, with their capacities."""
    found: dict[int, set[str]] = {}

    def add(user_id, capacity):
        if user_id:
            found.setdefault(user_id, set()).add(capacity)

    for user_id, role in InspectionMember.objects.filter(
        inspection__enterprise=enterprise_id
    ).values_list("user_id", "role"):
        if role == InspectionMember.Role.LEAD:
            add(user_id, Capacity.LEAD)
        elif role == InspectionMember.Role.INSPECTOR:
            add(user_id, Capacity.INSPECTOR)
    for user_id in Case.investigators.through.objects.filter(
        case__enterprise=enterprise_id
    ).values_list("user_id", flat=True):
        add(user_id, Capacity.HANDLER)
    for user_id in Case.objects.filter(enterprise=enterprise_id).values_list(
        "reviewer_id", flat=True
    ):
        add(user_id, Capacity.REVIEWER)
    approvers = CaseEvent.objects.filter(case__enterprise=enterprise_id, by__approves_cases=True)
    for user_id in approvers.values_list("by_id", flat=True):
        add(user_id, Capacity.APPROVER)
    for user_id in RectificationItem.objects.filter(plan__enterprise=enterprise_id).values_list(
        "supervisor_id", flat=True
    ):
        add(user_id, Capacity.SUPERVISOR)
    for user_id in ItemCheck.officers.through.objects.filter(
        itemcheck__item__plan__enterprise=enterprise_id
    ).values_list("user_id", flat=True):
        add(user_id, Capacity.CHECKER)
    return found


def _about(enterprise_id: int, about: dict) -> dict:
    """The record a finding points at: one of the unit's own (never another unit's)."""
    models = {
        "self_check": SelfCheck.objects.filter(enterprise=enterprise_id),
        "inspection": Inspection.objects.filter(enterprise=enterprise_id),
        "case": Case.objects.filter(enterprise=enterprise_id),
        "item": RectificationItem.objects.filter(plan__enterprise=enterprise_id),
        "problem": Problem.objects.filter(enterprise=enterprise_id),
    }
    chosen = {k: v for k, v in (about or {}).items() if v}
    if len(chosen) > 1:
        raise ValidationError(
            "一条核查发现只指向一份记录（自查表、检查记录、案件、整改事项或问题）。"
        )
    links = {}
    for field, value in chosen.items():
        if field not in models:
            raise ValidationError(f"不能指向“{field}”。")
        pk = getattr(value, "pk", value)
        found = models[field].filter(pk=pk).first() if str(pk).isdigit() else None
        if found is None:
            raise ValidationError({field: "所指记录不是该单位的记录。"})
        links[field] = found
    return links


@transaction.atomic
def finding_add(
    *,
    actor: User,
    record: VerificationRecord,
    code: str,
    description: str,
    about: dict | None = None,
    people: Iterable[tuple[User | int, str]] = (),
    check_item: CheckItem | None = None,
    severity: str = "",
) -> Finding:
    """A finding on the record. A problem the team found itself (应发现未发现, 新发现问题) enters the
    ledger with source 异地核查 (a confirmation where the unit has it already) and needs the check
    item it breaches; the others point at the record they are about. The people named must have
    handled the unit, in the capacity named."""
    record = _draft(actor, record)
    unit = record.unit
    if code not in C.values:
        raise ValidationError({"code": "请选择核查结论。"})
    description = (description or "").strip()
    check_text(Finding, {"description": description})
    if not description:
        raise ValidationError({"description": "请填写具体情况。"})
    links = _about(unit.enterprise_id, about or {})
    people = list(people)
    if code == C.OK and people:
        raise ValidationError({"people": "“未发现问题”不点名责任人。"})
    if code in (C.NOT_FILED, C.NOT_RECTIFIED_IN_TIME, C.FAKE_RECTIFICATION, C.LENIENT) and not (
        links
    ):
        raise ValidationError(
            {"about": "请选择该发现所针对的记录（检查记录、案件、整改事项或问题）。"}
        )
    known = handlers(unit.enterprise_id)
    named: list[tuple[int, str]] = []
    for person, capacity in people:
        pk = getattr(person, "pk", person)
        if capacity not in Capacity.values or capacity not in known.get(pk, set()):
            raise ValidationError(
                {
                    "people": "责任人须为以该职责经办过该单位的人员（检查、办案、整改监督或销号核查）。"
                }
            )
        if pk in dict(named):
            raise ValidationError({"people": "同一责任人只列一次。"})
        named.append((pk, capacity))
    if code in Finding.RECORDS_PROBLEM:
        if check_item is None:
            raise ValidationError({"check_item": "新发现的问题须选择对应的检查项目。"})
        problem = ledger.problem_record(
            actor=actor,
            campaign=unit.draw.round.campaign,
            enterprise=unit.enterprise,
            item=check_item,
            source=Problem.Source.CROSSCHECK,
            description=description,
            found_at=timezone.now(),
            found_by=actor,
            severity=severity or Problem.Severity.SERIOUS,
            ref=record,
            note=f"异地核查发现（{record.team}）",
        )
        links = {"problem": problem}
    number = (record.findings.aggregate(n=Max("number"))["n"] or 0) + 1
    finding = Finding.objects.create(
        record=record,
        number=number,
        code=code,
        description=description,
        created_by=actor,
        **links,
    )
    FindingPerson.objects.bulk_create(
        FindingPerson(finding=finding, user_id=pk, capacity=capacity) for pk, capacity in named
    )
    return finding


@transaction.atomic
def finding_record(*, actor: User, unit: SampledUnit, **values) -> Finding:
    """A finding on the unit's record, opening the record if it is the first: all or nothing."""
    record = record_open(actor=actor, unit=unit)
    return finding_add(actor=actor, record=record, **values)


@transaction.atomic
def finding_delete(*, actor: User, finding: Finding) -> None:
    finding = access.get_visible_or_404(actor, Finding.objects.all(), pk=finding.pk)
    _draft(actor, finding.record)
    if finding.problem_id and finding.code in Finding.RECORDS_PROBLEM:
        raise ValidationError("该发现已记入问题台账，不能删除；如有误请在问题台账中撤销该问题。")
    record = finding.record
    record.events.create(
        from_status=record.status,
        to_status=record.status,
        by=actor,
        note=f"删除核查发现 {finding.number}：{finding.get_code_display()}。{finding.description}"[
            :1000
        ],
    )
    finding.delete()


def _valid_signature(data: str) -> str:
    if not data.startswith("data:image/png;base64,") or len(data) < 200 or len(data) > 400_000:
        raise ValidationError({"signature": "签名无效：请在签名框内手写签名后再保存。"})
    return data


@transaction.atomic
def record_sign(
    *, actor: User, record: VerificationRecord, signature: str, summary: str | None = None
) -> VerificationRecord:
    """A member signs; the last signature makes the record final and opens the accountability of
    every person its findings name."""
    record = _draft(actor, record)
    member = _member(actor, record.unit)
    if summary is not None:
        summary = summary.strip()
        check_text(VerificationRecord, {"summary": summary})
        record.summary = summary
        record.save(update_fields=["summary"])
    if not record.summary.strip():
        raise ValidationError({"summary": "请先填写核查情况（总体情况）再签名。"})
    if not record.findings.exists():
        raise ValidationError("请至少记录一条核查发现（无问题时记“未发现问题”）。")
    if RecordSignature.objects.filter(record=record, member=member).exists():
        raise ValidationError("您已签名。")
    RecordSignature.objects.create(
        record=record,
        member=member,
        signature=_valid_signature(signature),
        signed_at=timezone.now(),
    )
    unsigned = record.team.members.exclude(
        pk__in=RecordSignature.objects.filter(record=record).values("member")
    )
    if unsigned.exists():
        return record
    transitions.transition(
        record,
        R.SIGNED,
        actor=actor,
        note="核查组全体成员已签名",
        values={"signed_at": timezone.now()},
    )
    _open_accountability(record, actor)
    return record


def _home(user: User) -> tuple[Region | None, Region | None]:
    region = user.region
    if region is None:
        return None, None
    if region.level == Region.Level.CITY:
        return region, None
    return region.parent, region


def _open_accountability(record: VerificationRecord, actor: User) -> None:
    calendar = WorkingCalendar()
    due = calendar.add_working_days(timezone.localdate(), settings.CROSSCHECK_RESPONSE_WORKING_DAYS)
    named = FindingPerson.objects.filter(finding__record=record).select_related(
        "finding", "user__region__parent"
    )
    for person in named:
        city, county = _home(person.user)
        if city is None:
            continue  # a person without a region (an expert) answers to nobody's city
        finding = person.finding
        proposed = PROPOSED.get(finding.code, Accountability.Measure.TALK)
        row = Accountability.objects.create(
            finding=finding,
            person=person.user,
            capacity=person.capacity,
            city=city,
            county=county,
            facts=f"{record.unit.enterprise.name}：{finding.get_code_display()}。{finding.description}",
            proposed=proposed,
            response_due=due.date,
            response_due_years_missing="、".join(map(str, due.unknown_years)),
            integrity=proposed == Accountability.Measure.TRANSFER,
        )
        transitions.record_created(row, actor=actor, note=f"核查发现 {finding.number} 点名")


@transaction.atomic
def accountability_respond(*, actor: User, row: Accountability, response: str) -> Accountability:
    """The city answers for its person: what it found and did."""
    if not actor.has_perm("crosscheck.respond_accountability"):
        raise PermissionDenied("由责任人所在市生态环境局反馈。")
    row = access.get_visible_or_404(actor, Accountability.objects.select_for_update(), pk=row.pk)
    if row.person_id == actor.pk:
        raise PermissionDenied("本人不能反馈自己的问责记录。")
    response = (response or "").strip()
    check_text(Accountability, {"response": response})
    if not response:
        raise ValidationError({"response": "请填写反馈意见。"})
    if row.status != A.PROPOSED:
        raise ValidationError("该问责记录已反馈或已决定。")
    late = timezone.localdate() > row.response_due
    transitions.transition(
        row,
        A.RESPONDED,
        actor=actor,
        note="逾期反馈" if late else "按期反馈",
        values={"response": response, "responded_at": timezone.now(), "responded_by": actor},
    )
    return row


@transaction.atomic
def accountability_decide(
    *, actor: User, row: Accountability, decision: str, note: str = ""
) -> Accountability:
    """The province decides (after the city's answer, or without it once its time is up)."""
    if not actor.has_perm("crosscheck.decide_accountability"):
        raise PermissionDenied("问责决定由省级作出。")
    row = access.get_visible_or_404(actor, Accountability.objects.select_for_update(), pk=row.pk)
    if decision not in Accountability.Decision.values:
        raise ValidationError({"decision": "请选择问责决定。"})
    note = (note or "").strip()
    check_text(Accountability, {"decision_note": note})
    if decision == Accountability.Decision.NONE and not note:
        raise ValidationError({"decision_note": "不予问责须写明理由。"})
    if row.status == A.DECIDED:
        raise ValidationError("该问责记录已作出决定。")
    if row.status == A.PROPOSED and timezone.localdate() <= row.response_due:
        raise ValidationError(
            f"市局反馈期限至 {row.response_due:%Y-%m-%d}，期限届满或市局反馈后再作决定。"
        )
    row.decision, row.decision_note = decision, note
    row.decided_at, row.decided_by = timezone.now(), actor
    row.integrity = row.integrity or decision == Accountability.Decision.TRANSFER
    row.save(update_fields=["decision", "decision_note", "decided_at", "decided_by", "integrity"])
    return transitions.transition(row, A.DECIDED, actor=actor, note=row.get_decision_display())


def response_overdue(row: Accountability, today: dt.date | None = None) -> bool:
    return row.status == A.PROPOSED and (today or timezone.localdate()) > row.response_due
