"""The public complaint channel and its handling by the patrol group."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from campaign import transitions
from campaign.models import Campaign, Complaint, ComplaintAttachment, User
from campaign.uploads import validate_upload

TRACKING_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read over the phone
MAX_ATTACHMENTS = 5
ATTACHMENT_TYPES = ("image/jpeg", "image/png", "application/pdf")


def _tracking_code() -> str:
    while True:
        code = "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(12))
        if not Complaint.objects.filter(tracking_code=code).exists():
            return code


def check_attachments(files: list[UploadedFile]) -> list[tuple[UploadedFile, str]]:
    if len(files) > MAX_ATTACHMENTS:
        raise ValidationError(f"最多上传 {MAX_ATTACHMENTS} 个附件。")
    limit = getattr(settings, "MAX_ATTACHMENT_BYTES", 10 * 1024 * 1024)
    return [(f, validate_upload(f, allowed=ATTACHMENT_TYPES, max_bytes=limit)) for f in files]


@transaction.atomic
def complaint_file(
    *,
    values: dict,
    attachments: list[UploadedFile],
    client_ip: str | None,
    campaign: Campaign | None,
) -> Complaint:
    """Record a complaint from the public; the reporter gets only the tracking code back."""
    checked = check_attachments(attachments)
    if values["happened_on"] > timezone.localdate():
        raise ValidationError({"happened_on": "发生日期不能晚于今天。"})
    complaint = Complaint(
        campaign=campaign, tracking_code=_tracking_code(), client_ip=client_ip, **values
    )
    complaint.full_clean()
    complaint.save()
    for upload, content_type in checked:
        ComplaintAttachment.objects.create(
            complaint=complaint,
            file=upload,
            original_name=upload.name[:255],
            content_type=content_type,
            size=upload.size,
        )
    transitions.record_created(complaint, actor=None, note="群众通过网上举报渠道提交")
    return complaint


@transaction.atomic
def complaint_transition(
    *, actor: User, complaint: Complaint, to_status: str, note: str = ""
) -> Complaint:
    """Move a complaint along received → investigating → concluded; concluding needs a conclusion."""
    if not actor.has_perm("campaign.handle_complaint"):
        raise PermissionDenied("只有巡查组可以办理群众举报。")
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if to_status not in Complaint.Status.values:
        raise ValidationError({"to_status": "办理状态无效。"})
    note = note.strip()
    values = {"handler": actor}
    if to_status == Complaint.Status.CONCLUDED:
        if not note:
            raise ValidationError({"note": "办结时必须填写办理结论。"})
        values |= {"conclusion": note, "concluded_at": timezone.now()}
    transitions.transition(complaint, to_status, actor=actor, note=note, values=values)
    return complaint


def complaint_status_by_code(code: str) -> Complaint | None:
    """The public lookup: the status, and once concluded the conclusion, for whoever holds the
    code (never the handling notes or who handled it)."""
    code = (code or "").strip().upper()
    if len(code) != 12:
        return None
    return (
        Complaint.objects.filter(tracking_code=code)
        .only("tracking_code", "status", "received_at", "concluded_at", "conclusion")
        .first()
    )
