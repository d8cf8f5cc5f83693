"""Evidence files: checked by content and size, kept with the enterprise they are about."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from campaign.models import User
from campaign.uploads import validate_upload
from enterprises.models import Enterprise
from inspections.models import Evidence

EVIDENCE_TYPES = ("image/jpeg", "image/png", "application/pdf")


MAX_EVIDENCE_BYTES = 15 * 1024 * 1024


@transaction.atomic
def evidence_add(*, actor: User, enterprise: Enterprise, upload: UploadedFile) -> Evidence:
    content_type = validate_upload(upload, allowed=EVIDENCE_TYPES, max_bytes=MAX_EVIDENCE_BYTES)
    return Evidence.objects.create(
        enterprise=enterprise,
        file=upload,
        original_name=upload.name[:255],
        content_type=content_type,
        size=upload.size,
        uploaded_by=actor,
    )
