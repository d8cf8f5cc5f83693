"""Writes of stage 2: planning with a lawful team, the record form (附件3), same-day submission,
postponement for stopped production, amendments that keep the original, and problems into the ledger."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from campaign import access, transitions
from campaign.edge import ConflictError
from campaign.models import Campaign, User
from campaign.services import grant_object_access
from campaign.validators import check_text
from enterprises.models import Enterprise
from inspections.applicability import applicable_items
from inspections.catalogue import catalogue_for
from inspections.models import (
    Evidence,
    Inspection,
    InspectionEvent,
    InspectionFinding,
    InspectionMember,
    Problem,
)
from inspections.selectors import onsite as selectors
from inspections.services import ledger
from inspections.services.evidence import evidence_add

S = Inspection.Status
Role = InspectionMember.Role
INSPECTOR_ROLES = {User.Role.PROVINCE, User.Role.CITY, User.Role.COUNTY}
EXPERT_GRANT_DAYS = 60


class Conflict(ConflictError):
    """Someone else saved this part of the record after the version the user was editing."""

    def __init__(self, current: dict[str, Any]):
        super().__init__("该项已被其他检查人员修改，请核对后再保存。", current)


def full_address(enterprise: Enterprise) -> str:
    """The unit's address with its city and county, each once (a registered address often begins
    with them already)."""
    address = enterprise.address.strip()
    city, county = enterprise.city.name, enterprise.county.name
    if county in address:
        return address if city in address else city + address
    return city + county + address.removeprefix(city)


@transaction.atomic
def inspection_plan(
    *,
    actor: User,
    campaign: Campaign,
    enterprise: Enterprise,
    planned_on: dt.date,
    source: str,
    lead: User,
    inspectors: list[User],
    experts: list[User] | None = None,
) -> Inspection:
    """Plan an inspection: a lead (主办人) and at least one more inspector, both with 执法证号 (law requires
    two); experts from the pool get access to this inspection only, for a limited time."""
    if not actor.has_perm("inspections.plan_inspection"):
        raise PermissionDenied("您的角色不能安排现场检查。")
    if not access.region_in_reach(actor, enterprise.county):
        raise PermissionDenied("该单位不在您的管辖范围内。")
    experts = experts or []
    people = [lead, *inspectors]
    errors = []
    if len({u.pk for u in people}) < 2:
        errors.append("检查组至少由两名执法人员组成（主办人和至少一名协办人）。")
    in_reach = set(
        selectors.plannable_inspectors(user=actor)
        .filter(pk__in=[u.pk for u in people])
        .values_list("pk", flat=True)
    )
    for person in people:
        if person.role not in INSPECTOR_ROLES:
            errors.append(f"{person}不是执法人员。")
        elif not person.badge_no:
            errors.append(f"{person}没有登记执法证号，不能参加执法检查。")
        elif person.pk not in in_reach:
            errors.append(f"{person}不在您可以安排的执法人员范围内。")
    for expert in experts:
        if expert.role != User.Role.EXPERT or not expert.is_active:
            errors.append(f"{expert}不是专家库人员。")
    if errors:
        raise ValidationError(errors)
    version = catalogue_for(campaign)
    if version is None:
        raise ValidationError("本年度的检查项目目录尚未发布。")
    inspection = Inspection.objects.create(
        campaign=campaign,
        enterprise=enterprise,
        county_id=enterprise.county_id,
        city_id=enterprise.city_id,
        version=version,
        planned_on=planned_on,
        source=source,
        created_by=actor,
        place=full_address(enterprise),
    )
    InspectionMember.objects.create(inspection=inspection, user=lead, role=Role.LEAD)
    for person in inspectors:
        if person.pk != lead.pk:
            InspectionMember.objects.get_or_create(
                inspection=inspection, user=person, defaults={"role": Role.INSPECTOR}
            )
    # the expert's access covers the work and its follow-up; a plan entered late still gets a window
    last_day = max(planned_on, timezone.localdate()) + dt.timedelta(days=EXPERT_GRANT_DAYS)
    ends = timezone.make_aware(dt.datetime.combine(last_day, dt.time(23, 59)))
    for expert in experts:
        InspectionMember.objects.get_or_create(
            inspection=inspection, user=expert, defaults={"role": Role.EXPERT}
        )
        grant_object_access(
            user=expert,
            obj=inspection,
            granted_by=actor,
            ends_at=ends,
            reason=f"现场检查专家：{enterprise.name}",
        )
    transitions.record_created(inspection, actor=actor, kind=InspectionEvent.Kind.PLANNED)
    return inspection


def _require_member(actor: User, inspection: Inspection) -> InspectionMember:
    """The team's inspectors write and sign the record; experts advise and do neither."""
    member = inspection.members.filter(user=actor, role__in=InspectionMember.SIGNERS).first()
    if member is None:
        raise PermissionDenied("只有检查组的执法人员可以填写检查记录。")
    return member


