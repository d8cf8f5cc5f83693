"""Excel builders for the registry: they take already-scoped rows and write a workbook.

Write-only workbooks stream rows to a temporary file, so memory does not
grow with the list; the caller streams the file to the user.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO

from campaign import excel
from enterprises.importing import COLUMNS

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
    "排污许可管理类别",
    "是否产生危险废物",
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
                e.get_permit_class_display(),
                _yes_no(e.has_hazardous_waste),
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

    widths = [
        22,
        36,
        12,
        16,
        12,
        40,
        10,
        28,
        10,
        16,
        10,
        12,
        10,
        26,
        14,
        10,
        10,
        12,
        12,
        16,
        12,
        12,
    ]
    return excel.write_rows("排污单位", ENTERPRISE_HEADERS, rows(), widths)


def import_template_workbook() -> IO[bytes]:
    return excel.template_workbook(
        "排污单位名单",
        COLUMNS,
        "以统一社会信用代码为准：已登记的单位更新，未登记的新增；选填项留空不会覆盖已有数据。"
        "任何一行有误时整个文件不写入，请按错误清单修改后重新上传。",
    )


import_errors_workbook = excel.errors_workbook
