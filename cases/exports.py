"""Excel builders of stage 3: take already-scoped rows, return files."""

from __future__ import annotations

from typing import IO

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