def _require_open(inspection: Inspection) -> None:
    if inspection.is_locked:
        raise ValidationError("检查记录已提交并锁定；如需更正，请使用“更正记录”。")


@transaction.atomic
def inspection_start(
    *, actor: User, inspection: Inspection, at: dt.datetime | None = None
) -> Inspection:
    """Open the record form on site: every applicable catalogue item becomes a line of the form."""
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    _require_member(actor, inspection)
    if S.IN_PROGRESS not in Inspection.TRANSITIONS[S(inspection.status)]:
        raise ValidationError(f"检查当前为“{inspection.get_status_display()}”，不能开始。")
    transitions.transition(
        inspection,
        S.IN_PROGRESS,
        actor=actor,
        values={"started_at": inspection.started_at or at or timezone.now()},
        kind=InspectionEvent.Kind.STARTED,
    )
    if not inspection.findings.exists():
        items = applicable_items(inspection.version.items.all(), inspection.enterprise)
        InspectionFinding.objects.bulk_create(
            [InspectionFinding(inspection=inspection, item=i) for i in items]
        )
    return inspection


FINDING_FIELDS = (
    "result",
    "note",
    "description",
    "kind",
    "severity",
    "legal_basis",
    "sampling_numbers",
)
# what an amendment may correct on a submitted line, and what of it the line's problem carries
AMENDABLE = (
    "result",
    "note",
    "description",
    "kind",
    "severity",
    "legal_basis",
    "sampling_numbers",
)
PROBLEM_COPIED = ("description", "kind", "severity", "legal_basis", "sampling_numbers")

HEADER_FIELDS = (
    "started_at",
    "ended_at",
    "place",
    "recorder",
    "representative_name",
    "representative_position",
    "representative_statement",
    "summary",
    "suggestion",
)


@transaction.atomic
def finding_save(
    *, actor: User, finding: InspectionFinding, values: dict[str, Any], revision: int
) -> InspectionFinding:
    """Save one line; refuses (Conflict) if another inspector saved it since `revision`."""
    finding = (
        InspectionFinding.objects.select_for_update()
        .select_related("inspection")
        .get(pk=finding.pk)
    )
    _require_member(actor, finding.inspection)
    _require_open(finding.inspection)
    if revision != finding.revision:
        raise Conflict(
            {f: getattr(finding, f) for f in FINDING_FIELDS}
            | {"revision": finding.revision, "updated_by": str(finding.updated_by or "")}
        )
    if values.get("result", finding.result) not in ("", *InspectionFinding.Result.values):
        raise ValidationError({"result": "检查结果应为“未发现问题”“发现问题”或“不涉及”。"})
    check_text(InspectionFinding, {k: v for k, v in values.items() if k in FINDING_FIELDS})
    for name in FINDING_FIELDS:
        if name in values:
            setattr(
                finding,
                name,
                (values[name] or "").strip() if isinstance(values[name], str) else values[name],
            )
    if finding.result == InspectionFinding.Result.PROBLEM and not finding.kind:
        finding.kind = finding.item.problem_kind
    if finding.result == InspectionFinding.Result.PROBLEM and not finding.legal_basis:
        finding.legal_basis = finding.item.legal_basis
    finding.revision += 1
    finding.updated_by = actor
    finding.save()
    return finding


