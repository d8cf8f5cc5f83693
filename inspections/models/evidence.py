"""Evidence: photos and documents of one enterprise, attached to answers, record lines and
problems, and visible exactly where one of those is."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from campaign.access import AccessPaths
from enterprises.models import Enterprise


class Evidence(models.Model):
    """A photo or document about one enterprise, attached to answers and problems."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField("文件", upload_to="evidence/%Y/%m/")
    original_name = models.CharField("文件名", max_length=255)
    content_type = models.CharField("类型", max_length=50)
    size = models.PositiveIntegerField("大小")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    # from the photo's own metadata when the device kept it (EXIF), never from the upload time
    taken_at = models.DateTimeField("拍摄时间", null=True, blank=True)
    latitude = models.DecimalField(
        "拍摄纬度", max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        "拍摄经度", max_digits=9, decimal_places=6, null=True, blank=True
    )

    # visible exactly where a record it belongs to is: its self-check answer, record line, problem
    access_paths = AccessPaths(via=("self_check_answers", "findings", "problems"))

    class Meta:
        verbose_name = verbose_name_plural = "证据材料"
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")
