"""Excel helpers shared by every import and export: reading a sheet by its Chinese headers,
row errors that name row, column and letter, and streaming write-only workbooks."""

from __future__ import annotations

import re
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from typing import IO, Any

from django.conf import settings
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import column_index_from_string, get_column_letter

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
YES = {"是", "Y", "y", "yes", "YES", "1", "√", "TRUE", "True", "true"}
NO = {"否", "N", "n", "no", "NO", "0", "×", "FALSE", "False", "false"}


@dataclass(frozen=True)
class Column:
    field: str
    header: str
    required: bool = False
    note: str = ""
    example: str = ""


@dataclass
class RowError:
    row: int
    column: str
    letter: str
    value: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula is written as plain text (CSV/formula injection):
    names, addresses and complaints come from people outside the office."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SheetError(Exception):
    """The file cannot be read as the expected list at all."""


def clean_header(value: Any) -> str:
    return re.sub(r"[\s*＊（(]*必填[）)]*|[\s*＊]", "", str(value or ""))


def text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def yes_no(value: str, header: str) -> bool:
    from django.core.exceptions import ValidationError

    if value in YES:
        return True
    if value in NO:
        return False
    raise ValidationError(f"{header}应填“是”或“否”。")


def open_sheet(
    file: IO[bytes] | str, columns: Iterable[Column]
) -> tuple[Iterator[tuple[Any, ...]], dict[str, int]]:
    """Open the first sheet; return the data rows and the column index of each known header."""
    columns = list(columns)
    sheet = _first_sheet(file)
    _check_declared_size(sheet.max_row, sheet.max_column)
    rows = _bounded(sheet.iter_rows(values_only=True, max_col=settings.MAX_IMPORT_COLUMNS))
    header = next(rows, None)
    if header is None:
        raise SheetError("表格为空：第 1 行应为表头。")
    known = {c.header for c in columns}
    positions: dict[str, int] = {}
    for index, cell in enumerate(header):
        name = clean_header(cell)
        if name in known and name not in positions:
            positions[name] = index
    missing = [c.header for c in columns if c.required and c.header not in positions]
    if missing:
        raise SheetError("第 1 行缺少必填列：" + "、".join(missing) + "。请使用导入模板。")
    return rows, positions


def _first_sheet(file: IO[bytes] | str):
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
        return workbook.worksheets[0]
    except Exception as exc:  # openpyxl raises many kinds for a non-xlsx file
        raise SheetError("无法读取该文件：请上传 Excel 2007 及以上格式（.xlsx）的文件。") from exc


def declared_rows(file: IO[bytes]) -> int | None:
    """The number of data rows the first sheet holds: its declared dimension, or where it declares
    none, its <row> elements counted (no further than IMPORT_JOB_ROWS + 1: enough to choose the
    request or a job). Raises SheetError for a file
    that is not a workbook or exceeds the limits. Read from the sheet's XML, not through openpyxl
    (which reads every shared string first: seconds for a large list). None when the sheet cannot
    be found this way (openpyxl then reads it, bounded by `_bounded`). The file is left at its
    start."""
    try:
        with zipfile.ZipFile(file) as archive:
            size = _dimension(archive)
    except zipfile.BadZipFile as exc:
        raise SheetError("无法读取该文件：请上传 Excel 2007 及以上格式（.xlsx）的文件。") from exc
    except Exception as exc:  # a damaged or unusual archive (bad deflate stream, encryption, …)
        raise SheetError("无法读取该文件：文件可能已损坏，请重新保存为 .xlsx 后上传。") from exc
    finally:
        file.seek(0)
    if size is None:
        return None
    _check_declared_size(*size)
    return max(size[0] - 1, 0)


SHEET_ID = re.compile(rb"<(?:\w+:)?sheet\b[^>]*?\s(?:\w+:)?id=\"([^\"]+)\"")
DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=[\"'](?:[A-Z]+\d+:)?([A-Z]+)(\d+)[\"']")
SMALL_PART = 1024 * 1024  # the workbook and its relations are a few KB; more is not a real file


def _read_capped(archive: zipfile.ZipFile, name: str) -> bytes:
    with archive.open(name) as stream:
        data = stream.read(SMALL_PART + 1)
    if len(data) > SMALL_PART:
        raise ValueError(f"{name} too large")
    return data


def _dimension(archive: zipfile.ZipFile) -> tuple[int, int | None] | None:
    """(last row, last column) of the first sheet, or None if the sheet cannot be located."""
    sheet_id = SHEET_ID.search(_read_capped(archive, "xl/workbook.xml"))
    if sheet_id is None:
        return None
    target = re.search(
        rb"<(?:\w+:)?Relationship\b(?=[^>]*\bId=\"" + re.escape(sheet_id.group(1)) + rb"\")"
        rb"[^>]*\bTarget=\"([^\"]+)\"",
        _read_capped(archive, "xl/_rels/workbook.xml.rels"),
    )
    if target is None:
        return None
    path = target.group(1).decode()
    path = path.lstrip("/") if path.startswith("/") else "xl/" + path
    with archive.open(path) as stream:
        head = stream.read(4096)  # the dimension comes before the rows
        found = DIMENSION.search(head)
        if found is not None:
            return int(found.group(2)), column_index_from_string(found.group(1).decode())
        # no dimension: count the rows themselves, streaming, only as far as deciding whether a
        # job imports the file needs (the reading itself stops at MAX_IMPORT_ROWS, `_bounded`)
        limit, rows, tail, chunk = settings.IMPORT_JOB_ROWS + 2, 0, b"", head
        while chunk and rows <= limit:
            data = tail + chunk
            rows += len(re.findall(rb"<(?:\w+:)?row\b", data)) - len(
                re.findall(rb"<(?:\w+:)?row\b", tail)
            )
            tail, chunk = data[-16:], stream.read(1024 * 1024)
        return rows, None