@transaction.atomic
def header_save(
    *, actor: User, inspection: Inspection, values: dict[str, Any], revision: int
) -> Inspection:
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    _require_member(actor, inspection)
    _require_open(inspection)
    if revision != inspection.revision:
        raise Conflict(
            {f: getattr(inspection, f) for f in HEADER_FIELDS} | {"revision": inspection.revision}
        )
    check_text(Inspection, {k: v for k, v in values.items() if k in HEADER_FIELDS})
    for name in HEADER_FIELDS:
        if name in values:
            setattr(inspection, name, values[name])
    if (
        inspection.recorder_id
        and not inspection.members.filter(
            user_id=inspection.recorder_id, role__in=InspectionMember.SIGNERS
        ).exists()
    ):
        raise ValidationError({"recorder": "记录人须为本检查组的执法人员。"})
    if (
        inspection.started_at
        and inspection.ended_at
        and inspection.ended_at < inspection.started_at
    ):
        raise ValidationError({"ended_at": "检查结束时间不能早于开始时间。"})
    inspection.revision += 1
    inspection.save()
    return inspection


@transaction.atomic
def finding_add_evidence(
    *,
    actor: User,
    finding: InspectionFinding,
    upload: UploadedFile,
    taken_at: dt.datetime | None = None,
    latitude=None,
    longitude=None,
) -> Evidence:
    """A photo (already made smaller on the phone) or document; original time and GPS kept when known."""
    _require_member(actor, finding.inspection)
    _require_open(finding.inspection)
    if latitude is not None and not -90 <= latitude <= 90:
        raise ValidationError({"latitude": "拍摄纬度应在 -90 到 90 之间。"})
    if longitude is not None and not -180 <= longitude <= 180:
        raise ValidationError({"longitude": "拍摄经度应在 -180 到 180 之间。"})
    evidence = evidence_add(actor=actor, enterprise=finding.inspection.enterprise, upload=upload)
    evidence.taken_at, evidence.latitude, evidence.longitude = taken_at, latitude, longitude
    evidence.save(update_fields=["taken_at", "latitude", "longitude"])
    finding.evidence.add(evidence)
    return evidence


def _valid_signature(data: str) -> str:
    if not data.startswith("data:image/png;base64,") or len(data) < 200 or len(data) > 400_000:
        raise ValidationError("签名无效：请在签名框内手写签名后再保存。")
    return data


@transaction.atomic
def inspection_sign(
    *,
    actor: User,
    inspection: Inspection,
    signature: str,
    for_representative: bool = False,
    representative_name: str = "",
    signer: User | None = None,
    signer_password: str = "",
) -> Inspection:
    """Signatures drawn on screen: each inspector signs for themself; the enterprise representative on the
    inspector's device. Experts advise and do not sign the record.

    A two-person team works on one phone: the other inspector of the team signs on the same device
    as `signer`, confirming with their own password — the signature is theirs, not the device
    holder's. Wrong passwords are counted per signer and stop after SIGN_ATTEMPTS."""
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    member = _require_member(actor, inspection)
    _require_open(inspection)
    if signer is not None and signer.pk != actor.pk and not for_representative:
        member = _confirmed_signer(inspection, signer, signer_password)
    now = timezone.now()
    if for_representative:
        if not (representative_name or inspection.representative_name).strip():
            raise ValidationError("请先填写企业现场负责人姓名。")
        inspection.representative_signature = _valid_signature(signature)
        inspection.representative_signed_at = now
        if representative_name:
            inspection.representative_name = representative_name.strip()
        inspection.save(
            update_fields=[
                "representative_signature",
                "representative_signed_at",
                "representative_name",
            ]
        )
    else:
        member.signature, member.signed_at = _valid_signature(signature), now
        member.save(update_fields=["signature", "signed_at"])
    return inspection


SIGN_ATTEMPTS = 5
SIGN_LOCK_SECONDS = 30 * 60


def _confirmed_signer(inspection: Inspection, signer: User, password: str) -> InspectionMember:
    member = inspection.members.filter(user=signer, role__in=InspectionMember.SIGNERS).first()
    if member is None:
        raise ValidationError({"signer": "签名人须为本检查组的执法人员。"})
    key = f"inspection-sign-attempts:{signer.pk}"
    minutes = SIGN_LOCK_SECONDS // 60
    if cache.get(key, 0) >= SIGN_ATTEMPTS:
        raise ValidationError(
            {
                "signer_password": f"{signer}的密码已连续输错 {SIGN_ATTEMPTS} 次，"
                f"{minutes} 分钟内不能在他人设备上签名。"
            }
        )
    if not signer.is_active or not signer.check_password(password or ""):
        # counted atomically (add, then incr), so parallel guesses share one limit
        cache.add(key, 0, SIGN_LOCK_SECONDS)
        cache.incr(key)
        raise ValidationError({"signer_password": f"{signer}的登录密码不正确，签名未保存。"})
    cache.delete(key)
    return member


