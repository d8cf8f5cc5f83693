"""The 整改台账 workbook and the 一企一案 PDF."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pypdf import PdfReader

from cases.services import classification
from rectification import exports
from rectification.models import RectificationItem
from rectification.selectors import plan as selectors
from rectification.services import plan as plan_services
from rectification.services import verification
from tests.rectification import factories as f
from tests.xlsx import read_xlsx

HEADERS = (
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
)


def ledger(cast, campaign) -> list[tuple]:
    rows = selectors.items(user=cast.county, campaign=campaign)
    data = exports.items_workbook(selectors.items_for_export(user=cast.county, queryset=rows))
    return read_xlsx(data.read())


def by_problem(rows: list[tuple]) -> dict[int, dict]:
    return {row[0]: dict(zip(HEADERS, row, strict=True)) for row in rows[1:]}


def day(value) -> dt.date | None:
    return value.date() if isinstance(value, dt.datetime) else value


def planned(cast):
    """The 金水 plan, its first item filled in: two measures (one done), two milestones (one
    done), two photos and a monitoring report."""
    plan = f.plan(cast, "GL-01", "SS-28")
    item = plan.items.get(number=1)
    today = timezone.localdate()
    plan_services.item_update(
        actor=cast.county,
        item=item,
        values={
            "requirement": "完善设施管理制度",
            "deadline": today + dt.timedelta(60),
            "funds": "12.5",
            "supervisor": cast.county,
            "responsible": "张三",
            "responsible_phone": "13800000000",
        },
        measures=["制定设施运行管理制度", "组织全员培训"],
        milestones=[("制度印发", today + dt.timedelta(20)), ("培训完成", today + dt.timedelta(40))],
    )
    first = item.measures.get(number=1)
    plan_services.measure_done(actor=cast.enterprise_user, item=item, measure=first, done_on=today)
    node = item.milestones.get(number=1)
    node.done_on = today  # what a progress report marks; only the export reads it here
    node.save(update_fields=["done_on"])
    for kind, upload in (("photo", f.jpeg()), ("photo", f.jpeg("二.jpg")), ("monitoring", f.pdf())):
        plan_services.evidence_attach(
            actor=cast.enterprise_user, item=item, kind=kind, upload=upload
        )
    item.refresh_from_db()
    return plan, item


@pytest.mark.django_db
def test_the_ledger_prints_one_row_per_item_under_the_bureau_s_headers(cast):
    plan, item = planned(cast)
    today = timezone.localdate()
    rows = ledger(cast, plan.campaign)
    assert rows[0] == HEADERS
    assert len(rows) == 1 + plan.items.count() == 3
    row = by_problem(rows)[item.problem_id]
    problem = item.problem
    assert row["企业"] == "金水测试化工有限公司"
    assert row["统一社会信用代码"] == cast.ent.credit_code
    assert row["县（区）"] == "金水区"
    assert row["来源"] == "现场检查" and row["问题类别"] == "管理制度问题"
    assert row["检查项目"] == f"GL-01 {problem.item.title}"
    assert row["问题描述"] == problem.description
    assert row["是否立案（案号）"] == "否"
    assert row["整改要求"] == "完善设施管理制度"
    assert row["整改措施"] == (
        f"1. 制定设施运行管理制度（已完成 {today:%Y-%m-%d}）\n2. 组织全员培训"
    )
    assert row["工程进度节点"] == (
        f"{today + dt.timedelta(20):%Y-%m-%d} 制度印发（完成 {today:%Y-%m-%d}）\n"
        f"{today + dt.timedelta(40):%Y-%m-%d} 培训完成"
    )
    assert Decimal(str(row["整改资金（万元）"])) == Decimal("12.5")
    assert row["企业责任人"] == "张三"
    assert row["监管责任人"] == (cast.county.full_name or cast.county.username)
    assert day(row["整改时限"]) == today + dt.timedelta(60)
    assert row["原整改时限"] in ("", None)  # the same as the deadline: not repeated
    assert row["进展"] == "整改中"
    assert row["佐证材料"] == "整改照片 2、监测报告 1"
    for empty in ("核查人", "核查日期", "核查结论", "销号日期", "未满足条件销号", "逾期日期"):
        assert row[empty] in ("", None)


@pytest.mark.django_db
def test_the_ledger_names_the_case_and_the_closing_check(cast):
    violation = f.problem(cast, code="HF-01")
    classification.classify(
        actor=cast.county,
        problems=[violation],
        path="strict",
        reason="x",
        investigators=[cast.county, f.staff("js2")],
    )
    case_pk = violation.case_links.get().case_id
    plan = f.plan(cast, "GL-01")
    ready = f.ready_item(cast, RectificationItem.objects.get(problem__item__code="GL-01"))
    js2 = f.staff("js2")
    verification.item_check(
        actor=cast.county,
        item=ready,
        method="site",
        checked_on=timezone.localdate(),
        officers=[cast.county, js2],
        conclusion="滤袋已更换，运行正常",
        close=True,
    )
    bare = RectificationItem.objects.get(problem=violation)  # no measure, no evidence, a case
    verification.item_check(
        actor=cast.county,
        item=bare,
        method="paper",
        checked_on=timezone.localdate(),
        officers=[cast.county, js2],
        conclusion="已停产拆除",
        close=True,
        reason="企业已关停",
    )
    rows = by_problem(ledger(cast, plan.campaign))
    assert rows[violation.pk]["是否立案（案号）"] == f"是（{case_pk}）"
    assert rows[violation.pk]["未满足条件销号"] == "是（企业已关停）"
    closed = rows[ready.problem_id]
    assert closed["是否立案（案号）"] == "否"
    assert closed["核查人"] == f"{cast.county.full_name or cast.county.username}、{js2.full_name}"
    assert day(closed["核查日期"]) == timezone.localdate() == day(closed["销号日期"])
    assert closed["核查结论"] == "滤袋已更换，运行正常"
    assert closed["进展"] == "已销号" and closed["未满足条件销号"] in ("", None)


@pytest.mark.django_db
def test_the_ledger_reads_in_the_same_queries_whatever_its_length(cast):
    plan, _item = planned(cast)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            ledger(cast, plan.campaign)
        return len(captured)

    before = queries()
    f.problem(cast, code="GL-02")  # joins the plan as a third item
    f.problem(cast, code="GL-03")
    assert plan.items.count() == 4
    assert queries() == before


@pytest.mark.django_db
def test_the_ledger_reads_chunk_by_chunk_and_prints_the_same_rows(cast, monkeypatch):
    plan, _item = planned(cast)
    f.problem(cast, code="GL-02")
    f.problem(cast, code="GL-03")
    whole = ledger(cast, plan.campaign)
    assert len(whole) == 1 + 4
    # chunks of two items: what each chunk's related rows print stays with its item, in order
    monkeypatch.setattr(selectors, "EXPORT_CHUNK", 2)
    assert ledger(cast, plan.campaign) == whole


@pytest.mark.django_db
def test_an_empty_ledger_still_has_its_headers(cast):
    rows = ledger(cast, None)
    assert rows == [HEADERS]


@pytest.mark.django_db
def test_the_plan_prints_as_a_pdf_with_every_item(cast):
    plan, _item = planned(cast)
    plan = selectors.plan_detail(user=cast.county, pk=plan.pk)
    items = selectors.plan_items(user=cast.county, plan=plan)
    html = exports.plan_html(plan, items, printed_by=cast.county)
    for text in (
        "金水测试化工有限公司环境问题整改方案（一企一案）",
        "郑州市生态环境局金水区分局",
        "制定设施运行管理制度",
        "制度印发",
        "企业负责人（签字）",
        "监管部门（盖章）",
        "打印时间：",
    ):
        assert text in html
    pdf = exports.plan_pdf(plan, items, printed_by=cast.county)
    assert pdf.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf))
    text = "".join("".join(page.extract_text().split()) for page in reader.pages)
    assert "金水测试化工有限公司环境问题整改方案" in text
    assert "制定设施运行管理制度" in text and "组织全员培训" in text
    assert f"第1页共{len(reader.pages)}页" in text and "打印时间：" in text
