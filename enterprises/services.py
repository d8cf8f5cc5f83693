"""Writes to the enterprise registry: one service per change, each in one transaction."""

from __future__ import annotations

import copy
import pickle
import tempfile
from collections.abc import Iterable
from typing import IO, Any

from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from openpyxl.utils import get_column_letter

from campaign import access, history
from campaign.jobs import Progress
from campaign.models import Industry, Region, User
from enterprises import importing
from enterprises.models import Enterprise, EnterpriseImport

# stored errors per import; the count is always complete
MAX_STORED_ERRORS = 5000
BATCH = 500
# keys the import resolves from codes itself (counties and industries read once per import)
RESOLVED = ("county", "city", "industry")


def _check_target(actor: User, county: Region) -> None:
    if not access.region_in_reach(actor, county):
        raise ValidationError({"county": f"“{county.name}”不在您的管辖范围内。"})


def _apply(enterprise: Enterprise, values: dict[str, Any]) -> list[str]:
    """Set the given values; return the names of the fields that really changed."""
    changed = []
    for name, value in values.items():
        field = Enterprise._meta.get_field(name)
        if field.is_relation:  # compare keys: no query, and no error on a new row
            current = getattr(enterprise, field.attname)
            new = value.pk if value is not None else None
        else:
            current, new = getattr(enterprise, name), value
        if enterprise._state.adding or current != new:
            setattr(enterprise, name, value)
            changed.append(name)
    if "county" in changed:
        enterprise.city_id = values["county"].parent_id
        changed.append("city")
    return changed


@transaction.atomic
def enterprise_create(*, actor: User, values: dict[str, Any]) -> Enterprise:
    if not actor.has_perm("enterprises.add_enterprise"):
        raise PermissionDenied("您没有新增排污单位的权限。")
    _check_target(actor, values["county"])
    enterprise = Enterprise()
    _apply(enterprise, values)
    enterprise.full_clean()
    enterprise.save()
    return enterprise


@transaction.atomic
def enterprise_update(*, actor: User, enterprise: Enterprise, values: dict[str, Any]) -> Enterprise:
    """Change registry data; a move to another county is checked against the target's scope."""
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    if not access.may(actor, "change", enterprise):
        raise PermissionDenied("您没有修改该排污单位的权限。")
    if "county" in values and values["county"] != enterprise.county:
        _check_target(actor, values["county"])
    changed = _apply(enterprise, values)
    if changed:
        enterprise.full_clean()
        enterprise.save(update_fields=[*set(changed), "updated_at"])
    return enterprise


def enterprise_set_users(*, actor: User, enterprise: Enterprise, users: Iterable[User]) -> None:
    if not access.may(actor, "change", enterprise):
        raise PermissionDenied("您没有修改该排污单位的权限。")
    wanted = list(users)
    if any(u.role != User.Role.ENTERPRISE for u in wanted):
        raise ValidationError("只能关联企业用户账号。")
    enterprise.users.set(wanted)


# --- import ------------------------------------------------------------------------------


def _row_values(parsed: importing.ParsedRow, list_kind: str) -> dict[str, Any]:
    values = dict(parsed.values)
    key_types = values.pop("key_types", None)
    if key_types is not None:
        for field, _label in Enterprise.KEY_TYPES:
            values[field] = field in key_types
    elif values.get("is_key_unit") is False:
        for field, _label in Enterprise.KEY_TYPES:
            values[field] = False
    if list_kind == EnterpriseImport.ListKind.CENSUS:
        values["in_census"] = True
    return values


def _letter(positions: dict[str, int], header: str) -> str:
    return get_column_letter(positions[header] + 1)


