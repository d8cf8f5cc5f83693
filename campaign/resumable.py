"""Resumable uploads: a large file (a monitoring report, an acceptance PDF) sent from a phone in
pieces, so that a connection cut off halfway continues where it stopped instead of starting again.

A small offset-based protocol in the spirit of tus core (tus.io): the client declares the file
(`upload_start`), sends pieces each naming the offset it starts at (`upload_append`), and after a
break asks the server how much arrived and continues from there. A piece that does not start at
the received offset is refused as a conflict (409) telling the current offset, so a piece sent
twice (its answer was lost) is never written twice. The complete file is then handed to whichever
service the upload was for (`upload_take`), which checks it by content like any other upload
(`campaign.uploads.validate_upload`) and stores it in its own FileField.

Written here rather than taken from a library: the Django tus servers (drf-tus, django-tus) bring
their own upload model without an owner (outside the access policy), a global middleware, signals
and their own storage folders; django-tus stops at Django 3.2. The protocol itself is the hundred
lines below; what this project needs around it (the owner-only policy, Chinese messages, the
matrix, the schema, the purge) would have to be written either way.

The partial data lives in the default storage under `partial/` and is appended through its local
path (`FileSystemStorage`, MEDIA_ROOT), the only storage that can append. The database row is the
truth: a piece whose database commit failed is overwritten by the next one at the same offset.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from campaign import access
from campaign.edge import ConflictError
from campaign.models import ResumableUpload
from campaign.validators import check_text

# at most this many unfinished uploads per person: a client cannot fill the disk with empty starts
MAX_OPEN_PER_USER = 20
# the largest piece one request may carry (the browser sends 512 KB)
MAX_CHUNK_BYTES = 8 * 1024 * 1024


def _keep() -> dt.timedelta:
    return dt.timedelta(hours=settings.RESUMABLE_KEEP_HOURS)


def _megabytes(value: int) -> str:
    return f"{value / (1024 * 1024):g} MB"


@transaction.atomic
def upload_start(
    *,
    actor: Any,
    name: str,
    size: int,
    content_type: str = "",
    max_bytes: int | None = None,
) -> ResumableUpload:
    """Declare a file of `size` bytes; refused over `max_bytes` (default RESUMABLE_MAX_BYTES).

    The name is kept as the user's file name (without any folder part); the declared type is
    only a hint: whoever takes the file checks its content."""
    limit = max_bytes if max_bytes is not None else settings.RESUMABLE_MAX_BYTES
    name = os.path.basename((name or "").replace("\\", "/")).strip()
    content_type = (content_type or "").strip()
    errors = {}
    if not name:
        errors["name"] = "请提供文件名。"
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        errors["size"] = "文件大小须为正整数（字节）；空文件无需上传。"
    elif size > limit:
        errors["size"] = (
            f"文件过大：单个文件不能超过 {_megabytes(limit)}（现为 {_megabytes(size)}）。"
        )
    if errors:
        raise ValidationError(errors)
    check_text(ResumableUpload, {"name": name, "content_type": content_type})
    now = timezone.now()
    if ResumableUpload.objects.filter(owner=actor).live(at=now).count() >= MAX_OPEN_PER_USER:
        raise ValidationError(
            f"您未完成或未使用的上传已有 {MAX_OPEN_PER_USER} 个，请先完成它们或稍后再试。"
        )
    upload = ResumableUpload(
        owner=actor, name=name, size=size, content_type=content_type, expires_at=now + _keep()
    )
    # a name of our own on the disk: the user's name may hold anything
    upload.partial.save(f"{uuid.uuid4().hex}.part", ContentFile(b""), save=False)
    upload.save()
    return upload


@transaction.atomic
def upload_append(
    *, actor: Any, upload: ResumableUpload, offset: int, chunk: bytes
) -> ResumableUpload:
    """Write `chunk` at `offset`, which must be what has arrived so far.

    A different offset is a `ConflictError` (409) with `current = {"offset": received}`, and
    nothing is written: the client continues from there. The upload completes when the declared
    size has arrived (its SHA-256 is then recorded)."""
    upload = ResumableUpload.objects.select_for_update().get(pk=upload.pk)
    now = timezone.now()
    if upload.owner_id != actor.pk:
        raise PermissionDenied("只有上传人可以继续上传这个文件。")
    if upload.consumed_at is not None:
        raise ValidationError("这个文件已经提交使用，不能再追加内容。")
    if upload.expires_at <= now:
        raise ValidationError("这次上传已过期，请重新上传。")
    if isinstance(offset, bool) or not isinstance(offset, int) or offset < 0:
        raise ValidationError({"offset": "偏移量须为非负整数（字节）。"})
    if offset != upload.received:
        raise ConflictError(
            f"偏移量不一致：服务器已收到 {upload.received} 字节，请从该处继续。",
            current={"offset": upload.received},
        )
    if len(chunk) > MAX_CHUNK_BYTES:
        raise ValidationError(
            {"chunk": f"单次上传的数据不能超过 {_megabytes(MAX_CHUNK_BYTES)}，请分段上传。"}
        )
    if offset + len(chunk) > upload.size:
        raise ValidationError(
            {
                "chunk": f"数据超出声明的文件大小：文件共 {upload.size} 字节，"
                f"已收到 {upload.received} 字节，本次 {len(chunk)} 字节。"
            }
        )
    if not chunk:
        return upload
    path = upload.partial.path
    try:
        with open(path, "r+b") as partial:
            # the row is the truth: bytes past it are a piece whose commit failed
            partial.seek(offset)
            partial.write(chunk)
            partial.truncate()
            partial.flush()
            os.fsync(partial.fileno())  # on the disk before the offset says so
    except FileNotFoundError as exc:
        raise ValidationError("已接收的数据丢失，请重新上传。") from exc
    upload.received = offset + len(chunk)
    upload.expires_at = now + _keep()
    fields = ["received", "expires_at", "updated_at"]
    if upload.is_complete:
        upload.completed_at = now
        upload.sha256 = _digest(path)
        fields += ["completed_at", "sha256"]
    upload.save(update_fields=fields)
    return upload


def _digest(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as data:
        for block in iter(lambda: data.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


@transaction.atomic
def upload_take(*, actor: Any, upload_id: int) -> UploadedFile:
    """Hand the complete file to a service: only its owner's, complete, not taken before and not
    expired. Marked taken in the caller's transaction (a refusal later in it takes nothing).

    The answer works like a file from a form: `validate_upload` reads it, and assigning it to a
    FileField copies it. Read it before the transaction commits (the partial file goes with the
    next purge) and close it when done."""
    upload = (
        access.visible(actor, ResumableUpload.objects.select_for_update())
        .filter(pk=upload_id)
        .first()
    )
    if upload is None:
        raise ValidationError({"upload": "未找到这个上传文件，或它不是您上传的。"})
    if upload.consumed_at is not None:
        raise ValidationError({"upload": f"“{upload.name}”已经提交使用过，请重新上传。"})
    if upload.expires_at <= timezone.now():
        raise ValidationError({"upload": f"“{upload.name}”的上传已过期，请重新上传。"})
    if not upload.is_complete:
        raise ValidationError(
            {
                "upload": f"“{upload.name}”尚未上传完整（已收到 {upload.received} / "
                f"{upload.size} 字节），请等上传完成后再提交。"
            }
        )
    try:
        data = upload.partial.storage.open(upload.partial.name, "rb")
    except FileNotFoundError as exc:
        raise ValidationError({"upload": f"“{upload.name}”的数据已丢失，请重新上传。"}) from exc
    upload.consumed_at = timezone.now()
    upload.save(update_fields=["consumed_at", "updated_at"])
    return UploadedFile(
        file=data.file,
        name=upload.name,
        content_type=upload.content_type or "application/octet-stream",
        size=upload.size,
    )


def uploads_purge(*, now: dt.datetime | None = None) -> int:
    """A beat job: delete the partial files and rows of uploads taken by a service or expired.
    An upload being written or taken at that moment (its row locked) is left for the next run.
    Returns how many were removed."""
    now = now or timezone.now()
    removed = 0
    for pk in ResumableUpload.objects.stale(at=now).values_list("pk", flat=True):
        with transaction.atomic():
            upload = (
                ResumableUpload.objects.select_for_update(skip_locked=True)
                .stale(at=now)
                .filter(pk=pk)
                .first()
            )
            if upload is None:
                continue
            partial = upload.partial
            upload.delete()
        if partial:
            partial.storage.delete(partial.name)
        removed += 1
    return removed
