"""Excel builders of the problem ledger and 问题统计: take already-scoped rows, return files."""

from __future__ import annotations

from typing import IO

from campaign import excel

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


def problems_workbook(problems, progress=None) -> IO[bytes]:
    """`problems`: a scoped Problem queryset; written in chunks, memory stays flat. A background
    job passes its `progress` (campaign.jobs.Progress), which counts the rows as they are written."""
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
            excel.local_time(found_at),
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
        ) in _counted(problems.values_list(*PROBLEM_COLUMNS).iterator(chunk_size=2000), progress)
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


def _counted(rows, progress):
    return progress.iterate(rows) if progress is not None else rows


def problem_counts_workbook(rows: list, total, by: str) -> IO[bytes]:
    from inspections.models import Area, Problem

    def line(row) -> list:
        return [
            *excel.place_cells(row.region, by),
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