def _validate_file(
    *,
    actor: User,
    file: IO[bytes],
    counties: dict[str, Region],
    industries: dict[str, Industry],
    spool: IO[bytes],
    progress: Progress | None = None,
) -> tuple[int, list[importing.RowError], int]:
    """First pass: check every row, keep nothing but the errors (memory stays flat).

    Each row's checked values go to `spool` as they are read, so the write pass reads them back
    from there instead of reading and checking the Excel file a second time.
    """
    rows, positions = importing.open_sheet(file)
    errors: list[importing.RowError] = []
    error_count = 0
    seen: dict[str, int] = {}
    pending_codes: dict[str, int] = {}
    total = 0

    def add(error: importing.RowError) -> None:
        nonlocal error_count
        error_count += 1
        if len(errors) < MAX_STORED_ERRORS:
            errors.append(error)

    def check_existing(batch: dict[str, int]) -> None:
        # a credit code already registered outside the actor's scope cannot be taken over
        existing = Enterprise.objects.filter(credit_code__in=batch).select_related("county")
        for enterprise in existing:
            if not access.region_in_reach(actor, enterprise.county):
                add(
                    importing.RowError(
                        batch[enterprise.credit_code],
                        "统一社会信用代码",
                        _letter(positions, "统一社会信用代码"),
                        enterprise.credit_code,
                        "该单位已由其他地区登记，不在您的管辖范围内，不能修改。",
                    )
                )

    for row_number, cells in importing.iter_data_rows(rows):
        total += 1
        if progress is not None and total % 200 == 0:
            progress.advance(total)
        parsed, row_errors = importing.parse_row(row_number, cells, positions, counties, industries)
        # counties and industries travel as their codes (model instances pickle slowly)
        portable = {k: getattr(v, "code", v) for k, v in parsed.values.items()}
        pickle.dump((row_number, portable), spool)
        for error in row_errors:
            add(error)
        code = parsed.values.get("credit_code")
        county = parsed.values.get("county")
        if county is not None and not access.region_in_reach(actor, county):
            add(
                importing.RowError(
                    row_number,
                    "所属区县代码",
                    _letter(positions, "所属区县代码"),
                    county.code,
                    f"“{county.name}”不在您的管辖范围内。",
                )
            )
        if code:
            if code in seen:
                add(
                    importing.RowError(
                        row_number,
                        "统一社会信用代码",
                        _letter(positions, "统一社会信用代码"),
                        code,
                        f"与第 {seen[code]} 行的统一社会信用代码重复。",
                    )
                )
            else:
                seen[code] = row_number
                pending_codes[code] = row_number
        if len(pending_codes) >= BATCH:
            check_existing(pending_codes)
            pending_codes = {}
    if pending_codes:
        check_existing(pending_codes)
    if total == 0:
        add(importing.RowError(2, "", "", "", "表格中没有数据行。"))
    if progress is not None:  # now the rows are known: each is checked, then written
        progress.total(2 * total)
        progress.advance(total, force=True)
    return total, errors, error_count


class _RowRefused(Exception):
    """A row that passed the sheet checks but not the registry's own rules once merged with what is stored."""

    def __init__(self, error: importing.RowError):
        super().__init__(error.message)
        self.error = error


def _spooled_rows(spool: IO[bytes], counties: dict, industries: dict):
    """The rows the check pass spooled, with their counties and industries looked up again."""
    spool.seek(0)
    while True:
        try:
            row_number, values = pickle.load(spool)
        except EOFError:
            return
        if "county" in values:
            values["county"] = counties[values["county"]]
        if "industry" in values:
            values["industry"] = industries[values["industry"]]
        yield importing.ParsedRow(row_number, values)


def _write_file(
    *,
    actor: User,
    spool: IO[bytes],
    list_kind: str,
    counties,
    industries,
    progress: Progress | None = None,
    checked: int = 0,
) -> tuple[int, int, int]:
    """Second pass, inside the caller's transaction: upsert by credit code, batch by batch.

    Each row is checked again against the registry rules merged with the stored values, and the
    scope is checked again on what is stored now (another import may have run meanwhile).
    """
    created = updated = unchanged = 0
    batch: list[importing.ParsedRow] = []

    def flush() -> None:
        nonlocal created, updated, unchanged
        codes = [p.values["credit_code"] for p in batch]
        # locked until the import commits: no edit made meanwhile is overwritten by the batch's
        # UPDATE (which sets every field any row of the batch changed); counties for the scope check
        locked = Enterprise.objects.select_for_update(of=("self",)).select_related("county")
        existing = {e.credit_code: e for e in locked.filter(credit_code__in=codes)}
        new: list[Enterprise] = []
        changes: list[tuple[Enterprise, Enterprise]] = []
        changed_fields: set[str] = set()
        for parsed in batch:
            values = _row_values(parsed, list_kind)
            enterprise = existing.get(values["credit_code"])
            is_new = enterprise is None
            if not is_new and not access.region_in_reach(actor, enterprise.county):
                raise _RowRefused(
                    importing.RowError(
                        parsed.row,
                        "统一社会信用代码",
                        "",
                        values["credit_code"],
                        "该单位已由其他地区登记，不在您的管辖范围内，不能修改。",
                    )
                )
            before = None if is_new else copy.copy(enterprise)
            enterprise = enterprise or Enterprise()
            changed = _apply(enterprise, values)
            if not changed and not is_new:
                unchanged += 1
                continue
            try:
                if is_new:
                    # every field of a new row was checked by parse_row with the same validators;
                    # the model's own rules (and the county's city) are in clean()
                    enterprise.clean()
                else:
                    # stored and new values merged: check them all again. The check constraints
                    # repeat clean()'s rules in SQL, and the keys were resolved from the sheet's
                    # codes: checking either here would cost queries on every row
                    enterprise.full_clean(
                        exclude=[*RESOLVED, "credit_code"],
                        validate_unique=False,
                        validate_constraints=False,
                    )
            except ValidationError as exc:
                messages = "；".join(m for ms in exc.message_dict.values() for m in ms)
                raise _RowRefused(importing.RowError(parsed.row, "", "", "", messages)) from exc
            if is_new:
                new.append(enterprise)
            else:
                changes.append((before, enterprise))
                changed_fields.update(changed)
        # one INSERT and one UPDATE per batch instead of a statement per row; the audit rows
        # are what a save per row would have written (bulk writes send no signals)
        if new:
            Enterprise.objects.bulk_create(new)
            history.log_bulk(LogEntry.Action.CREATE, [(None, e) for e in new])
            created += len(new)
        if changes:
            now = timezone.now()
            for _before, enterprise in changes:
                enterprise.updated_at = now
            Enterprise.objects.bulk_update(
                [e for _b, e in changes], [*sorted(changed_fields), "updated_at"]
            )
            history.log_bulk(LogEntry.Action.UPDATE, changes, fields=changed_fields)
            updated += len(changes)
        batch.clear()
        if progress is not None:
            progress.advance(checked + created + updated + unchanged)

    for parsed in _spooled_rows(spool, counties, industries):
        batch.append(parsed)
        if len(batch) >= BATCH:
            flush()
    if batch:
        flush()
    return created, updated, unchanged


