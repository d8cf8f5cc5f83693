"""Background jobs: started by a user, run by a Celery worker (eagerly without Redis), found again
under 我的任务. Every status change is a transition with its event row."""

from __future__ import annotations

import datetime as dt
import logging
from typing import IO, Any

from auditlog.context import set_actor
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from campaign import jobs
from campaign.models import Job, User
from campaign.transitions import record_created, transition

logger = logging.getLogger(__name__)

# a running job reports progress about once a second, but an import's write pass reports inside
# its own transaction (unseen until it commits); the worker kills a task after
# CELERY_TASK_TIME_LIMIT, so a job silent for longer than that has lost its worker
STALE_AFTER = dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT) + dt.timedelta(minutes=5)
# a job still queued this long may have lost its message (the broker was down when it was sent)
RESEND_AFTER = dt.timedelta(minutes=15)
INTERRUPTED = "任务中断：处理进程已停止，未产生结果。请重新发起。"


def job_start(
    *,
    actor: User,
    kind: str,
    params: dict[str, Any],
    title: str = "",
    upload: IO[bytes] | None = None,
    upload_name: str = "",
) -> Job:
    """Record the job and hand it to a worker once the record is committed."""
    job_kind = jobs.kind(kind)
    if job_kind.permission and not actor.has_perm(job_kind.permission):
        raise PermissionDenied("您没有此项操作权限。")
    if job_kind.needs_file and upload is None:
        raise ValidationError({"file": "请上传要导入的 Excel 文件。"})
    if not job_kind.needs_file and upload is not None:
        raise ValidationError({"file": "该类任务不接受上传文件。"})
    if job_kind.validate:
        job_kind.validate(actor, params)
    with transaction.atomic():
        job = Job(kind=kind, title=title or job_kind.label, params=params, created_by=actor)
        if upload is not None:
            job.input_name = upload_name
            job.input_file.save(upload_name, File(upload, name=upload_name), save=False)
        job.save()
        record_created(job, actor=actor)
        # robust: a broker that is down leaves the job queued (the reaper sends it again), and the
        # user still gets the job's page instead of an error for a job already recorded
        transaction.on_commit(lambda: _send(job.pk), robust=True)
    return job


def _send(job_id: int) -> None:
    from campaign.tasks import run_job

    run_job.delay(job_id)


def job_run(job_id: int) -> None:
    """Run one job. Idempotent: a job already running elsewhere or finished is left alone, so a
    message delivered twice never does the work twice."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status != Job.Status.QUEUED:
            return
        now = timezone.now()
        transition(
            job,
            Job.Status.RUNNING,
            actor=None,
            values={"started_at": now, "heartbeat_at": now, "attempts": job.attempts + 1},
        )
    try:
        with set_actor(job.created_by):  # history names the person who asked, as in the request
            result = jobs.kind(job.kind).run(job, jobs.Progress(job))
    except ValidationError as exc:
        _fail(job, "；".join(exc.messages))
    except Exception:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        _fail(
            job,
            f"任务执行出错，未产生结果。请稍后重试；如仍失败，请联系管理员（任务编号 {job.pk}）。",
        )
    else:
        _finish(job, result)


def _finish(job: Job, result: jobs.JobResult) -> None:
    try:
        _record_result(job, result)
    except ValidationError:  # the reaper gave it up meanwhile: its failure stands, logged here
        logger.warning("job %s finished after it was marked failed", job.pk)


def _record_result(job: Job, result: jobs.JobResult) -> None:
    if result.failed:
        _fail(job, result.message, url=result.url)
        return
    values: dict[str, Any] = {
        "message": result.message,
        "result_url": result.url,
        "finished_at": timezone.now(),
        "done": job.done,
        "total": job.total if job.total is not None else job.done,
    }
    with transaction.atomic():
        if result.file is not None:
            job.result_file.save(
                result.filename, File(result.file, name=result.filename), save=False
            )
            values |= {"result_file": job.result_file, "result_name": result.filename}
        transition(job, Job.Status.DONE, actor=None, values=values)


def _fail(job: Job, message: str, *, url: str = "") -> None:
    with transaction.atomic():
        if Job.objects.filter(pk=job.pk, status__in=Job.FINISHED).exists():
            return  # already given up by the reaper
        transition(
            job,
            Job.Status.FAILED,
            actor=None,
            note=message,
            values={"message": message, "result_url": url, "finished_at": timezone.now()},
        )


def jobs_reap(*, now: dt.datetime | None = None) -> int:
    """A beat job: a running job whose worker stopped reporting is marked failed (never left
    running for ever); a queued job whose message was lost is sent again. Returns how many
    jobs were marked failed."""
    now = now or timezone.now()
    failed = 0
    for job in Job.objects.filter(status=Job.Status.RUNNING, heartbeat_at__lt=now - STALE_AFTER):
        with transaction.atomic():
            try:
                transition(
                    job,
                    Job.Status.FAILED,
                    actor=None,
                    note=INTERRUPTED,
                    values={"message": INTERRUPTED, "finished_at": now},
                )
            except ValidationError:  # it finished meanwhile
                continue
        failed += 1
    for job_id in Job.objects.filter(
        status=Job.Status.QUEUED, created_at__lt=now - RESEND_AFTER
    ).values_list("pk", flat=True):
        _send(job_id)
    return failed


def jobs_purge(*, now: dt.datetime | None = None) -> int:
    """A beat job: the files of jobs finished more than JOB_RETENTION_DAYS ago are deleted (the
    job stays listed, saying its file is gone). Returns how many jobs lost their files."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.JOB_RETENTION_DAYS)
    purged = 0
    for job in Job.objects.filter(finished_at__lt=cutoff, files_removed_at__isnull=True):
        for field in (job.result_file, job.input_file):
            if field:
                field.delete(save=False)
        Job.objects.filter(pk=job.pk).update(result_file="", input_file="", files_removed_at=now)
        purged += 1
    return purged
