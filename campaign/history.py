"""Change history (django-auditlog) of any audited object, for its page and as Excel."""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from typing import IO, Any

from auditlog.models import LogEntry
from django.conf import settings
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


# names of fields that have no Chinese verbose name of their own (auditlog shows the raw name)
FIELD_LABELS = {
    "version": "目录版本",
    "revision": "修订号",
    "created_by": "创建人",
    "updated_by": "修改人",
    "submitted_by": "提交人",
    "reviewed_by": "审核人",
    "created_at": "创建时间",
    "updated_at": "更新时间",
    "campaign": "年度",
    "enterprise": "排污单位",
    "county": "区县",
    "city": "省辖市",
    "primary": "主问题",
    "evidence": "证据",
    "item": "检查项目",
    "user": "人员",
    "uploaded_by": "上传人",
    "published_by": "发布人",
    "reviewed_at": "审核时间",
    "assignment": "任务",
    "inspection": "检查",
    "self_check": "自查表",
    "problem": "问题",
    "complaint": "举报",
    "group": "机构",
    "table": "联络人员表",
    "size": "大小",
}
EMPTY = "（空）"
# bookkeeping every row has: the entry's own time and actor already say it
HIDDEN_FIELDS = {"id", "revision", "created_at", "updated_at"}


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _label(model: type[Model], name: str) -> str:
    try:
        verbose = str(model._meta.get_field(name).verbose_name)
    except Exception:  # a field since removed: its stored name is all there is
        verbose = name
    return verbose if _has_cjk(verbose) else FIELD_LABELS.get(name, verbose)


def _display(value: Any) -> str:
    if value in (None, "None", ""):
        return EMPTY
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    text = {"True": "是", "False": "否"}.get(str(value), str(value))
    if text.startswith("data:image/"):
        return "（已签名）"  # the drawn signature, not its base64 text
    return text


def _readable(model: type[Model], name: str, before: Any, after: Any) -> Change | None:
    """One field's change as a user reads it, or None when there is nothing to read: no change,
    empty on both sides, a relation's internal repr, or the kept original (it has its own page)."""
    try:
        field = model._meta.get_field(name)
    except Exception:
        field = None
    if field is not None and field.get_internal_type() == "JSONField":
        if before in (None, "None", "null", "") and after not in (None, "None", "null", ""):
            return Change(_label(model, name), "", "（已保存，可在页面查看）")
        return None
    if any(isinstance(v, str) and v.endswith(".None") and "." in v[:-5] for v in (before, after)):
        return None
    shown_before, shown_after = _display(before), _display(after)
    if shown_before == shown_after:
        return None
    return Change(_label(model, name), "" if shown_before == EMPTY else shown_before, shown_after)


def history_rows(obj: Model) -> list[HistoryRow]:
    """Newest first; field names and values as the user knows them (Chinese names, choice labels,
    people by name, 是/否), without what is no user's business (no-op changes, internal reprs,
    signature images as text, the kept original as JSON)."""
    rows = []
    model = type(obj)
    entries = (
        LogEntry.objects.get_for_object(obj)
        .select_related("actor", "content_type")
        .order_by("-timestamp", "-pk")
    )
    for entry in entries:
        changes = []
        display = entry.changes_display_dict or {}
        for name, values in (entry.changes_dict or {}).items():
            if name in HIDDEN_FIELDS:
                continue
            try:
                key = str(model._meta.get_field(name).verbose_name)
            except Exception:
                key = name
            shown = display.get(key, values)
            if isinstance(values, dict) or isinstance(shown, dict):  # m2m: {"type", "objects"}
                raw = values if isinstance(values, dict) else {}
                kind = raw.get("operation") or raw.get("type")
                verb = {"add": "增加", "remove": "移除", "clear": "清空"}.get(kind, "变更")
                objects = [str(o) for o in raw.get("objects", [])]
                changes.append(Change(_label(model, name), "", f"{verb}：{'、'.join(objects)}"))
                continue
            before, after = [*shown, None, None][:2]
            change = _readable(model, name, before, after)
            if change is not None:
                changes.append(change)
        if entry.action == LogEntry.Action.UPDATE and not changes:
            continue  # a save that changed nothing a user would see
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


def log_bulk(
    action: int, pairs: list[tuple[Model | None, Model]], fields: set[str] | None = None
) -> None:
    """Audit rows for objects written in bulk (bulk_create/bulk_update send no signals).

    Each row is what django-auditlog writes for a single save: the same diff, and the actor and
    address of the surrounding `set_actor` context (applied through LogEntry's pre_save signal,
    as auditlog does). `pairs` holds (before, after); before is None for new objects; `fields`
    narrows the comparison to the fields written, as auditlog does for save(update_fields=...).
    """
    from auditlog.cid import get_cid
    from auditlog.diff import model_instance_diff
    from django.contrib.contenttypes.models import ContentType
    from django.db.models.signals import pre_save

    if not pairs:
        return
    content_type = ContentType.objects.get_for_model(type(pairs[0][1]))
    now, cid = timezone.now(), get_cid()
    entries = []
    created = _created_diff(type(pairs[0][1])) if action == LogEntry.Action.CREATE else None
    for before, after in pairs:
        if created is not None and before is None:
            changes = created(after)
        else:
            changes = model_instance_diff(before, after, fields_to_check=fields)
        if not changes and action != LogEntry.Action.CREATE:
            continue
        entry = LogEntry(
            content_type=content_type,
            object_pk=str(after.pk),
            object_id=after.pk,
            object_repr=str(after),
            serialized_data=LogEntry.objects._get_serialized_data_or_none(after),
            action=action,
            changes=changes,
            cid=cid,
            timestamp=now,
        )
        pre_save.send(sender=LogEntry, instance=entry, raw=False, using=None, update_fields=None)
        entries.append(entry)
    LogEntry.objects.bulk_create(entries, batch_size=1000)


def _created_diff(model):
    """auditlog's model_instance_diff(None, obj) with the per-model work done once.

    For a new object auditlog compares each tracked field's value with that of no object
    ("None"); the field list is the same for every object of a model, so it is worked out once
    here (it was a third of an import's time). Values come from auditlog's own get_field_value;
    a test holds the result equal to model_instance_diff's.
    """
    from auditlog.diff import get_field_value, model_instance_diff, track_field
    from auditlog.registry import auditlog
    from django.utils.encoding import smart_str

    options = auditlog.get_model_fields(model)
    if options["mask_fields"] or getattr(settings, "AUDITLOG_STORE_JSON_CHANGES", False):
        return lambda obj: model_instance_diff(None, obj)
    fields = [f for f in model._meta.get_fields() if track_field(f)]
    if options["include_fields"]:
        fields = [f for f in fields if f.name in options["include_fields"]]
    fields = [f for f in fields if f.name not in options["exclude_fields"]]
    nothing = smart_str(None)

    def diff(obj) -> dict:
        changes = {}
        for field in fields:
            value = get_field_value(obj, field)
            if value != nothing:
                changes[field.name] = (nothing, smart_str(value))
        return changes

    return diff


def audit_actor(user: Any) -> None:
    """Name `user` as the author of this request's audited changes.

    django-auditlog's middleware reads the user when the request starts; an API call signed with
    a token is authenticated later, inside DRF, so its writes would show "系统" as author.
    """
    from auditlog.context import auditlog_value

    try:
        context = auditlog_value.get()
    except LookupError:  # outside a request: services name their actor with set_actor
        return
    if context.get("actor") is None:
        context["actor"] = user
