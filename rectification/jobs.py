"""Stage 4's background jobs: 登记造册 of a whole county or city (thousands of units for a city),
and the long 整改台账 export, filtered as the page that started it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.urls import reverse

from campaign.jobs import JobResult, Progress, filtered, filters_validator, job_kind, stamped
from campaign.models import Campaign, Job
from campaign.selectors import calendar as calendar_selectors
from rectification import exports, filters
from rectification.selectors import plan as selectors
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


def _campaign(job: Job) -> Campaign | None:
    """The campaign the page showed when the job was started (the current one by default)."""
    pk = job.params.get("campaign_id")
    if not pk:
        return calendar_selectors.campaign_current()
    pk = str(pk[0] if isinstance(pk, list) else pk)
    campaign = Campaign.objects.filter(pk=pk).first() if pk.isdigit() else None
    if campaign is None:
        raise ValidationError("该年度的执法行动不存在，无法导出。")
    return campaign


@job_kind(
    "rectification.items.export",
    "导出整改台账",
    permission="rectification.view_rectificationplan",
    validate=filters_validator(filters.ItemFilter),
)
def items_export(job: Job, progress: Progress) -> JobResult:
    """The 整改台账 as the page filtered it, read under the asker's reach."""
    user = job.created_by
    rows = filtered(filters.ItemFilter, job, selectors.items(user=user, campaign=_campaign(job)))
    progress.total(rows.count())
    workbook = exports.items_workbook(
        selectors.items_for_export(user=user, queryset=rows), progress
    )
    return JobResult(f"已导出 {job.done} 项整改事项。", file=workbook, filename=stamped("整改台账"))
