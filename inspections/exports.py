"""Excel and PDF builders of stage 1: take already-scoped objects, return files."""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO

from django.template.loader import render_to_string
from django.utils import timezone

from campaign import excel


def _dt(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def self_checks_workbook(rows: Iterable) -> IO[bytes]:
    def data():
        for sc in rows:
            e = sc.enterprise
            yield [
                e.name,
                e.credit_code,
                sc.city.name,
                sc.county.name,
                "是" if e.is_key_unit else "否",
                sc.get_status_display(),
                _dt(sc.submitted_at),
                "是" if sc.is_late else "",
                _dt(sc.reviewed_at),
                sc.review_comment,
            ]

    return excel.write_rows(
        "自查情况表",
        [
            "单位名称",
            "统一社会信用代码",
            "市",
            "县（区）",
            "重点排污单位",
            "状态",
            "提交时间",
            "逾期",
            "备案/退回时间",
            "审核意见",
        ],
        data(),
        [32, 22, 10, 14, 10, 14, 16, 6, 16, 30],
    )


def self_check_workbook(self_check) -> IO[bytes]:
    e = self_check.enterprise

    def data():
        for a in self_check.answers.all():
            yield [
                a.item.code,
                a.item.get_area_display(),
                a.item.title,
                a.get_result_display() if a.result else "",
                a.problem,
                a.measure,
                a.deadline,
                a.responsible,
                len(a.evidence.all()),
            ]

    return excel.write_rows(
        "自查情况表",
        [
            "编号",
            "检查内容",
            "检查项目",
            "自查结果",
            "存在问题",
            "整改措施",
            "整改时限",
            "责任人",
            "证据数",
        ],
        data(),
        [8, 20, 40, 8, 30, 30, 12, 10, 8],
        caption=f"排污单位自查情况表：{e.name}（{e.credit_code}）  状态：{self_check.get_status_display()}",
    )


def missing_workbook(enterprises: Iterable) -> IO[bytes]:
    rows = (
        [
            e.name,
            e.credit_code,
            e.city.name,
            e.county.name,
            "是" if e.is_key_unit else "否",
            e.contact_person,
            e.contact_phone,
        ]
        for e in enterprises
    )
    return excel.write_rows(
        "未提交自查表单位",
        ["单位名称", "统一社会信用代码", "市", "县（区）", "重点排污单位", "联系人", "联系电话"],
        rows,
        [32, 22, 10, 14, 10, 10, 16],
    )


# the ledger's columns, read as plain values: a quarter of a million rows at province level,
# where building four model objects a row doubled the export's time
PROBLEM_COLUMNS = (
    "enterprise__name",
    "city__name",
    "county__name",
    "item__code",
    "item__title",
    "source",
    "self_found",
    "kind",
    "severity",
    "description",
    "measure",
    "deadline",
    "status",
    "found_at",
)


def problems_workbook(problems) -> IO[bytes]:
    """`problems`: a scoped Problem queryset; written in chunks, memory stays flat."""
    from inspections.models import Problem

    labels = {
        name: dict(Problem._meta.get_field(name).choices)
        for name in ("source", "kind", "severity", "status")
    }
    rows = (
        [
            unit,
            city,
            county,
            code,
            title,
            labels["source"].get(source, source),
            "是" if self_found else "",
            labels["kind"].get(kind, kind),
            labels["severity"].get(severity, severity),
            description,
            measure,
            deadline,
            labels["status"].get(status, status),
            _dt(found_at),
        ]
        for (
            unit,
            city,
            county,
            code,
            title,
            source,
            self_found,
            kind,
            severity,
            description,
            measure,
            deadline,
            status,
            found_at,
        ) in problems.values_list(*PROBLEM_COLUMNS).iterator(chunk_size=2000)
    )
    return excel.write_rows(
        "问题台账",
        [
            "单位名称",
            "市",
            "县（区）",
            "项目编号",
            "检查项目",
            "发现途径",
            "企业自查发现",
            "问题类型",
            "严重程度",
            "问题描述",
            "企业申报的整改措施",
            "企业申报的整改时限",
            "状态",
            "发现时间",
        ],
        rows,
        [30, 10, 12, 8, 30, 10, 8, 12, 8, 40, 30, 12, 8, 16],
    )


def problem_counts_workbook(rows: list, total, by: str) -> IO[bytes]:
    from inspections.models import Area, Problem

    def line(row) -> list:
        if row.region is None:
            place = ["合计", ""]
        elif by == "city":
            place = [row.region.name, ""]
        else:
            place = [row.region.parent.name if row.region.parent else "", row.region.name]
        return [
            *place,
            *row.area_counts,
            row.total,
            *row.status_counts,
            row.self_found,
        ]

    return excel.write_rows(
        "问题统计",
        [
            "市",
            "县（区）",
            *Area.labels,
            "问题合计",
            *[Problem.Status(s).label for s in Problem.COUNTED],
            "其中企业自查发现",
        ],
        (line(r) for r in [*rows, total]),
        [10, 14, *[16] * len(Area.values), 10, *[10] * len(Problem.COUNTED), 14],
    )


def self_check_pdf(self_check) -> bytes:
    """The filed table in the layout of an official form (A4, CJK font installed by `make`)."""
    from weasyprint import HTML

    html = render_to_string(
        "inspections/self_check_pdf.html", {"sc": self_check, "printed_at": timezone.now()}
    )
    return HTML(string=html).write_pdf()
