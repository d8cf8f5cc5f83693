"""Stage 1 and 2's background jobs: the long exports of the ledger, the inspections, the
self-check tables and the units that have not submitted, filtered as the page that started them."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Prefetch

from campaign import access
from campaign.jobs import (
    JobResult,
    Progress,
    export_rows,
    filtered,
    filters_validator,
    job_kind,
    stamped,
)
from campaign.models import Campaign, Job
from campaign.selectors import calendar as calendar_selectors
from inspections import filters
from inspections.exports import ledger as exports_ledger
from inspections.exports import onsite as exports_onsite
from inspections.exports import selfcheck as exports_selfcheck
from inspections.models import Problem
from inspections.selectors import ledger, onsite, selfcheck


def _campaign(job: Job) -> Campaign:
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
    "problems.export",
    "导出问题台账",
    permission="inspections.view_problem",
    validate=filters_validator(filters.ProblemFilter),
)
def problems_export(job: Job, progress: Progress) -> JobResult:
    rows = filtered(filters.ProblemFilter, job, ledger.problem_list(user=job.created_by))
    progress.total(rows.count())
    workbook = exports_ledger.problems_workbook(rows, progress)
    return JobResult(f"已导出 {job.done} 个问题。", file=workbook, filename=stamped("问题台账"))


@job_kind(
    "inspections.export",
    "导出现场检查",
    permission="inspections.view_inspection",
    validate=filters_validator(filters.InspectionFilter),
)
def inspections_export(job: Job, progress: Progress) -> JobResult:
    user = job.created_by
    rows = filtered(
        filters.InspectionFilter, job, onsite.inspection_list(user=user, campaign=_campaign(job))
    ).order_by("planned_on", "pk")
    # the problems listed are those the user may open, as on the page's export
    rows = rows.prefetch_related(
        Prefetch("problems", queryset=access.visible(user, Problem.objects.select_related("item")))
    )
    return export_rows(
        job,
        progress,
        rows,
        exports_onsite.inspections_workbook,
        done="已导出 {n} 次检查。",
        name="现场检查",
    )


@job_kind(
    "self_checks.export",
    "导出企业自查情况表",
    permission="inspections.view_selfcheck",
    validate=filters_validator(filters.SelfCheckFilter),
)
def self_checks_export(job: Job, progress: Progress) -> JobResult:
    rows = filtered(
        filters.SelfCheckFilter,
        job,
        selfcheck.self_check_list(user=job.created_by, campaign=_campaign(job)),
    ).order_by("-enterprise__is_key_unit", "city_id", "county_id", "enterprise__name")
    return export_rows(
        job,
        progress,
        rows,
        exports_selfcheck.self_checks_workbook,
        done="已导出 {n} 份自查表。",
        name="自查情况表",
    )


@job_kind(
    "self_checks.missing_export",
    "导出未提交自查表的单位",
    permission="enterprises.view_enterprise",
    validate=filters_validator(filters.MissingFilter),
)
def missing_export(job: Job, progress: Progress) -> JobResult:
    rows = filtered(
        filters.MissingFilter,
        job,
        selfcheck.enterprises_without_submission(user=job.created_by, campaign=_campaign(job)),
    )
    return export_rows(
        job,
        progress,
        rows,
        exports_selfcheck.missing_workbook,
        done="已导出 {n} 家单位。",
        name="未提交自查表单位",
    )
