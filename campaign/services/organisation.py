"""Writes to the organisation of a campaign: roster, pools (with Excel import), city liaisons."""

from __future__ import annotations

from typing import IO, Any

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from campaign import excel
from campaign.models import (
    Campaign,
    LiaisonPerson,
    LiaisonTable,
    PoolImport,
    PoolMembership,
    Region,
    RosterGroup,
    RosterMember,
    User,
)

Pool = PoolMembership.Pool
INSPECTOR_ROLES = {User.Role.PROVINCE, User.Role.CITY, User.Role.COUNTY}


def _require_manager(actor: User) -> None:
    if not actor.has_perm("campaign.manage_platform"):
        raise PermissionDenied("只有系统管理员可以维护组织机构和人员库。")


# --- roster ---------------------------------------------------------------------------------


@transaction.atomic
def roster_group_update(*, actor: User, group: RosterGroup, duties: str) -> RosterGroup:
    _require_manager(actor)
    group.duties = duties.strip()
    group.save(update_fields=["duties"])
    return group


@transaction.atomic
def roster_member_add(*, actor: User, group: RosterGroup, values: dict[str, Any]) -> RosterMember:
    _require_manager(actor)
    if values.get("position") in (
        RosterMember.Position.LEADER,
        RosterMember.Position.HEAD,
        RosterMember.Position.DIRECTOR,
    ):
        taken = group.members.filter(position=values["position"]).first()
        if taken:
            raise ValidationError(
                {"position": f"{group.name}已有{taken.get_position_display()}：{taken.name}。"}
            )
    last = group.members.order_by("-order").values_list("order", flat=True).first() or 0
    member = RosterMember(group=group, order=last + 1, **values)
    member.full_clean()
    member.save()
    return member


@transaction.atomic
def roster_member_remove(*, actor: User, member: RosterMember) -> None:
    _require_manager(actor)
    member.delete()


# --- pools ------------------------------------------------------------------------------------


def _pool_problem(pool: str, user: User) -> str | None:
    """Why this person cannot be in this pool (None: they can)."""
    if not user.is_active:
        return "该账号已停用。"
    if pool in (Pool.INSPECTORS, Pool.SKILLED):
        if user.role not in INSPECTOR_ROLES:
            return "执法人员库只收录省、市、县生态环境部门的执法人员。"
        if not user.badge_no:
            return "该人员没有登记执法证号，不能入库（执法须持证）。"
    if pool == Pool.EXPERTS and user.role != User.Role.EXPERT:
        return "专家库只收录专家账号。"
    return None


@transaction.atomic
def pool_add(
    *,
    actor: User,
    campaign: Campaign,
    pool: str,
    user: User,
    lead_qualified: bool = False,
    note: str = "",
) -> PoolMembership:
    _require_manager(actor)
    problem = _pool_problem(pool, user)
    if problem:
        raise ValidationError(problem)
    if PoolMembership.objects.filter(campaign=campaign, pool=pool, user=user).exists():
        raise ValidationError(f"{user}已在{Pool(pool).label}中。")
    return PoolMembership.objects.create(
        campaign=campaign,
        pool=pool,
        user=user,
        lead_qualified=lead_qualified and pool != Pool.EXPERTS,
        note=note.strip(),
        added_by=actor,
    )


@transaction.atomic
def pool_remove(*, actor: User, membership: PoolMembership) -> None:
    _require_manager(actor)
    membership.delete()


POOL_COLUMNS = (
    excel.Column("username", "用户名", False, "平台账号；与执法证号至少填一项", "jinshui"),
    excel.Column("badge_no", "执法证号", False, "执法人员填写", "41010520001"),
    excel.Column("full_name", "姓名", True, "须与账号登记的姓名一致", "赵磊"),
    excel.Column("lead_qualified", "是否主办人", False, "是 / 否（专家库不填）", "是"),
    excel.Column("note", "备注", False, "", ""),
)


def _pool_rows(file: IO[bytes], pool: str, campaign: Campaign):
    rows, positions = excel.open_sheet(file, POOL_COLUMNS)
    by_field = {c.field: c for c in POOL_COLUMNS}
    for row_number, cells in excel.iter_data_rows(rows):
        raw = excel.cells_by_field(cells, positions, POOL_COLUMNS)
        values = {k: excel.text(v) for k, v in raw.items()}
        errors: list[excel.RowError] = []

        def fail(
            field: str, message: str, values=values, errors=errors, row_number=row_number
        ) -> None:
            errors.append(
                excel.row_error(row_number, by_field[field], positions, values.get(field), message)
            )

        user = None
        if values.get("username"):
            user = User.objects.filter(username=values["username"]).first()
            if user is None:
                fail("username", f"没有用户名为“{values['username']}”的账号。")
        elif values.get("badge_no"):
            user = User.objects.filter(badge_no=values["badge_no"]).first()
            if user is None:
                fail("badge_no", f"没有执法证号为“{values['badge_no']}”的账号。")
        else:
            fail("full_name", "用户名和执法证号至少填写一项。")
        if not values.get("full_name"):
            fail("full_name", "姓名为必填项。")
        elif user is not None and values["full_name"] != user.full_name:
            fail("full_name", f"姓名与账号登记的“{user.full_name}”不一致。")
        lead = False
        if values.get("lead_qualified"):
            try:
                lead = excel.yes_no(values["lead_qualified"], "是否主办人")
            except ValidationError as exc:
                fail("lead_qualified", exc.messages[0])
        if user is not None and not errors:
            problem = _pool_problem(pool, user)
            if problem:
                fail("username" if values.get("username") else "badge_no", problem)
        yield row_number, user, lead, values.get("note", ""), errors


