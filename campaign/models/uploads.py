"""A large file sent in pieces over a bad connection (`campaign/resumable.py`): what was declared,
how much has arrived, and whether a service has taken it yet."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from campaign.access import AccessPaths


class ResumableUploadQuerySet(models.QuerySet):
    def live(self, *, at: dt.datetime) -> ResumableUploadQuerySet:
        """Uploads that may still grow or be taken: not taken, not expired."""
        return self.filter(consumed_at__isnull=True, expires_at__gt=at)

    def stale(self, *, at: dt.datetime) -> ResumableUploadQuerySet:
        """Uploads whose partial file may go: taken by a service, or left to expire."""
        return self.filter(Q(consumed_at__isnull=False) | Q(expires_at__lte=at))


class ResumableUpload(models.Model):
    """One file being uploaded in pieces; the received bytes wait under MEDIA_ROOT/partial/ until
    a service takes the complete file (`resumable.upload_take`) or the upload expires. Only its
    owner sees it."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        on_delete=models.CASCADE,
        related_name="resumable_uploads",
    )
    name = models.CharField("文件名", max_length=255)
    size = models.PositiveBigIntegerField("文件大小（字节）")
    content_type = models.CharField("声明的文件类型", max_length=100, blank=True)
    received = models.PositiveBigIntegerField("已接收（字节）", default=0)
    partial = models.FileField("已接收的数据", upload_to="partial/%Y/%m/", blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    created_at = models.DateTimeField("开始时间", auto_now_add=True)
    updated_at = models.DateTimeField("最近接收时间", auto_now=True)
    completed_at = models.DateTimeField("接收完成时间", null=True, blank=True)
    consumed_at = models.DateTimeField("使用时间", null=True, blank=True)
    expires_at = models.DateTimeField("过期时间")

    objects = ResumableUploadQuerySet.as_manager()

    access_paths = AccessPaths(owner="owner", owner_only=True)

    class Meta:
        verbose_name = verbose_name_plural = "断点续传文件"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(received__lte=F("size")), name="resumable_received_within_size"
            ),
        ]
        indexes = [models.Index(fields=["expires_at"], name="resumable_expires_idx")]

    def __str__(self) -> str:
        return f"{self.name}（{self.received}/{self.size}）"

    @property
    def is_complete(self) -> bool:
        return self.received == self.size
