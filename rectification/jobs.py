"""Stage 4's background jobs: 登记造册 of a whole county or city (thousands of units for a city)."""

from __future__ import annotations

from django.urls import reverse

from campaign.jobs import JobResult, Progress, job_kind
from campaign.models import Job
from rectification.services import plan as services


def _may_build_region(actor, params: dict) -> None:
    services.own_region(actor)  # a county or city bureau, refused at once otherwise


@job_kind(
    "rectification.plans.build",
    "一键登记造册",
    permission="rectification.handle_rectification",
    validate=_may_build_region,
)
def plans_build(job: Job, progress: Progress) -> JobResult:
    """登记造册 of the bureau's whole county or city, unit by unit (each in its own transaction:
    a unit refused leaves the others built, and a job cut off is resumed by building again)."""
    made = services.plans_build_mine(actor=job.created_by, progress=progress)
    message = f"已登记造册：新建方案 {made['plans']} 个，新增整改事项 {made['items']} 项。"
    if made["skipped"]:
        message += (
            f"另有 {len(made['skipped'])} 家单位已迁出本辖区，请由其现属地登记："
            + "、".join(made["skipped"][:5])
        )
    return JobResult(message, url=reverse("rectification:plans"))
