"""Integrity on cross-region work: publishing texts, assignments, signatures, self-checks."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.dispatch import Signal
from django.utils import timezone

from campaign.models import (
    Assignment,
    Campaign,
    IntegrityCommitment,
    IntegrityDocument,
    IntegritySelfCheck,
    Region,
    User,
)
from campaign.models.integrity import SELF_CHECK_ITEMS

# sent inside the signing transaction with `commitment`: the stage that made the assignment opens
# what the person was sent to (stage 5: the team's sampled units)
commitment_signed = Signal()


@transaction.atomic
def integrity_document_publish(
    *, actor: User, campaign: Campaign, kind: str, title: str, body: str
) -> IntegrityDocument:
    """Publish a new version; what was signed before keeps pointing at the version signed."""
    if not actor.has_perm("campaign.manage_platform"):
        raise PermissionDenied("只有系统管理员可以发布廉政文件。")
    if not title.strip() or not body.strip():
        raise ValidationError("标题和正文都不能为空。")
    last = (
        IntegrityDocument.objects.select_for_update()
        .filter(campaign=campaign, kind=kind)
        .aggregate(v=Max("version"))["v"]
        or 0
    )
    return IntegrityDocument.objects.create(
        campaign=campaign,
        kind=kind,
        version=last + 1,
        title=title.strip(),
        body=body.strip(),
        published_by=actor,
    )


def current_document(campaign: Campaign, kind: str) -> IntegrityDocument | None:
    return (
        IntegrityDocument.objects.filter(campaign=campaign, kind=kind).order_by("-version").first()
    )


@transaction.atomic
def assignment_create(
    *,
    actor: User,
    campaign: Campaign,
    user: User,
    title: str,
    destination: Region,
    starts_on: dt.date,
    ends_on: dt.date,
) -> Assignment:
    """A cross-region assignment; nobody is sent to verify their own city (异地交叉)."""
    if not actor.has_perm("campaign.add_assignment"):
        raise PermissionDenied("只有省厅可以安排异地执法任务。")
    home_city = (
        user.region
        if user.region and user.region.level == Region.Level.CITY
        else (user.region.parent if user.region else None)
    )
    if home_city is not None and home_city.pk == destination.pk:
        raise ValidationError(
            {"destination": f"{user}属于{home_city.name}，不能安排其到本市异地核查。"}
        )
    return team_assignment(
        actor=actor,
        campaign=campaign,
        user=user,
        title=title,
        destination=destination,
        starts_on=starts_on,
        ends_on=ends_on,
    )


def team_assignment(
    *,
    actor: User,
    campaign: Campaign,
    user: User,
    title: str,
    destination: Region,
    starts_on: dt.date,
    ends_on: dt.date,
) -> Assignment:
    """An assignment made by a verification team draw, which has kept the person away from their
    own city (a city's own round: their own county) and checked the organiser's permission."""
    assignment = Assignment(
        campaign=campaign,
        user=user,
        title=title.strip(),
        destination=destination,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=actor,
    )
    assignment.full_clean()
    assignment.save()
    return assignment


@transaction.atomic
def commitment_sign(
    *,
    actor: User,
    assignment: Assignment,
    signed_name: str,
    ip_address: str | None = None,
    user_agent: str = "",
    at: dt.datetime | None = None,
) -> IntegrityCommitment:
    """Sign the current 承诺书 for one's own assignment; signing after the start is accepted, marked late."""
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.user_id != actor.pk:
        raise PermissionDenied("只能为本人的任务签署承诺书。")
    if hasattr(assignment, "commitment"):
        raise ValidationError("该任务的承诺书已签署。")
    document = current_document(assignment.campaign, IntegrityDocument.Kind.COMMITMENT)
    if document is None:
        raise ValidationError("本年度尚未发布廉洁自律承诺书，请联系系统管理员。")
    if signed_name.strip() != actor.full_name:
        raise ValidationError({"signed_name": f"签名须与本人姓名“{actor.full_name}”一致。"})
    at = at or timezone.now()
    commitment = IntegrityCommitment.objects.create(
        assignment=assignment,
        document=document,
        signed_name=signed_name.strip(),
        signed_at=at,
        ip_address=ip_address,
        user_agent=user_agent[:300],
        is_late=timezone.localdate(at) >= assignment.starts_on,
    )
    commitment_signed.send(sender=IntegrityCommitment, commitment=commitment)
    return commitment


def assignment_ensure_committed(assignment: Assignment) -> None:
    """The check the cross-region stage calls before a team sets out: no signature, no departure."""
    if not IntegrityCommitment.objects.filter(assignment=assignment).exists():
        raise ValidationError(f"{assignment.user}尚未签署廉洁自律承诺书，不能开展异地执法。")


@transaction.atomic
def integrity_self_check_submit(
    *, actor: User, assignment: Assignment, answers: dict[str, dict], at: dt.datetime | None = None
) -> IntegritySelfCheck:
    """附件6 after the assignment: every item answered; anything not complied with is explained."""
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.user_id != actor.pk:
        raise PermissionDenied("只能填写本人任务的自查表。")
    at = at or timezone.now()
    if timezone.localdate(at) < assignment.ends_on:
        raise ValidationError(f"任务结束（{assignment.ends_on:%Y-%m-%d}）后才能填写自查表。")
    if hasattr(assignment, "self_check"):
        raise ValidationError("该任务的自查表已提交。")
    cleaned, errors = {}, {}
    for key, label in SELF_CHECK_ITEMS:
        answer = answers.get(key) or {}
        ok, note = answer.get("ok"), (answer.get("note") or "").strip()
        if ok is None:
            errors[key] = f"请回答：{label.split('：')[0]}。"
        elif not ok and not note:
            errors[key] = f"“{label.split('：')[0]}”选择了“有情况”，请说明具体情况。"
        cleaned[key] = {"ok": bool(ok), "note": note}
    if errors:
        raise ValidationError(errors)
    return IntegritySelfCheck.objects.create(
        assignment=assignment,
        answers=cleaned,
        submitted_at=at,
        has_issue=any(not a["ok"] for a in cleaned.values()),
    )
