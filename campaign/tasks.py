from celery import shared_task

from campaign import resumable, services
from campaign.services import jobs


@shared_task(name="campaign.tasks.revoke_expired_grants")
def revoke_expired_grants() -> int:
    return services.revoke_expired_grants()


# acks_late: a message is acknowledged only when the job has run, so a worker that dies loses no job
@shared_task(name="campaign.tasks.run_job", acks_late=True, reject_on_worker_lost=True)
def run_job(job_id: int) -> None:
    jobs.job_run(job_id)


@shared_task(name="campaign.tasks.jobs_reap")
def jobs_reap() -> int:
    return jobs.jobs_reap()


@shared_task(name="campaign.tasks.jobs_purge")
def jobs_purge() -> int:
    return jobs.jobs_purge()


@shared_task(name="campaign.tasks.uploads_purge")
def uploads_purge() -> int:
    return resumable.uploads_purge()
