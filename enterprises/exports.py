"""Excel builders for the registry: they take already-scoped rows and write a workbook.

Write-only workbooks stream rows to a temporary file, so memory does not
grow with the list; the caller streams the file to the user.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from typing import IO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill

from enterprises.importing import COLUMNS, RowError

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")

ENTERPRISE_HEADERS = [
    "统一社会信用代码",
    "单位名称",
    "所属省辖市",
    "所属区县",
    "所属区县代码",
    "详细地址",
    "行业代码",
    "行业名称",
    "是否重点排污单位",
    "重点排污单位类别",
    "是否黄河流域",
    "排污许可证编号",
    "排污许可证有效期至",
    "是否安装自动监控",
    "自动监控是否联网",
    "法定代表人",
    "联系人",
    "联系电话",
    "经度",
    "纬度",
]


def _yes_no(value: bool) -> str:
    return "是" if value else "否"


def _header_row(sheet, headers: list[str]) -> list[WriteOnlyCell]:
    cells = []
    for text in headers:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cells.append(cell)
    return cells


def write_rows(
    title: str, headers: list[str], rows: Iterable[list], widths: list[int] | None = None
) -> IO[bytes]:
    """Write one sheet to a temporary file and return it, positioned at the start."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    for index, width in enumerate(widths or [], start=1):
        sheet.column_dimensions[_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.append(_header_row(sheet, headers))
    for row in rows:
        sheet.append(row)
    out = tempfile.TemporaryFile()
    workbook.save(out)
    out.seek(0)
    return out


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def enterprises_workbook(enterprises: Iterable) -> IO[bytes]:
    def rows():
        for e in enterprises:
            yield [
                e.credit_code,
                e.name,
                e.city.name,
                e.county.name,
                e.county.code,
                e.address,
                e.industry.code,
                e.industry.name,
                _yes_no(e.is_key_unit),
                "、".join(e.key_type_labels),
                _yes_no(e.in_yellow_river_basin),
                e.permit_no,
                e.permit_valid_until,
                _yes_no(e.auto_monitoring_installed),
                _yes_no(e.auto_monitoring_connected),
                e.legal_representative,
                e.contact_person,
                e.contact_phone,
                float(e.longitude) if e.longitude is not None else None,
                float(e.latitude) if e.latitude is not None else None,
            ]

    widths = [22, 36, 12, 16, 12, 40, 10, 28, 10, 16, 10, 26, 14, 10, 10, 12, 12, 16, 12, 12]
    return write_rows("排污单位", ENTERPRISE_HEADERS, rows(), widths)


def import_template_workbook() -> IO[bytes]:
    """The import template: headers as the list carries them, one example row, and a notes sheet."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "排污单位名单"
    sheet.append([c.header for c in COLUMNS])
    for cell in sheet[1]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
    for index in range(1, len(COLUMNS) + 1):
        sheet.column_dimensions[_letter(index)].width = 20
    notes = workbook.create_sheet("填写说明")
    notes.append(["列名", "是否必填", "说明", "示例"])
    for column in COLUMNS:
        notes.append(
            [column.header, "必填" if column.required else "选填", column.note, column.example]
        )
    notes.append([])
    notes.append(
        [
            "说明",
            "",
            "以统一社会信用代码为准：已登记的单位更新，未登记的新增；选填项留空不会覆盖已有数据。"
            "任何一行有误时整个文件不写入，请按错误清单修改后重新上传。",
        ]
    )
    for letter, width in zip("ABCD", (22, 10, 60, 24), strict=True):
        notes.column_dimensions[letter].width = width
    out = tempfile.TemporaryFile()
    workbook.save(out)
    out.seek(0)
    return out


def import_errors_workbook(errors: Iterable[dict]) -> IO[bytes]:
    rows = ([e["row"], e["column"], e["letter"], e["value"], e["message"]] for e in errors)
    return write_rows(
        "错误清单", ["行号", "列名", "列", "单元格内容", "错误说明"], rows, [8, 20, 6, 30, 70]
    )


__all__ = ["RowError", "enterprises_workbook", "import_errors_workbook", "import_template_workbook"]
