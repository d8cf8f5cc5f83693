"""Excel and PDF builders of stage 1: take already-scoped objects, return files."""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO

from django.template.loader import render_to_string
from django.utils import timezone

from campaign import excel


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
                excel.local_time(sc.submitted_at),
                "是" if sc.is_late else "",
                excel.local_time(sc.reviewed_at),
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


def coverage_workbook(rows: list, total, by: str) -> IO[bytes]:
    def line(row) -> list:
        return [
            *excel.place_cells(row.region, by),
            row.expected,
            row.expected_key,
            row.expected_other,
            row.submitted,
            row.counts["filed"],
            row.counts["submitted"],
            row.counts["returned"],
            row.counts["late"],
            row.not_submitted,
        ]

    return excel.write_rows(
        "企业自查覆盖情况",
        [
            "市",
            "县（区）",
            "应自查",
            "其中重点排污单位",
            "其他单位",
            "已提交",
            "已备案",
            "待备案",
            "已退回",
            "逾期提交",
            "未提交",
        ],
        (line(r) for r in [*rows, total]),
        [10, 14, 8, 10, 8, 8, 8, 8, 8, 8, 8],
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


def self_check_pdf(self_check) -> bytes:
    """The filed table in the layout of an official form (A4, CJK font installed by `make`)."""
    from weasyprint import HTML

    html = render_to_string(
        "inspections/self_check_pdf.html", {"sc": self_check, "printed_at": timezone.now()}
    )
    return HTML(string=html).write_pdf()
