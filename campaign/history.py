"""Change history (django-auditlog) of any audited object, for its page and as Excel."""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from typing import IO, Any

from auditlog.models import LogEntry
from django.db.models import Model
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from campaign.excel import safe_cell

ACTION_LABELS = {
    LogEntry.Action.CREATE: "新建",
    LogEntry.Action.UPDATE: "修改",
    LogEntry.Action.DELETE: "删除",
    getattr(LogEntry.Action, "ACCESS", 3): "查看",
}


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class HistoryRow:
    when: Any
    actor: str
    action: str
    changes: list[Change]
    remote_addr: str


def _display(value: Any) -> str:
    if value in (None, "None"):
        return "（空）"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return {"True": "是", "False": "否"}.get(str(value), str(value))


def history_rows(obj: Model) -> list[HistoryRow]:
    """Newest first; field names and values as the user knows them (verbose names, choice labels)."""
    rows = []
    entries = (
        LogEntry.objects.get_for_object(obj).select_related("actor").order_by("-timestamp", "-pk")
    )
    for entry in entries:
        changes = []
        for field, values in (entry.changes_display_dict or {}).items():
            if isinstance(values, dict):  # m2m: {"type": "add", "objects": [...]}
                verb = {"add": "增加", "remove": "移除", "clear": "清空"}.get(
                    values.get("type"), ""
                )
                changes.append(
                    Change(
                        str(field), "", f"{verb}：{'、'.join(map(str, values.get('objects', [])))}"
                    )
                )
            else:
                before, after = [*values, "", ""][:2]
                changes.append(Change(str(field), _display(before), _display(after)))
        actor = entry.actor
        rows.append(
            HistoryRow(
                when=entry.timestamp,
                actor=(getattr(actor, "full_name", "") or getattr(actor, "username", ""))
                if actor
                else "系统",
                action=ACTION_LABELS.get(entry.action, str(entry.action)),
                changes=changes,
                remote_addr=entry.remote_addr or "",
            )
        )
    return rows


def history_workbook(obj: Model) -> IO[bytes]:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("变更记录")
    for letter, width in zip("ABCDEFG", (20, 14, 8, 22, 30, 30, 16), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.append([safe_cell(f"{obj._meta.verbose_name}：{obj}")])
    header = ["时间", "操作人", "操作", "字段", "修改前", "修改后", "来源地址"]
    sheet.append(header)
    for row in history_rows(obj):
        when = timezone.localtime(row.when).strftime("%Y-%m-%d %H:%M:%S")
        if not row.changes:
            sheet.append([when, safe_cell(row.actor), row.action, "", "", "", row.remote_addr])
        for change in row.changes:
            values = [
                when,
                row.actor,
                row.action,
                change.field,
                change.before,
                change.after,
                row.remote_addr,
            ]
            sheet.append([safe_cell(v) for v in values])
    out = tempfile.TemporaryFile()
    workbook.save(out)
    out.seek(0)
    return out


__all__ = ["Font", "HistoryRow", "history_rows", "history_workbook"]
