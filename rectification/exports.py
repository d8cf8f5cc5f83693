"""Builders of stage 4: the 整改台账 workbook and the 一企一案 plan as PDF. They take rows already
scoped by the selectors and return files."""

from __future__ import annotations

from collections import Counter
from typing import IO, Any
from zoneinfo import ZoneInfo

from django.template.loader import render_to_string
from django.utils import timezone

from campaign import excel
from cases.exports import bureau_name
from cases.models import Case
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


def _cases_cell(problem) -> str:
    pks = sorted(
        {link.case_id for link in problem.case_links.all() if link.case.status not in _NOT_A_CASE}
    )
    return f"是（{'、'.join(str(pk) for pk in pks)}）" if pks else "否"


def measures_text(measures) -> str:
    return "\n".join(
        f"{m.number}. {m.text}" + (f"（已完成 {m.done_on:%Y-%m-%d}）" if m.done_on else "")
        for m in measures
    )


def milestones_text(milestones) -> str:
    return "\n".join(
        f"{m.due_on:%Y-%m-%d} {m.title}" + (f"（完成 {m.done_on:%Y-%m-%d}）" if m.done_on else "")
        for m in milestones
    )


def evidence_text(evidence) -> str:
    counts = Counter(e.kind for e in evidence)
    return "、".join(
        f"{label} {counts[kind]}" for kind, label in ItemEvidence.Kind.choices if counts[kind]
    )


def _flagged_text(item: RectificationItem, checks: list[ItemCheck]) -> str:
    # the bureau's flag: it prints only where the bureau's checks are visible (never to the unit)
    if not item.closing_flagged or not checks:
        return ""
    closing = next((c for c in checks if c.outcome == ItemCheck.Outcome.CLOSED), None)
    return f"是（{closing.skip_reason}）" if closing and closing.skip_reason else "是"


def item_row(item: RectificationItem) -> list[Any]:
    """One 整改台账 row; `item` carries what `selectors.plan.items_for_export` prefetches."""
    problem = item.problem
    enterprise = item.plan.enterprise
    checks = getattr(item, "visible_checks", [])
    latest = checks[0] if checks else None
    return [
        problem.pk,
        enterprise.name,
        enterprise.credit_code,
        item.plan.county.name,
        problem.get_source_display(),
        problem.get_kind_display(),
        f"{problem.item.code} {problem.item.title}",
        problem.description,
        problem.legal_basis,
        _cases_cell(problem),
        item.requirement,
        item.requirement_source,
        measures_text(item.measures.all()),
        milestones_text(item.milestones.all()),
        item.funds if item.funds is not None else "",
        item.responsible,
        _person(item.supervisor),
        _day(item.deadline),
        _day(item.original_deadline) if item.original_deadline != item.deadline else "",
        item.get_status_display(),
        item.progress,
        evidence_text(item.evidence.all()),
        "、".join(_person(u) for u in sorted(latest.officers.all(), key=lambda u: u.pk))
        if latest
        else "",
        latest.checked_on if latest else "",
        latest.conclusion if latest else "",
        _day(item.closed_on),
        _flagged_text(item, checks),
        _day(item.overdue_since),
        _day(item.escalated_on),
    ]


def items_workbook(items) -> IO[bytes]:
    """整改台账: one row per item of `items` (from `selectors.plan.items_for_export`), streamed."""
    rows = (item_row(item) for item in items.iterator(chunk_size=2000))
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
