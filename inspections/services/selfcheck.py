"""Writes of stage 1: the self-check table, its review by the county bureau, and self-found
problems into the ledger."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from campaign import access, transitions
from campaign.models import Campaign, StageWindow, User
from campaign.selectors import calendar
from campaign.validators import check_text, normalize_phone, validate_phone
from enterprises.models import Enterprise
from inspections.applicability import applicable_items
from inspections.catalogue import catalogue_for
from inspections.models import Evidence, Problem, SelfCheck, SelfCheckAnswer, SelfCheckSubmission
from inspections.models.catalogue import area_rank
from inspections.services import ledger
from inspections.services.evidence import evidence_add

S = SelfCheck.Status


R = SelfCheckAnswer.Result


def _require_filler(actor: User, enterprise: Enterprise) -> None:
    if (
        not actor.has_perm("inspections.fill_selfcheck")
        or not actor.enterprises.filter(pk=enterprise.pk).exists()
    ):
        raise PermissionDenied("只有本单位的企业用户可以填写自查表。")


def _require_editable(self_check: SelfCheck) -> None:
    if self_check.status not in (S.DRAFT, S.RETURNED):
        raise ValidationError(f"自查表当前为“{self_check.get_status_display()}”，不能修改。")


@transaction.atomic
def self_check_open(*, actor: User, enterprise: Enterprise, campaign: Campaign) -> SelfCheck:
    """The enterprise's table for the campaign, created on first use with every applicable item."""
    _require_filler(actor, enterprise)
    existing = SelfCheck.objects.filter(campaign=campaign, enterprise=enterprise).first()
    if existing:
        return existing
    version = catalogue_for(campaign)
    if version is None:
        raise ValidationError("本年度的检查项目目录尚未发布，请联系生态环境部门。")
    self_check = SelfCheck.objects.create(
        campaign=campaign,
        enterprise=enterprise,
        county_id=enterprise.county_id,
        city_id=enterprise.city_id,
        version=version,
        filler_name=actor.full_name,
        env_manager=enterprise.contact_person,
        env_manager_phone=enterprise.contact_phone,
    )
    items = applicable_items(version.items.all(), enterprise)
    SelfCheckAnswer.objects.bulk_create(
        [SelfCheckAnswer(self_check=self_check, item=item) for item in items]
    )
    transitions.record_created(self_check, actor=actor)
    return self_check


@transaction.atomic
def self_check_save_header(
    *, actor: User, self_check: SelfCheck, values: dict[str, Any]
) -> SelfCheck:
    _require_filler(actor, self_check.enterprise)
    self_check = SelfCheck.objects.select_for_update().get(pk=self_check.pk)
    _require_editable(self_check)
    fields = ["filler_name", "filled_on", "env_manager", "env_manager_phone", "declaration"]
    check_text(SelfCheck, {k: v for k, v in values.items() if k in fields})
    for name in fields:
        if name in values:
            setattr(self_check, name, values[name])
    if self_check.env_manager_phone:
        self_check.env_manager_phone = normalize_phone(self_check.env_manager_phone)
    self_check.save(update_fields=[*fields, "updated_at"])
    return self_check


@transaction.atomic
def self_check_save_answer(
    *, actor: User, answer: SelfCheckAnswer, values: dict[str, Any]
) -> SelfCheckAnswer:
    """Save one item as the enterprise types it (drafts may be incomplete; submission checks)."""
    self_check = answer.self_check
    _require_filler(actor, self_check.enterprise)
    _require_editable(SelfCheck.objects.select_for_update().get(pk=self_check.pk))
    result = values.get("result", answer.result) or ""
    if result not in ("", *R.values):
        raise ValidationError({"result": "自查结果应为“符合”“不符合”或“不涉及”。"})
    check_text(
        SelfCheckAnswer,
        {k: v for k, v in values.items() if k in ("problem", "measure", "responsible")},
    )
    answer.result = result
    for name in ("problem", "measure", "responsible"):
        if name in values:
            setattr(answer, name, (values[name] or "").strip())
    if "deadline" in values:
        answer.deadline = values["deadline"] or None
    if answer.result != R.NONCOMPLIANT:  # nothing to rectify: drop what belonged to 不符合
        answer.problem = answer.measure = answer.responsible = ""
        answer.deadline = None
    answer.save()
    # only the table's "last changed" time: not a change worth a line in its history
    SelfCheck.objects.filter(pk=self_check.pk).update(updated_at=timezone.now())
    return answer


@transaction.atomic
def self_check_add_evidence(
    *, actor: User, answer: SelfCheckAnswer, upload: UploadedFile
) -> Evidence:
    _require_filler(actor, answer.self_check.enterprise)
    _require_editable(answer.self_check)
    evidence = evidence_add(actor=actor, enterprise=answer.self_check.enterprise, upload=upload)
    answer.evidence.add(evidence)
    return evidence


