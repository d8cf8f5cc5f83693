"""Long work run in the background (an export or an import): who asked, what, how far it has come
and what came of it."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from campaign.access import AccessPaths
from campaign.transitions import StatusEvent


class Job(models.Model):
    """One export or import run by a Celery worker; it and its file belong to the user who asked."""

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "进行中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    TRANSITIONS = {
        Status.QUEUED: {Status.RUNNING, Status.FAILED},
        Status.RUNNING: {Status.DONE, Status.FAILED},
        Status.DONE: set(),
        Status.FAILED: set(),
    }
    STATUS_EVENTS = "events"
    FINISHED = (Status.DONE, Status.FAILED)

    kind = models.CharField("类型", max_length=40)
    title = models.CharField("任务", max_length=100)
    params = models.JSONField("条件", default=dict, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField("已处理", default=0)
    total = models.PositiveIntegerField("总数", null=True, blank=True)
    input_file = models.FileField("上传文件", upload_to="jobs/input/%Y/%m/", blank=True)
    input_name = models.CharField("上传文件名", max_length=255, blank=True)
    result_file = models.FileField("结果文件", upload_to="jobs/result/%Y/%m/", blank=True)
    result_name = models.CharField("结果文件名", max_length=255, blank=True)
    result_url = models.CharField("结果页面", max_length=200, blank=True)
    message = models.TextField("结果说明", blank=True)
    attempts = models.PositiveSmallIntegerField("执行次数", default=0)
    files_removed_at = models.DateTimeField("文件清理时间", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发起人",
        on_delete=models.PROTECT,
        related_name="jobs",
    )
    created_at = models.DateTimeField("发起时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    # set with every progress report: a running job whose worker died stops beating
    heartbeat_at = models.DateTimeField("最近进展时间", null=True, blank=True)

    access_paths = AccessPaths(owner="created_by", owner_only=True)

    class Meta:
        verbose_name = verbose_name_plural = "后台任务"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "heartbeat_at"], name="job_status_idx")]

    def __str__(self) -> str:
        return f"{self.title}（{self.get_status_display()}）"

    @property
    def percent(self) -> int | None:
        if not self.total:
            return 100 if self.status == self.Status.DONE else None
        return min(100, self.done * 100 // self.total)

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED


class JobEvent(StatusEvent):
    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="events")
    RECORD = "job"

    class Meta(StatusEvent.Meta):
        verbose_name = verbose_name_plural = "后台任务状态变化"
