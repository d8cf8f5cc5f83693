"""The enterprise registry's background jobs: the list's export and the list import."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.urls import reverse

from campaign.jobs import JobResult, Progress, export_rows, filtered, filters_validator, job_kind
from campaign.models import Job, User
from enterprises import exports, selectors, services
from enterprises.filters import EnterpriseFilter
from enterprises.models import EnterpriseImport


@job_kind(
    "enterprises.export",
    "导出排污单位名单",
    permission="enterprises.view_enterprise",
    validate=filters_validator(EnterpriseFilter),
)
def export(job: Job, progress: Progress) -> JobResult:
    rows = filtered(EnterpriseFilter, job, selectors.enterprise_list(user=job.created_by))
    return export_rows(
        job,
        progress,
        rows,
        exports.enterprises_workbook,
        done="已导出 {n} 家单位。",
        name="排污单位名单",
    )


def _import_params(actor: User, params: dict) -> None:
    if params.get("list_kind") not in EnterpriseImport.ListKind.values:
        raise ValidationError(
            {
                "params": "请指定名单类型 list_kind：key_units（重点排污单位名录）或 census（污染源普查清单）。"
            }
        )


@job_kind(
    "enterprises.import",
    "导入排污单位名单",
    permission="enterprises.import_enterprise",
    validate=_import_params,
    needs_file=True,
)
def import_list(job: Job, progress: Progress) -> JobResult:
    with job.input_file.open("rb") as file:
        record = services.enterprise_import(
            actor=job.created_by,
            file=file,
            original_name=job.input_name,
            list_kind=job.params["list_kind"],
            progress=progress,
        )
    url = reverse("enterprises:import-detail", args=[record.pk])
    if record.status == EnterpriseImport.Status.SUCCEEDED:
        return JobResult(
            f"导入成功：新增 {record.created_count} 家，更新 {record.updated_count} 家，"
            f"未变化 {record.unchanged_count} 家。",
            url=url,
        )
    return JobResult(
        f"校验发现 {record.error_count} 处错误，未写入任何数据。请按错误清单修改后重新上传。",
        url=url,
        failed=True,
    )
