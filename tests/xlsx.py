"""Building and reading small Excel files in tests."""

from __future__ import annotations

import io

from openpyxl import Workbook, load_workbook

HEADERS = [
    "统一社会信用代码",
    "单位名称",
    "所属区县代码",
    "详细地址",
    "行业代码",
    "是否重点排污单位",
    "法定代表人",
    "联系电话",
]


def make_xlsx(rows: list[list], headers: list[str] | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers or HEADERS)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def read_xlsx(data: bytes) -> list[tuple]:
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    return [tuple(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]


def response_bytes(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def rows(response) -> list[tuple]:
    """The rows of every sheet of an Excel file answered by a view (streamed or not)."""
    import io

    from openpyxl import load_workbook

    body = b"".join(response.streaming_content) if response.streaming else response.content
    workbook = load_workbook(io.BytesIO(body), read_only=True)
    return [row for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True)]