def inspection_missing(inspection: Inspection) -> list[str]:
    lacks = []
    if not inspection.started_at:
        lacks.append("表头：未填写检查开始时间")
    if not inspection.ended_at:
        lacks.append("表头：未填写检查结束时间")
    if not inspection.representative_name.strip():
        lacks.append("表头：未填写企业现场负责人")
    if not inspection.recorder_id:
        lacks.append("表头：未选择记录人")
    for finding in inspection.findings.select_related("item"):
        for lack in finding.missing():
            lacks.append(f"{finding.item.code} {finding.item.title}：{lack}")
    if (
        inspection.findings.filter(result=InspectionFinding.Result.PROBLEM).exists()
        and not inspection.suggestion
    ):
        lacks.append("发现问题时须填写初步处理意见")
    if not inspection.representative_signature:
        lacks.append("企业现场负责人未签名")
    inspectors = inspection.members.filter(role__in=[Role.LEAD, Role.INSPECTOR])
    unsigned = [str(m.user) for m in inspectors if not m.signature]
    if unsigned:
        lacks.append("执法人员未签名：" + "、".join(unsigned))
    return lacks


def _snapshot(inspection: Inspection) -> dict:
    def value(v):
        if hasattr(v, "isoformat"):
            return v.isoformat()
        return v.pk if hasattr(v, "pk") else v

    return {
        "header": {f: value(getattr(inspection, f)) for f in HEADER_FIELDS},
        "findings": {
            f.item.code: {name: getattr(f, name) for name in FINDING_FIELDS}
            for f in inspection.findings.select_related("item")
        },
    }


@transaction.atomic
def inspection_submit(
    *, actor: User, inspection: Inspection, late_reason: str = "", at: dt.datetime | None = None
) -> Inspection:
    """Submit the record the same day (当日上传); later is accepted with a reason and marked late.
    Every problem found enters the ledger, linked to the self-found problem of the same item."""
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    _require_member(actor, inspection)
    if inspection.status != S.IN_PROGRESS:
        raise ValidationError(f"检查当前为“{inspection.get_status_display()}”，不能提交。")
    lacks = inspection_missing(inspection)
    at = at or timezone.now()
    is_late = (
        timezone.localdate(at) > timezone.localdate(inspection.started_at)
        if inspection.started_at
        else False
    )
    if is_late and not late_reason.strip():
        lacks.append("非检查当日上传，须填写延迟上传原因")
    if lacks:
        raise ValidationError(lacks)
    transitions.transition(
        inspection,
        S.SUBMITTED,
        actor=actor,
        note=late_reason.strip(),
        values={
            "submitted_at": at,
            "submitted_by": actor,
            "is_late": is_late,
            "late_reason": late_reason.strip(),
            "original": _snapshot(inspection),
        },
        kind=InspectionEvent.Kind.SUBMITTED,
    )
    lead = inspection.members.get(role=Role.LEAD).user
    for finding in (
        inspection.findings.filter(result=InspectionFinding.Result.PROBLEM)
        .select_related("item")
        .prefetch_related("evidence")
    ):
        _record_line_problem(lead, inspection, finding, actor=actor)
    return inspection


def _record_line_problem(
    found_by: User, inspection: Inspection, finding: InspectionFinding, *, actor: User | None = None
) -> Problem:
    """A 发现问题 line into the ledger (a confirmation if the unit already reported it)."""
    return ledger.problem_record(
        actor=actor or found_by,
        campaign=inspection.campaign,
        enterprise=inspection.enterprise,
        item=finding.item,
        source=Problem.Source.INSPECTION,
        kind=finding.kind,
        severity=finding.severity,
        description=finding.description,
        legal_basis=finding.legal_basis,
        sampling_numbers=finding.sampling_numbers,
        found_by=found_by,
        found_at=inspection.started_at,
        evidence=finding.evidence.all(),
        inspection=inspection,
        ref=inspection,
        region=inspection,
    )