def _check_declared_size(last_row: int | None, last_column: int | None) -> None:
    # openpyxl pads a sheet to the size it declares: a small file declaring two million rows
    # would keep a worker busy for minutes reading blank rows, so the declaration is checked first
    limit_rows, limit_columns = settings.MAX_IMPORT_ROWS, settings.MAX_IMPORT_COLUMNS
    rows, columns = (last_row or 1) - 1, last_column or 0
    if rows > limit_rows or columns > limit_columns:
        raise SheetError(
            f"表格的范围为 {rows} 行数据、{columns} 列，超过导入上限（{limit_rows} 行数据、"
            f"{limit_columns} 列）。请删除表格末尾多余的空行和空列，或拆分为几个文件分别导入。"
        )


def _bounded(rows: Iterator[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
    """The rows, refusing the file once it holds more than the limit (blank rows count: a sheet
    that declares nothing is still read no further than the limit)."""
    limit = settings.MAX_IMPORT_ROWS + 1  # and the header row
    for index, cells in enumerate(rows, start=1):
        if index > limit:
            raise SheetError(
                f"表格超过 {settings.MAX_IMPORT_ROWS} 行数据（含空行），超过导入上限。"
                "请删除多余的空行，或拆分为几个文件分别导入。"
            )
        yield cells


def iter_data_rows(rows: Iterator[tuple[Any, ...]]) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """Data rows with their Excel row numbers, skipping rows that are wholly blank."""
    for offset, cells in enumerate(rows):
        if cells is None or all(text(c) == "" for c in cells):
            continue
        yield offset + 2, cells


def cells_by_field(
    cells: tuple[Any, ...], positions: dict[str, int], columns: Iterable[Column]
) -> dict[str, Any]:
    by_header = {c.header: c for c in columns}
    return {
        by_header[h].field: (cells[i] if i < len(cells) else None) for h, i in positions.items()
    }


def row_error(
    row: int, column: Column, positions: dict[str, int], value: Any, message: str
) -> RowError:
    letter = get_column_letter(positions[column.header] + 1) if column.header in positions else ""
    return RowError(row, column.header, letter, text(value), message)


def _header_cells(sheet, headers: list[str]) -> list[WriteOnlyCell]:
    cells = []
    for label in headers:
        cell = WriteOnlyCell(sheet, value=label)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cells.append(cell)
    return cells


def write_rows(
    title: str,
    headers: list[str],
    rows: Iterable[list],
    widths: list[int] | None = None,
    caption: str | None = None,
) -> IO[bytes]:
    """Write one sheet to a temporary file and return it, positioned at the start.

    Rows stream into a write-only workbook, so memory does not grow with the list.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    for index, width in enumerate(widths or [], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    if caption:
        title_cell = WriteOnlyCell(sheet, value=caption)
        title_cell.font = Font(bold=True, size=14)
        sheet.append([title_cell])
    else:
        sheet.freeze_panes = "A2"
    sheet.append(_header_cells(sheet, headers))
    for row in rows:
        sheet.append([safe_cell(value) for value in row])
    out = tempfile.TemporaryFile()
    workbook.save(out)
    out.seek(0)
    return out


def template_workbook(sheet_title: str, columns: Iterable[Column], footnote: str) -> IO[bytes]:
    """An import template: headers as the list carries them, and a sheet explaining each column."""
    columns = list(columns)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    sheet.append([c.header for c in columns])
    for cell in sheet[1]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
    for index in range(1, len(columns) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 20
    notes = workbook.create_sheet("填写说明")
    notes.append(["列名", "是否必填", "说明", "示例"])
    for column in columns:
        notes.append(
            [column.header, "必填" if column.required else "选填", column.note, column.example]
        )
    notes.append([])
    notes.append(["说明", "", footnote])
    for letter, width in zip("ABCD", (22, 10, 60, 24), strict=True):
        notes.column_dimensions[letter].width = width
    out = tempfile.TemporaryFile()
    workbook.save(out)
    out.seek(0)
    return out


def errors_workbook(errors: Iterable[dict]) -> IO[bytes]:
    rows = ([e["row"], e["column"], e["letter"], e["value"], e["message"]] for e in errors)
    return write_rows(
        "错误清单", ["行号", "列名", "列", "单元格内容", "错误说明"], rows, [8, 20, 6, 30, 70]
    )


def place_cells(region, by: str) -> list[str]:
    """The 市 and 县（区） cells of a figure's row: the city alone when counted by city, and 合计
    on the total row (no region)."""
    if region is None:
        return ["合计", ""]
    if by == "city":
        return [region.name, ""]
    return [region.parent.name if region.parent else "", region.name]


def local_time(value) -> str:
    """A moment as a cell shows it: Beijing time to the minute, empty when there is none."""
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""
