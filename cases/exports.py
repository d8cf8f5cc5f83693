"""Excel builders of stage 3: take already-scoped rows, return files."""

from __future__ import annotations

from typing import IO

from django.template.loader import render_to_string
from django.utils import timezone

from campaign import excel
from cases.models import Case, Path
from cases.rules import Against, Unit

_STATUS = dict(Case.Status.choices)
_PATH = dict(Path.choices)
_SOURCE = dict(Case.Source.choices)
_UNIT = dict(Unit.CHOICES)
_AGAINST = dict(Against.CHOICES)


def cases_workbook(cases) -> IO[bytes]:
    rows = (
        [
            c.pk,
            c.enterprise.name,
            c.county.name,
            c.title,
            c.violation_type.name if c.violation_type else "",
            _PATH.get(c.path, c.path),
            _SOURCE.get(c.source, c.source),
            c.discovered_on,
            c.filed_on,
            _STATUS.get(c.status, c.status),
            c.proposed_fine,
            c.fine,
            c.decided_on,
            c.closed_on,
            "是" if c.has_overdue else "",
        ]
        for c in cases.iterator(chunk_size=2000)
    )
    return excel.write_rows(
        "案件",
        [
            "案件编号",
            "当事人",
            "县（区）",
            "案由",
            "违法行为类型",
            "处置方式",
            "案件来源",
            "发现日期",
            "立案日期",
            "办理环节",
            "拟处罚款（元）",
            "罚款（元）",
            "决定日期",
            "结案日期",
            "有逾期期限",
        ],
        rows,
    )


def deadlines_workbook(deadlines) -> IO[bytes]:
    today = timezone.localdate()
    rows = (
        [
            d.case_id,
            d.case.enterprise.name,
            d.case.county.name,
            d.case.title,
            d.label,
            _AGAINST.get(d.against, d.against),
            d.basis,
            _UNIT.get(d.unit, d.unit),
            d.length + d.extension,
            d.start_event,
            d.start_date,
            d.due_date,
            "已逾期" if d.is_overdue(today) else ("已届满" if d.has_lapsed(today) else ""),
            d.warning,
        ]
        for d in deadlines.iterator(chunk_size=2000)
    )
    return excel.write_rows(
        "到期提醒",
        [
            "案件编号",
            "当事人",
            "县（区）",
            "案由",
            "事项",
            "期限对象",
            "依据",
            "计算单位",
            "期间",
            "起算事件",
            "起算日",
            "届满日",
            "逾期",
            "提示",
        ],
        rows,
    )


def bureau_name(county, city) -> str:
    """The issuing bureau as Henan names it after the 2019 reform: a city's bureau, or its 分局 in
    a county."""
    if county is None:
        return f"{city.name}生态环境局"
    return f"{city.name}生态环境局{county.name}分局"


def notice_pdf(notice, rules) -> bytes:
    """行政处罚事先（听证）告知书 in an official layout (A4, the CJK font installed by `make`)."""
    from weasyprint import HTML

    html = render_to_string(
        "cases/notice_pdf.html",
        {
            "notice": notice,
            "items": notice.items.select_related("case", "problem").order_by("order"),
            "bureau": bureau_name(notice.county, notice.city),
            "statement": rules.clock("statement"),
            "hearing": rules.clock("hearing_request"),
            "printed_at": timezone.now(),
        },
    )
    return HTML(string=html).write_pdf()


def notices_workbook(notices) -> IO[bytes]:
    from cases.models import Notice

    status = dict(Notice.Status.choices)
    method = dict(Notice.Method.choices)
    rows = (
        [
            n.pk,
            n.number,
            n.enterprise.name,
            n.county.name,
            "补充告知" if n.supplements_id else "事先告知",
            status.get(n.status, n.status),
            "是" if n.hearing_right else "",
            n.served_on,
            method.get(n.method, n.method),
            n.recipient,
        ]
        for n in notices.iterator(chunk_size=2000)
    )
    return excel.write_rows(
        "事先告知书",
        [
            "编号",
            "文号",
            "当事人",
            "县（区）",
            "类型",
            "状态",
            "告知听证权利",
            "送达日期",
            "送达方式",
            "签收人",
        ],
        rows,
    )


def five_kinds_workbook(rows, total, kinds) -> IO[bytes]:
    keys = ["opened", "decided", "fines", *[key for key, *_ in kinds]]

    def line(name, row):
        values = [row[k] for k in keys]
        values[2] = row["fines_wan"]  # 万元, as the reports print it
        return [name, *values]

    body = [line(r["city__name"], r) for r in rows] + [line("合计", total)]
    return excel.write_rows(
        "五类案件",
        ["省辖市", "立案", "作出决定", "罚款（万元）", *[label for _k, label, _ in kinds]],
        body,
    )
