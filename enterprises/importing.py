"""Reading and checking an enterprise list from Excel, row by row, before anything is written.

The sheet's first row holds the Chinese headers a bureau's list carries;
columns are found by header, in any order. Every problem is reported with
its row number (as Excel shows it), column header and letter.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.core.exceptions import ValidationError

from campaign import excel
from campaign.excel import Column, RowError, SheetError
from campaign.validators import (
    normalize_credit_code,
    normalize_phone,
    validate_credit_code,
    validate_phone,
)

KEY_TYPE_WORDS = {
    "水": "key_water",
    "废水": "key_water",
    "水环境": "key_water",
    "气": "key_air",
    "废气": "key_air",
    "大气": "key_air",
    "大气环境": "key_air",
    "土壤": "key_soil",
    "土壤环境": "key_soil",
    "噪声": "key_noise",
    "声环境": "key_noise",
    "环境风险": "key_risk",
    "风险": "key_risk",
}


COLUMNS: tuple[Column, ...] = (
    Column("credit_code", "统一社会信用代码", True, "18 位，含校验位", "91410105MA44XXXXXX"),
    Column("name", "单位名称", True, "", "郑州某某化工有限公司"),
    Column("county", "所属区县代码", True, "6 位县级区划代码（GB/T 2260）", "410105"),
    Column("address", "详细地址", True, "", "郑州市金水区某某路 1 号"),
    Column("industry", "行业代码", True, "国民经济行业分类（GB/T 4754-2017）代码", "2614"),
    Column("is_key_unit", "是否重点排污单位", True, "是 / 否", "是"),
    Column("legal_representative", "法定代表人", True, "", "张三"),
    Column("contact_phone", "联系电话", True, "手机或带区号的固定电话", "0371-66309206"),
    Column(
        "key_types",
        "重点排污单位类别",
        False,
        "水、气、土壤、噪声、环境风险，可多选，用顿号分隔",
        "水、气",
    ),
    Column("in_yellow_river_basin", "是否黄河流域", False, "是 / 否", "否"),
    Column("contact_person", "联系人", False, "", "李四"),
    Column("permit_no", "排污许可证编号", False, "", "91410105MA44XXXXXX001P"),
    Column("permit_valid_until", "排污许可证有效期至", False, "日期，如 2023-12-31", "2023-12-31"),
    Column("permit_class", "排污许可管理类别", False, "重点管理 / 简化管理 / 登记管理", "重点管理"),
    Column("has_hazardous_waste", "是否产生危险废物", False, "是 / 否", "是"),
    Column("has_tailings_pond", "是否有尾矿库", False, "是 / 否", "否"),
    Column("has_radiation", "是否使用放射源或射线装置", False, "是 / 否", "否"),
    Column("longitude", "经度", False, "十进制度", "113.6654"),
    Column("latitude", "纬度", False, "十进制度", "34.7579"),
    Column("auto_monitoring_installed", "是否安装自动监控", False, "是 / 否", "是"),
    Column("auto_monitoring_connected", "自动监控是否联网", False, "是 / 否", "是"),
)
PERMIT_CLASSES = {
    "重点管理": "key",
    "重点": "key",
    "简化管理": "simplified",
    "简化": "simplified",
    "登记管理": "registration",
    "登记": "registration",
}
REQUIRED_HEADERS = [c.header for c in COLUMNS if c.required]
_BY_FIELD = {c.field: c for c in COLUMNS}

__all__ = ["COLUMNS", "REQUIRED_HEADERS", "Column", "ParsedRow", "RowError", "SheetError"]


@dataclass
class ParsedRow:
    row: int
    values: dict[str, Any] = field(default_factory=dict)


def open_sheet(file: IO[bytes] | str) -> tuple[Iterator[tuple[Any, ...]], dict[str, int]]:
    return excel.open_sheet(file, COLUMNS)


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = excel.text(value).replace("/", "-").replace(".", "-")
    text = re.sub(r"[年月]", "-", text).replace("日", "")
    try:
        return dt.date.fromisoformat("-".join(p.zfill(2) for p in text.split("-")))
    except ValueError as exc:
        raise ValidationError("日期格式不正确，应如 2023-12-31。") from exc


def _decimal(value: Any, low: int, high: int, header: str) -> Decimal:
    try:
        number = Decimal(excel.text(value))
    except InvalidOperation as exc:
        raise ValidationError(f"{header}应为数字。") from exc
    if not (low <= number <= high):
        raise ValidationError(f"{header}应在 {low} 到 {high} 之间。")
    return number.quantize(Decimal("0.000001"))


def _key_types(value: str) -> set[str]:
    words = [w for w in re.split(r"[、,，/;；\s]+", value) if w]
    fields = set()
    for word in words:
        if word not in KEY_TYPE_WORDS:
            raise ValidationError(
                f"无法识别的重点排污单位类别“{word}”，可填：水、气、土壤、噪声、环境风险。"
            )
        fields.add(KEY_TYPE_WORDS[word])
    return fields


def parse_row(
    row_number: int,
    cells: tuple[Any, ...],
    positions: dict[str, int],
    counties: dict[str, Any],
    industries: dict[str, Any],
) -> tuple[ParsedRow, list[RowError]]:
    """Check one data row; return its values (only the columns present) and its errors."""
    parsed = ParsedRow(row_number)
    errors: list[RowError] = []
    raw_by_field = excel.cells_by_field(cells, positions, COLUMNS)

    def fail(field_name: str, message: str) -> None:
        column = _BY_FIELD[field_name]
        errors.append(
            excel.row_error(row_number, column, positions, raw_by_field.get(field_name), message)
        )

    for column in COLUMNS:
        if column.field not in raw_by_field:
            continue
        raw = raw_by_field[column.field]
        text = excel.text(raw)
        if not text:
            if column.required:
                fail(column.field, f"{column.header}为必填项。")
            continue
        try:
            parsed.values[column.field] = _convert(column, raw, text, counties, industries)
        except ValidationError as exc:
            fail(column.field, " ".join(exc.messages))

    values = parsed.values
    key_types = values.get("key_types")
    if key_types and values.get("is_key_unit") is False:
        fail("key_types", "填写了重点排污单位类别，但“是否重点排污单位”为“否”。")
    if values.get("auto_monitoring_connected") and values.get("auto_monitoring_installed") is False:
        fail("auto_monitoring_connected", "未安装自动监控的单位不能填“已联网”。")
    return parsed, errors


def _convert(column: Column, raw: Any, text: str, counties: dict, industries: dict) -> Any:
    match column.field:
        case "credit_code":
            code = normalize_credit_code(text)
            validate_credit_code(code)
            return code
        case "county":
            county = counties.get(text)
            if county is None:
                raise ValidationError(f"区县代码“{text}”不是本省的县级区划代码。")
            return county
        case "industry":
            industry = industries.get(text)
            if industry is None:
                raise ValidationError(f"行业代码“{text}”不在国民经济行业分类（GB/T 4754-2017）中。")
            return industry
        case "contact_phone":
            phone = normalize_phone(text)
            validate_phone(phone)
            return phone
        case "key_types":
            return _key_types(text)
        case (
            "is_key_unit"
            | "in_yellow_river_basin"
            | "auto_monitoring_installed"
            | "auto_monitoring_connected"
            | "has_hazardous_waste"
            | "has_tailings_pond"
            | "has_radiation"
        ):
            return excel.yes_no(text, column.header)
        case "permit_class":
            if text not in PERMIT_CLASSES:
                raise ValidationError("排污许可管理类别应填“重点管理”“简化管理”或“登记管理”。")
            return PERMIT_CLASSES[text]
        case "permit_valid_until":
            return _date(raw)
        case "longitude":
            return _decimal(raw, -180, 180, column.header)
        case "latitude":
            return _decimal(raw, -90, 90, column.header)
        case "name" | "address" | "legal_representative" | "contact_person" | "permit_no":
            limits = {
                "name": 200,
                "address": 300,
                "legal_representative": 50,
                "contact_person": 50,
                "permit_no": 40,
            }
            if len(text) > limits[column.field]:
                raise ValidationError(f"{column.header}过长（最多 {limits[column.field]} 个字）。")
            return text
    raise AssertionError(column.field)  # every column is handled above


iter_data_rows = excel.iter_data_rows