def self_check_missing(self_check: SelfCheck) -> list[str]:
    """Everything that stops submission, each naming the field or item."""
    lacks = []
    if not self_check.filler_name.strip():
        lacks.append("表头：未填写填表人")
    if not self_check.filled_on:
        lacks.append("表头：未填写自查日期")
    if not self_check.env_manager.strip():
        lacks.append("表头：未填写环保负责人")
    if not self_check.env_manager_phone:
        lacks.append("表头：未填写环保负责人电话")
    else:
        try:
            validate_phone(self_check.env_manager_phone)
        except ValidationError:
            lacks.append("表头：环保负责人电话格式不正确")
    for answer in self_check.answers.select_related("item").order_by(
        area_rank("item__area"), "item__order"
    ):
        for lack in answer.missing():
            lacks.append(f"{answer.item.code} {answer.item.title}：{lack}")
    if not self_check.declaration:
        lacks.append("未勾选如实填报承诺")
    return lacks


def _snapshot(self_check: SelfCheck) -> dict:
    return {
        "header": {
            "filler_name": self_check.filler_name,
            "filled_on": str(self_check.filled_on or ""),
            "env_manager": self_check.env_manager,
            "env_manager_phone": self_check.env_manager_phone,
        },
        "answers": [
            {
                "item": a.item.code,
                "result": a.result,
                "problem": a.problem,
                "measure": a.measure,
                "deadline": str(a.deadline or ""),
                "responsible": a.responsible,
                "evidence": [e.pk for e in a.evidence.all()],
            }
            for a in self_check.answers.select_related("item").prefetch_related("evidence")
        ],
    }


@transaction.atomic
def self_check_submit(
    *, actor: User, self_check: SelfCheck, at: dt.datetime | None = None
) -> SelfCheck:
    """Submit for filing; after the self-check window it is accepted and marked late."""
    _require_filler(actor, self_check.enterprise)
    self_check = SelfCheck.objects.select_for_update().get(pk=self_check.pk)
    if S.SUBMITTED not in SelfCheck.TRANSITIONS[S(self_check.status)]:
        raise ValidationError(f"自查表当前为“{self_check.get_status_display()}”，不能提交。")
    lacks = self_check_missing(self_check)
    if lacks:
        raise ValidationError(lacks)
    at = at or timezone.now()
    is_late = calendar.is_late(
        self_check.campaign, StageWindow.Stage.SELF_CHECK, at=at, city_id=self_check.city_id
    )
    transitions.transition(
        self_check,
        S.SUBMITTED,
        actor=actor,
        note="逾期提交" if is_late else "",
        values={"submitted_at": at, "is_late": is_late},
    )
    number = self_check.submissions.count() + 1
    SelfCheckSubmission.objects.create(
        self_check=self_check,
        number=number,
        snapshot=_snapshot(self_check),
        submitted_at=at,
        submitted_by=actor,
        is_late=self_check.is_late,
    )
    return self_check


def _require_reviewer(actor: User, self_check: SelfCheck) -> SelfCheck:
    if not actor.has_perm("inspections.review_selfcheck"):
        raise PermissionDenied("只有生态环境部门可以备案或退回自查表。")
    locked = (
        access.visible(actor, SelfCheck.objects.select_for_update())
        .filter(pk=self_check.pk)
        .first()
    )
    if locked is None:
        raise PermissionDenied("该自查表不在您的管辖范围内。")
    if locked.status != S.SUBMITTED:
        raise ValidationError(f"自查表当前为“{locked.get_status_display()}”，不能审核。")
    return locked


def _review(actor: User, self_check: SelfCheck, to: str, comment: str) -> SelfCheck:
    """File or return a submitted table; the pending submission keeps the outcome with it."""
    self_check = _require_reviewer(actor, self_check)
    now = timezone.now()
    comment = comment.strip()
    transitions.transition(
        self_check,
        to,
        actor=actor,
        note=comment,
        values={"reviewed_at": now, "reviewed_by": actor, "review_comment": comment},
    )
    self_check.submissions.filter(outcome="").update(
        outcome=to, reviewed_at=now, reviewed_by=actor, comment=comment
    )
    return self_check


@transaction.atomic
def self_check_file(*, actor: User, self_check: SelfCheck, comment: str = "") -> SelfCheck:
    """备案: the table is accepted, and every 不符合 item enters the ledger as a self-found problem."""
    self_check = _review(actor, self_check, S.FILED, comment)
    last = self_check.submissions.last()
    submitter = last.submitted_by if last else None
    noncompliant = (
        self_check.answers.filter(result=R.NONCOMPLIANT, problem_record__isnull=True)
        .select_related("item")
        .prefetch_related("evidence")
    )
    for answer in noncompliant:
        ledger.problem_record(
            actor=actor,
            campaign=self_check.campaign,
            enterprise=self_check.enterprise,
            item=answer.item,
            source=Problem.Source.SELF_CHECK,
            self_found=True,
            description=answer.problem,
            measure=answer.measure,
            deadline=answer.deadline,
            responsible=answer.responsible,
            found_by=submitter,
            found_at=self_check.submitted_at,
            evidence=answer.evidence.all(),
            self_check_answer=answer,
            ref=self_check,
            region=self_check,
            note="自查表备案，企业自查发现",
        )
    return self_check


@transaction.atomic
def self_check_return(*, actor: User, self_check: SelfCheck, comment: str) -> SelfCheck:
    """退回 with a reason the enterprise sees; it can correct and submit again."""
    if not comment.strip():
        raise ValidationError({"comment": "退回时必须填写退回原因。"})
    return _review(actor, self_check, S.RETURNED, comment)
