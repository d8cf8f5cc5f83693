"""Builders of stage 4: the 整改台账 workbook and the 一企一案 plan as PDF. They take rows already
scoped by the selectors and return files."""

from __future__ import annotations

from typing import IO, Any
from zoneinfo import ZoneInfo

from django.template.loader import render_to_string
from django.utils import timezone

from campaign import excel
from cases.exports import bureau_name
from cases.models import Case
from inspections.models import Problem
from rectification.models import (
    FacilityProposal,
    GuidanceActivity,
    ItemCheck,
    ItemEvidence,
    RectificationItem,
    RectificationPlan,
)

BEIJING = ZoneInfo("Asia/Shanghai")
# a case link that never became a case (不予立案) or was undone does not count as 立案
_NOT_A_CASE = {Case.Status.NOT_FILED, Case.Status.REVOKED}

ITEM_HEADERS = [
    "问题编号",
    "企业",
    "统一社会信用代码",
    "县（区）",
    "来源",
    "问题类别",
    "检查项目",
    "问题描述",
    "法律依据",
    "是否立案（案号）",
    "整改要求",
    "整改要求依据",
    "整改措施",
    "工程进度节点",
    "整改资金（万元）",
    "企业责任人",
    "监管责任人",
    "整改时限",
    "原整改时限",
    "进展",
    "整改情况",
    "佐证材料",
    "核查人",
    "核查日期",
    "核查结论",
    "销号日期",
    "未满足条件销号",
    "逾期日期",
    "提请市级督办日期",
]
ITEM_WIDTHS = [
    10, 28, 22, 10, 10, 12, 26, 40, 30, 14, 36, 20, 40, 36, 12,
    10, 10, 12, 12, 10, 36, 24, 16, 12, 30, 12, 24, 12, 14,
]  # fmt: skip


def _day(value: Any) -> Any:
    return value if value is not None else ""


def _person(user) -> str:
    return (user.full_name or user.username) if user is not None else ""


def _cases_cell(links) -> str:
    pks = sorted({case_id for case_id, status in links if status not in _NOT_A_CASE})
    return f"是（{'、'.join(str(pk) for pk in pks)}）" if pks else "否"


def measures_text(measures) -> str:
    """`measures`: (number, text, done_on) in their order."""
    return "\n".join(
        f"{number}. {text}" + (f"（已完成 {done_on:%Y-%m-%d}）" if done_on else "")
        for number, text, done_on in measures
    )


def milestones_text(milestones) -> str:
    """`milestones`: (due_on, title, done_on) in their order."""
    return "\n".join(
        f"{due_on:%Y-%m-%d} {title}" + (f"（完成 {done_on:%Y-%m-%d}）" if done_on else "")
        for due_on, title, done_on in milestones
    )


def evidence_text(counts: dict[str, int]) -> str:
    """`counts`: the number of files per kind."""
    return "、".join(
        f"{label} {counts[kind]}" for kind, label in ItemEvidence.Kind.choices if counts.get(kind)
    )


def _flagged_text(row: dict[str, Any]) -> str:
    # the bureau's flag: it prints only where the bureau's checks are visible (never to the unit)
    if not row["closing_flagged"] or not row["checks"]:
        return ""
    closing = next((c for c in row["checks"] if c[3] == ItemCheck.Outcome.CLOSED), None)
    return f"是（{closing[4]}）" if closing and closing[4] else "是"


def _labels(model, name: str) -> dict[str, str]:
    return {value: str(label) for value, label in model._meta.get_field(name).choices}


def item_row(row: dict[str, Any], labels: dict[str, dict[str, str]]) -> list[Any]:
    """One 整改台账 row from what `selectors.plan.items_for_export` reads for an item."""
    # (pk, checked_on, conclusion, outcome, skip_reason), the latest first
    latest = row["checks"][0] if row["checks"] else None
    return [
        row["problem_id"],
        row["enterprise"],
        row["credit_code"],
        row["county"],
        labels["source"].get(row["source"], row["source"]),
        labels["kind"].get(row["kind"], row["kind"]),
        f"{row['item_code']} {row['item_title']}",
        row["description"],
        row["legal_basis"],
        _cases_cell(row["cases"]),
        row["requirement"],
        row["requirement_source"],
        measures_text(row["measures"]),
        milestones_text(row["milestones"]),
        row["funds"] if row["funds"] is not None else "",
        row["responsible"],
        (row["supervisor_name"] or row["supervisor_username"])
        if row["supervisor_id"] is not None
        else "",
        _day(row["deadline"]),
        _day(row["original_deadline"]) if row["original_deadline"] != row["deadline"] else "",
        labels["status"].get(row["status"], row["status"]),
        row["progress"],
        evidence_text(row["evidence"]),
        "、".join(full_name or username for full_name, username in row["officers"])
        if latest
        else "",
        latest[1] if latest else "",
        latest[2] if latest else "",
        _day(row["closed_on"]),
        _flagged_text(row),
        _day(row["overdue_since"]),
        _day(row["escalated_on"]),
    ]


