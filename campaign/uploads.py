"""Checking uploaded files by content, not by name: type (magic bytes) and size."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

SIGNATURES = {
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "application/pdf": (b"%PDF-",),
}
LABELS = {"image/jpeg": "JPG", "image/png": "PNG", "application/pdf": "PDF"}


def sniff(upload: UploadedFile) -> str | None:
    head = upload.read(16)
    upload.seek(0)
    for content_type, prefixes in SIGNATURES.items():
        if any(head.startswith(p) for p in prefixes):
            return content_type
    return None


def validate_upload(upload: UploadedFile, *, allowed: tuple[str, ...], max_bytes: int) -> str:
    """Return the detected content type, or raise a message naming the file and the rule."""
    if upload.size > max_bytes:
        raise ValidationError(
            f"“{upload.name}”过大：单个文件不能超过 {max_bytes // (1024 * 1024)} MB。"
        )
    content_type = sniff(upload)
    if content_type not in allowed:
        kinds = "、".join(LABELS[a] for a in allowed)
        raise ValidationError(f"“{upload.name}”的文件类型不被接受：只能上传 {kinds} 文件。")
    return content_type
