"""Excel builders of the campaign app: each takes already-scoped rows."""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO

from campaign import excel


def roster_workbook(groups: Iterable) -> IO[bytes]:
    def rows():
        for g in groups:
            members = list(g.members.all())
            for m in members:
                yield [
                    g.name,
                    g.get_kind_display(),
                    m.get_position_display(),
                    m.name,
                    m.unit,
                    g.duties,
                ]
            if not members:  # a body with nobody in it yet still appears
                yield [g.name, g.get_kind_display(), "", "", "", g.duties]

    headers = ["机构", "类别", "职务", "姓名", "单位及职务", "主要职责"]
    return excel.write_rows("组织机构", headers, rows(), [22, 14, 10, 12, 30, 60])


def people_workbook(people: Iterable) -> IO[bytes]:
    def rows():
        for p in people:
            region = p.region
            yield [
                p.full_name,
                p.username,
                p.get_role_display(),
                p.unit,
                region.parent.name if region and region.parent else "",
                region.name if region else "",
                p.badge_no,
            ]

    headers = ["姓名", "账号", "角色", "单位及职务", "上级区域", "区域", "执法证号"]
    return excel.write_rows("人员", headers, rows(), [12, 16, 16, 30, 10, 14, 16])


def pool_workbook(memberships: Iterable) -> IO[bytes]:
    def rows():
        for m in memberships:
            region = m.user.region
            yield [
                m.get_pool_display(),
                m.user.full_name,
                m.user.unit,
                m.user.badge_no,
                region.parent.name
                if region and region.level == "county"
                else (region.name if region else "省厅"),
                region.name if region and region.level == "county" else "",
                "是" if m.lead_qualified else "否",
                "、".join(i.name for i in m.user.industries.all()),
                m.note,
                excel.local_time(m.added_at),
            ]

    return excel.write_rows(
        "人员库",
        [
            "人员库",
            "姓名",
            "单位及职务",
            "执法证号",
            "市",
            "县（区）",
            "可任主办人",
            "专业行业",
            "备注",
            "入库时间",
        ],
        rows(),
        [20, 10, 30, 14, 12, 14, 10, 24, 20, 16],
    )


def liaison_workbook(statuses: Iterable, year: int) -> IO[bytes]:
    """附件7 一体化执法检查联络人员信息统计表, one row per person, cities in code order."""

    def rows():
        for number, status in enumerate(statuses, start=1):
            people = list(status.table.people.all()) if status.table else []
            if not people:
                yield [number, status.city.name, "", "", "", "", "", "", status.label]
            for person in people:
                yield [
                    number,
                    status.city.name,
                    person.name,
                    person.unit_position,
                    person.get_duty_display(),
                    person.office_phone,
                    person.mobile,
                    person.email,
                    status.label,
                ]

    return excel.write_rows(
        "联络人员信息统计表",
        [
            "序号",
            "地市",
            "姓名",
            "单位及职务",
            "联络职责",
            "办公电话",
            "手机",
            "电子邮箱",
            "报送情况",
        ],
        rows(),
        [6, 14, 10, 30, 12, 16, 14, 26, 14],
        caption=f"附件7  {year} 年度一体化执法检查联络人员信息统计表",
    )


def assignments_workbook(assignments: Iterable) -> IO[bytes]:
    def rows():
        for a in assignments:
            commitment = getattr(a, "commitment", None)
            check = getattr(a, "self_check", None)
            yield [
                a.user.full_name,
                a.user.unit,
                a.title,
                a.destination.name,
                a.starts_on,
                a.ends_on,
                (
                    ("已签署（逾期）" if commitment.is_late else "已签署")
                    if commitment
                    else "未签署"
                ),
                excel.local_time(commitment.signed_at) if commitment else "",
                (("已填报，有情况说明" if check.has_issue else "已填报") if check else "未填报"),
            ]

    return excel.write_rows(
        "异地执法任务廉洁情况",
        ["姓名", "单位及职务", "任务", "前往地区", "开始", "结束", "承诺书", "签署时间", "自查表"],
        rows(),
        [10, 30, 30, 12, 12, 12, 14, 16, 18],
    )


def complaints_workbook(complaints: Iterable, *, with_contact: bool) -> IO[bytes]:
    headers = [
        "查询码",
        "受理时间",
        "被举报人员",
        "地点",
        "发生日期",
        "举报内容",
        "状态",
        "办理结论",
        "办结时间",
    ]
    if with_contact:
        headers += ["举报人", "联系方式"]

    def rows():
        for c in complaints:
            row = [
                c.tracking_code,
                excel.local_time(c.received_at),
                c.accused,
                c.place,
                c.happened_on,
                c.description,
                c.get_status_display(),
                c.conclusion,
                excel.local_time(c.concluded_at),
            ]
            if with_contact:
                row += [c.reporter_name, c.reporter_contact]
            yield row

    return excel.write_rows(
        "群众举报", headers, rows(), [14, 16, 20, 20, 12, 50, 12, 40, 16, 10, 18]
    )