@transaction.atomic
def inspection_postpone(
    *, actor: User, inspection: Inspection, reason: str, new_date: dt.date
) -> Inspection:
    """The enterprise had stopped production: re-scheduled, stays open, never counts as done (严禁以停代查)."""
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    _require_member(actor, inspection)
    if S.POSTPONED not in Inspection.TRANSITIONS[S(inspection.status)]:
        raise ValidationError(f"检查当前为“{inspection.get_status_display()}”，不能延期。")
    if not reason.strip():
        raise ValidationError({"reason": "请写明停产情况（如停产原因、停产时间、核实方式）。"})
    if new_date <= timezone.localdate():
        raise ValidationError({"new_date": "新的检查日期须晚于今天。"})
    old = inspection.planned_on
    transitions.transition(
        inspection,
        S.POSTPONED,
        actor=actor,
        note=reason.strip(),
        values={"planned_on": new_date},
        kind=InspectionEvent.Kind.POSTPONED,
        changes={"planned_on": [str(old), str(new_date)]},
    )
    return inspection


@transaction.atomic
def inspection_amend(
    *,
    actor: User,
    inspection: Inspection,
    finding: InspectionFinding,
    values: dict[str, Any],
    reason: str,
) -> InspectionFinding:
    """Correct a submitted record: the original stays as submitted; the change is recorded with a reason."""
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    member = _require_member(actor, inspection)
    if member.role != Role.LEAD:
        raise PermissionDenied("只有主办人可以更正已提交的检查记录。")
    if inspection.status != S.SUBMITTED:
        raise ValidationError("只有已提交的记录需要更正；未提交的记录可直接修改。")
    if not reason.strip():
        raise ValidationError({"reason": "请填写更正原因。"})
    # the line as it stands now, under the inspection's lock: two amendments never work from
    # the same stale copy
    finding = InspectionFinding.objects.select_related("item").get(
        pk=finding.pk, inspection=inspection
    )
    check_text(InspectionFinding, {k: v for k, v in values.items() if k in FINDING_FIELDS})
    R = InspectionFinding.Result
    if values.get("result", finding.result) not in R.values:
        raise ValidationError({"result": "检查结果应为“未发现问题”“发现问题”或“不涉及”。"})
    was_problem = finding.result == R.PROBLEM
    changes = {}
    for name in AMENDABLE:
        if name in values and values[name] != getattr(finding, name):
            changes[name] = [getattr(finding, name), values[name]]
            setattr(finding, name, values[name])
    if not changes:
        raise ValidationError("没有需要更正的内容。")
    if finding.result == R.PROBLEM:
        finding.kind = finding.kind or finding.item.problem_kind
        finding.legal_basis = finding.legal_basis or finding.item.legal_basis
        lacks = finding.missing()
        if lacks:
            raise ValidationError("改为“发现问题”时须填写完整：" + "、".join(lacks))
    finding.revision += 1
    finding.updated_by = actor
    finding.save()
    note = f"现场检查记录更正：{reason.strip()}"
    recorded = Problem.objects.filter(inspection=inspection, item=finding.item).exclude(
        status=Problem.Status.WITHDRAWN
    )
    if finding.result == R.PROBLEM and not was_problem:
        # a problem the line missed enters the ledger now, as found on the day of the visit
        _record_line_problem(actor, inspection, finding)
    elif was_problem and finding.result != R.PROBLEM:
        # a line wrongly marked 发现问题: its problem leaves the ledger, with the reason
        for problem in recorded:
            ledger.problem_transition(
                actor=actor, problem=problem, to=Problem.Status.WITHDRAWN, note=note, ref=inspection
            )
    else:
        copied = {n: new for n, (_old, new) in changes.items() if n in PROBLEM_COPIED}
        for problem in recorded if copied else ():
            ledger.problem_correct(
                actor=actor, problem=problem, values=copied, note=note, ref=inspection
            )
    # an amendment changes no status: its event keeps the status and says what changed and why
    InspectionEvent.objects.create(
        inspection=inspection,
        kind=InspectionEvent.Kind.AMENDED,
        from_status=inspection.status,
        to_status=inspection.status,
        by=actor,
        note=reason.strip(),
        changes={"item": finding.item.code, **changes},
    )
    return finding