def pool_import(
    *, actor: User, campaign: Campaign, pool: str, file: IO[bytes], original_name: str
) -> PoolImport:
    """Add people to a pool from Excel: every row checked first; one bad row and nothing is added."""
    _require_manager(actor)
    record = PoolImport(campaign=campaign, pool=pool, original_name=original_name, created_by=actor)
    errors: list[excel.RowError] = []
    accepted: list[tuple[int, User, bool, str]] = []
    seen: dict[int, int] = {}
    try:
        for row_number, user, lead, note, row_errors in _pool_rows(file, pool, campaign):
            record.rows_total += 1
            errors.extend(row_errors)
            if user is not None and not row_errors:
                if user.pk in seen:
                    errors.append(
                        excel.RowError(
                            row_number,
                            "姓名",
                            "",
                            user.full_name,
                            f"与第 {seen[user.pk]} 行是同一人。",
                        )
                    )
                else:
                    seen[user.pk] = row_number
                    accepted.append((row_number, user, lead, note))
        if record.rows_total == 0:
            errors.append(excel.RowError(2, "", "", "", "表格中没有数据行。"))
    except excel.SheetError as exc:
        errors = [excel.RowError(1, "", "", "", str(exc))]
    file.seek(0)
    with set_actor(actor), transaction.atomic():
        if errors:
            record.status = PoolImport.Status.FAILED
            record.errors = [e.as_dict() for e in errors[:5000]]
            record.error_count = len(errors)
        else:
            existing = set(
                PoolMembership.objects.filter(campaign=campaign, pool=pool).values_list(
                    "user_id", flat=True
                )
            )
            for _row, user, lead, note in accepted:
                if user.pk in existing:
                    record.unchanged_count += 1
                    continue
                PoolMembership.objects.create(
                    campaign=campaign,
                    pool=pool,
                    user=user,
                    added_by=actor,
                    lead_qualified=lead and pool != Pool.EXPERTS,
                    note=note,
                )
                record.created_count += 1
            record.status = PoolImport.Status.SUCCEEDED
        record.file.save(original_name, file, save=False)
        record.save()
    return record


# --- liaisons (附件7) -----------------------------------------------------------------------


def _may_edit_liaisons(actor: User, city: Region) -> bool:
    if actor.has_perm("campaign.manage_platform"):
        return True
    return actor.role == User.Role.CITY and actor.region_id == city.pk


@transaction.atomic
def liaison_table_submit(
    *, actor: User, campaign: Campaign, city: Region, people: list[dict[str, Any]]
) -> LiaisonTable:
    """Save and report a city's liaison people; after the deadline it is accepted and marked late."""
    if not _may_edit_liaisons(actor, city):
        raise PermissionDenied("只能填报本市的联络人员。")
    if not people:
        raise ValidationError("请至少填写一名联络人员。")
    duties = {p["duty"] for p in people}
    if LiaisonPerson.Duty.CONTACT not in duties:
        raise ValidationError("请至少指定一名“联络员”。")
    table, _ = LiaisonTable.objects.select_for_update().get_or_create(campaign=campaign, city=city)
    table.people.all().delete()
    for order, values in enumerate(people, start=1):
        person = LiaisonPerson(table=table, order=order, **values)
        person.full_clean()
        person.save()
    now = timezone.now()
    if table.submitted_at is None:
        table.submitted_at = now
        table.is_late = bool(campaign.liaison_deadline and now > campaign.liaison_deadline)
    table.submitted_by = actor
    table.save()
    return table


@transaction.atomic
def roster_group_add(
    *, actor: User, campaign: Campaign, kind: str, name: str, duties: str = ""
) -> RosterGroup:
    _require_manager(actor)
    if RosterGroup.objects.filter(campaign=campaign, name=name.strip()).exists():
        raise ValidationError({"name": f"本年度已有“{name.strip()}”。"})
    last = (
        RosterGroup.objects.filter(campaign=campaign)
        .order_by("-order")
        .values_list("order", flat=True)
        .first()
    )
    group = RosterGroup(
        campaign=campaign,
        kind=kind,
        name=name.strip(),
        duties=duties.strip(),
        order=(last or 0) + 1,
    )
    group.full_clean()
    group.save()
    return group