def enterprise_import(
    *,
    actor: User,
    file: UploadedFile | IO[bytes],
    original_name: str,
    list_kind: str,
    progress: Progress | None = None,
) -> EnterpriseImport:
    """Import an enterprise list: all rows are checked first; one bad row and nothing is written.

    Re-importing the same file changes nothing (upsert by credit code, and
    a row equal to what is stored is left alone). Blank optional cells
    never erase what is already known. A background job passes its `progress`: each row counts
    twice, once checked and once written.
    """
    if not actor.has_perm("enterprises.import_enterprise"):
        raise PermissionDenied("您没有导入排污单位名单的权限。")
    with tempfile.TemporaryFile() as spool:
        return _import(actor, file, original_name, list_kind, spool, progress)


def _import(
    actor, file, original_name: str, list_kind: str, spool: IO[bytes], progress: Progress | None
) -> EnterpriseImport:
    counties = {
        r.code: r for r in Region.objects.filter(level=Region.Level.COUNTY).select_related("parent")
    }
    industries = {i.code: i for i in Industry.objects.all()}
    record = EnterpriseImport(list_kind=list_kind, original_name=original_name, created_by=actor)
    try:
        total, errors, error_count = _validate_file(
            actor=actor,
            file=file,
            counties=counties,
            industries=industries,
            spool=spool,
            progress=progress,
        )
    except importing.SheetError as exc:
        total, errors, error_count = 0, [importing.RowError(1, "", "", "", str(exc))], 1
    record.rows_total = total
    file.seek(0)
    with set_actor(actor):
        if error_count:
            record.status = EnterpriseImport.Status.FAILED
            record.errors = [e.as_dict() for e in errors]
            record.error_count = error_count
            record.file.save(original_name, file, save=False)
            record.save()
            return record
        try:
            with transaction.atomic():
                created, updated, unchanged = _write_file(
                    actor=actor,
                    spool=spool,
                    list_kind=list_kind,
                    counties=counties,
                    industries=industries,
                    progress=progress,
                    checked=total,
                )
                record.status = EnterpriseImport.Status.SUCCEEDED
                record.created_count, record.updated_count, record.unchanged_count = (
                    created,
                    updated,
                    unchanged,
                )
                file.seek(0)
                record.file.save(original_name, file, save=False)
                record.save()
        except (_RowRefused, IntegrityError) as exc:
            # everything written in the pass is rolled back; the user gets the row, not a server error
            error = (
                exc.error
                if isinstance(exc, _RowRefused)
                else importing.RowError(
                    0,
                    "",
                    "",
                    "",
                    "写入时与已登记数据冲突（可能有人同时导入了同一单位），未写入任何数据，请重新导入。",
                )
            )
            record = EnterpriseImport(
                list_kind=list_kind,
                original_name=original_name,
                created_by=actor,
                rows_total=total,
                status=EnterpriseImport.Status.FAILED,
                errors=[error.as_dict()],
                error_count=1,
            )
            file.seek(0)
            record.file.save(original_name, file, save=False)
            record.save()
    return record