def items_workbook(items, progress=None) -> IO[bytes]:
    """整改台账: one row per item of `items` (plain values from
    `selectors.plan.items_for_export`), streamed into a write-only workbook. A background job
    passes its `progress` (campaign.jobs.Progress), which counts the items as they are written."""
    labels = {
        "source": _labels(Problem, "source"),
        "kind": _labels(Problem, "kind"),
        "status": _labels(RectificationItem, "status"),
    }
    if progress is not None:
        items = progress.iterate(items)
    rows = (item_row(item, labels) for item in items)
    return excel.write_rows("整改台账", ITEM_HEADERS, rows, ITEM_WIDTHS)


def plan_html(plan: RectificationPlan, items, *, printed_by) -> str:
    """一企一案整改方案 as the HTML the PDF is printed from. `items` as `selectors.plan.plan_items`
    returns them (measures and milestones prefetched)."""
    printed_at = timezone.localtime(timezone.now(), BEIJING)
    return render_to_string(
        "rectification/plan_pdf.html",
        {
            "plan": plan,
            "items": items,
            "bureau": bureau_name(plan.county, plan.city),
            "printed_at": f"{printed_at:%Y-%m-%d %H:%M}",
            "printed_by": _person(printed_by),
        },
    )


def plan_pdf(plan: RectificationPlan, items, *, printed_by) -> bytes:
    """一企一案整改方案 on A4 (the CJK font installed by `make`)."""
    from weasyprint import HTML

    return HTML(string=plan_html(plan, items, printed_by=printed_by)).write_pdf()


def plans_workbook(plans) -> IO[bytes]:
    """一企一案 list: one row per plan with its figures (the selector's annotations)."""
    rows = (
        [
            p.enterprise.name,
            p.enterprise.credit_code,
            p.city.name,
            p.county.name,
            p.item_count,
            p.closed_count,
            p.applied_count,
            p.overdue_count,
            f"{p.closed_count * 100 / p.item_count:.1f}%" if p.item_count else "—",
            _day(timezone.localtime(p.created_at).date()),
        ]
        for p in plans.iterator(chunk_size=2000)
    )
    headers = [
        "企业",
        "统一社会信用代码",
        "省辖市",
        "县（区）",
        "整改事项",
        "已销号",
        "待核查",
        "逾期",
        "完成率",
        "登记日期",
    ]
    return excel.write_rows("一企一案", headers, rows)


def proposals_workbook(proposals) -> IO[bytes]:
    status = dict(FacilityProposal.Status.choices)
    rows = (
        [
            p.item.plan.enterprise.name,
            p.item.number,
            p.item.problem.description,
            _day(p.item.deadline),
            _day(p.window_ended_on),
            status.get(p.status, p.status),
            p.case_id or "",
        ]
        for p in proposals.iterator(chunk_size=2000)
    )
    headers = [
        "企业",
        "整改事项序号",
        "问题描述",
        "整改时限",
        "整改阶段截止日期",
        "状态",
        "案件编号",
    ]
    return excel.write_rows("按未建设污染防治设施处理", headers, rows)


def guidance_workbook(activities) -> IO[bytes]:
    kind = dict(GuidanceActivity.Kind.choices)
    rows = (
        [
            _day(a.held_on),
            kind.get(a.kind, a.kind),
            a.topic,
            "、".join(e.name for e in a.enterprises.all()),
            a.attendees,
            a.attendee_names,
            "、".join(_person(o) for o in a.officers.all()),
            a.county.name,
        ]
        for a in activities.iterator(chunk_size=2000)
    )
    headers = ["日期", "类型", "主题", "参加企业", "参加人数", "参加人员", "指导人员", "县（区）"]
    return excel.write_rows("帮扶指导与培训", headers, rows)
