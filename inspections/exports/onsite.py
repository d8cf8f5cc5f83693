"""Excel and PDF of stage 2."""

from __future__ import annotations

import base64
from collections.abc import Iterable
from typing import IO

from django.template.loader import render_to_string
from django.utils import timezone

from campaign import excel


def inspections_workbook(inspections: Iterable) -> IO[bytes]:
    """One row per problem found (and one for an inspection without problems)."""

    def rows():
        for i in inspections:
            lead = next((m.user.full_name for m in i.members.all() if m.role == "lead"), "")
            base = [
                i.enterprise.name,
                i.city.name,
                i.county.name,
                i.get_source_display(),
                i.planned_on,
                i.get_status_display(),
                excel.local_time(i.submitted_at),
                "是" if i.is_late else "",
                lead,
                i.get_suggestion_display() if i.suggestion else "",
            ]
            problems = list(i.problems.all())
            for p in problems:
                yield [
                    *base,
                    p.item.code,
                    p.item.title,
                    p.get_kind_display(),
                    p.get_severity_display(),
                    p.description,
                ]
            if not problems:
                yield [*base, "", "", "", "", ""]

    return excel.write_rows(
        "现场检查",
        [
            "单位名称",
            "市",
            "县（区）",
            "检查来源",
            "检查日期",
            "状态",
            "提交时间",
            "非当日上传",
            "主办人",
            "初步处理意见",
            "项目编号",
            "检查项目",
            "问题类型",
            "严重程度",
            "问题描述",
        ],
        rows(),
        [30, 10, 12, 10, 12, 12, 16, 8, 10, 12, 8, 30, 12, 8, 40],
    )


def _thumbnail(evidence) -> str | None:
    if not evidence.is_image:
        return None
    with evidence.file.open("rb") as handle:
        return f"data:{evidence.content_type};base64," + base64.b64encode(handle.read()).decode()


def inspection_pdf(inspection) -> bytes:
    """附件3 in official-form layout: items, problems, photo thumbnails, signatures (about a second)."""
    from weasyprint import HTML

    from inspections.models import InspectionMember

    findings = list(inspection.findings.select_related("item").prefetch_related("evidence"))
    photos = [(f.item.code, e, _thumbnail(e)) for f in findings for e in f.evidence.all()]
    html = render_to_string(
        "inspections/inspection_pdf.html",
        {
            "i": inspection,
            "findings": findings,
            "members": inspection.members.select_related("user"),
            "signers": inspection.members.filter(role__in=InspectionMember.SIGNERS).select_related(
                "user"
            ),
            "photos": [p for p in photos if p[2]],
            "printed_at": timezone.now(),
        },
    )
    return HTML(string=html).write_pdf()
