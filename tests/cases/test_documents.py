"""A case's documents (文书): numbered without gaps, frozen when issued, printed in the official
layout, served with a 送达回证; the party sees what was served on it and the deadlines that run
against it, never the bureau's internal forms."""

from __future__ import annotations

import datetime as dt
import time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from campaign.models import User
from cases import documents
from cases.models import Case, CaseDocument, DocumentCounter, Measure, Notice, Reply
from cases.models import ServiceRecord as Record
from cases.services import case as case_services
from cases.services import discretion as discretion_services
from cases.services import document as services
from cases.services import measure as measures
from cases.services import notice as notices
from enterprises.models import Enterprise
from tests.cases import factories as f

S = Case.Status
K = CaseDocument.Kind
EIA = {"eia_document": 2, "eia_progress": 3}  # 54,000 yuan on a 2,000,000 investment


def at(day: str):
    moment = dt.datetime.fromisoformat(day).replace(hour=10, tzinfo=ZoneInfo("Asia/Shanghai"))
    return time_machine.travel(moment, tick=False)


def head(county: str = "410105") -> User:
    return f.staff(f"head-{county}", head=True, county=county)


def filed(cast, *, discovered_on: dt.date | None = None, on: dt.date | None = None) -> Case:
    """An EIA-01 case of the 金水 unit, filed (under investigation)."""
    case = f.case(cast, discovered_on=discovered_on)
    case_services.case_step(actor=head(), case=case, to=S.INVESTIGATING, on=on)
    case.refresh_from_db()
    return case


def decided(cast) -> Case:
    """Filed 2026-09-01 with a discretion record, notified, answered (陈述申辩) and decided
    2026-09-02 at 54,000 yuan."""
    with at("2026-09-01"):
        case = filed(cast)
        discretion_services.discretion_record(
            actor=cast.county, case=case, levels=EIA, base=2_000_000, adjustments=()
        )
        case_services.case_step(
            actor=cast.county,
            case=case,
            to=S.REVIEWING,
            report="调查终结",
            reviewer=f.staff("js-review"),
        )
        notice = notices.notice_draft(actor=cast.county, enterprise=cast.ent)
        notices.notice_serve(
            actor=cast.county,
            notice=notice,
            served_on=dt.date(2026, 9, 1),
            method=Notice.Method.DIRECT,
            recipient="张三",
        )
    with at("2026-09-02"):
        notices.reply_submit(
            actor=cast.enterprise_user,
            notice=notice,
            kind=Reply.Kind.STATEMENT,
            text="我公司已停止建设，请求从轻处罚。",
        )
        case_services.case_step(actor=head(), case=case, to=S.DECIDED, party_waived=True)
    case.refresh_from_db()
    return case


def order(actor, case, on=None, **fields) -> CaseDocument:
    fields.setdefault("correction", "立即停止建设\n补办环境影响评价审批手续")
    return services.document_issue(actor=actor, case=case, kind=K.ORDER, on=on, **fields)


def serve(document, actor, day: dt.date, **kw) -> Record:
    kw.setdefault("method", Notice.Method.DIRECT)
    kw.setdefault("recipient", "王经理")
    return services.document_serve(actor=actor, document=document, served_on=day, **kw)


# --- numbers -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_numbers_run_without_gaps_per_bureau_kind_and_year(cast, monkeypatch):
    with at("2026-01-05"):
        case = filed(cast, discovered_on=dt.date(2025, 12, 20), on=dt.date(2025, 12, 22))
        assert order(cast.county, case, on=dt.date(2025, 12, 30)).number == (
            "豫0105环责改字〔2025〕1号"
        )
        assert order(cast.county, case).number == "豫0105环责改字〔2026〕1号"
        # refused before the number: nothing taken
        with pytest.raises(ValidationError, match="责令改正的内容"):
            order(cast.county, case, correction="")
        # refused after the number was taken: the transaction gives it back
        real = services._CONTENT[K.ORDER]

        def broken(*args):
            raise ValidationError("模拟签发失败")

        monkeypatch.setitem(services._CONTENT, K.ORDER, broken)
        with pytest.raises(ValidationError, match="模拟签发失败"):
            order(cast.county, case)
        monkeypatch.setitem(services._CONTENT, K.ORDER, real)
        assert order(cast.county, case).number == "豫0105环责改字〔2026〕2号"
        # another kind counts on its own
        measures.measure_start(actor=cast.county, case=case, kind=Measure.Kind.CRIME, detail="甲")
        transfer = services.document_issue(actor=cast.county, case=case, kind=K.TRANSFER)
        assert transfer.number == "豫0105环移字〔2026〕1号"
        # another bureau counts on its own
        jx = f.staff("jx1", county="410305")
        other = case_services.case_open(
            actor=jx,
            enterprise=cast.other_ent,
            title="涧西未批先建案",
            source=Case.Source.OTHER,
            discovered_on=dt.date(2026, 1, 4),
            violation_type=case.violation_type,
            investigators=[jx, f.staff("jx2", county="410305")],
            campaign=case.campaign,
        )
        case_services.case_step(actor=head("410305"), case=other, to=S.INVESTIGATING)
        assert order(jx, other).number == "豫0305环责改字〔2026〕1号"
    counters = DocumentCounter.objects.filter(region__code="410105")
    assert sorted(counters.values_list("year", "kind", "last")) == [
        (2025, "责改", 1),
        (2026, "移", 1),
        (2026, "责改", 2),
    ]
    assert CaseDocument.objects.filter(case=case, kind=K.ORDER).count() == 3


@pytest.mark.django_db
def test_a_document_waits_for_its_step(cast):
    with at("2026-09-01"):
        case = f.case(cast)
        with pytest.raises(ValidationError, match="立案后"):
            order(cast.county, case)
        case_services.case_step(actor=head(), case=case, to=S.INVESTIGATING)
        case.refresh_from_db()
        for kind, why in [
            (K.DECISION, "作出处罚决定后"),
            (K.HEARING_NOTICE, "申请听证后"),
            (K.CLOSING, "申请结案后"),
            (K.TRANSFER, "未决定移送"),
        ]:
            with pytest.raises(ValidationError, match=why):
                services.document_issue(actor=cast.county, case=case, kind=kind)
        assert services.kinds_for(case, cast.county) == [
            (K.FILING, "立案审批表"),
            (K.ORDER, "责令改正违法行为决定书"),
        ]
        assert services.kinds_for(case, cast.enterprise_user) == []
        filing = services.document_issue(actor=cast.county, case=case, kind=K.FILING)
        with pytest.raises(ValidationError, match="已签发立案审批表"):
            services.document_issue(actor=cast.county, case=case, kind=K.FILING)
    assert filing.number == "" and filing.content["case"]["id"] == case.pk
    assert filing.content["approval"]["by"] == "测试head-410105"
    assert not DocumentCounter.objects.exists()  # nothing numbered: no gap anywhere


@pytest.mark.django_db
def test_another_county_and_the_enterprise_cannot_issue_or_serve(cast):
    with at("2026-09-01"):
        case = filed(cast)
        with pytest.raises(Http404):
            order(cast.other_county, case)
        with pytest.raises(PermissionDenied):
            order(cast.enterprise_user, case)
        issued = order(cast.county, case)
        with pytest.raises(Http404):
            serve(issued, cast.other_county, dt.date(2026, 9, 1))
        with pytest.raises(PermissionDenied):
            serve(issued, cast.enterprise_user, dt.date(2026, 9, 1))
    assert not Record.objects.exists()


# --- the decision ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_decision_is_frozen_and_prints_the_discretion_lines(cast):
    case = decided(cast)
    record = case.discretion_records.get(current=True)
    with at("2026-09-03"):
        decision = services.document_issue(
            actor=cast.county,
            case=case,
            kind=K.DECISION,
            bank_name="中国工商银行郑州金水支行",
            bank_account="1702020009000000000",
        )
    c = decision.content
    assert decision.number == "豫0105环罚决字〔2026〕1号" and c["number"] == decision.number
    assert c["party"]["name"] == "金水测试化工有限公司"
    assert c["party"]["credit_code"] == cast.ent.credit_code
    assert (c["fine"], c["fine_figures"], c["fine_words"]) == (54_000, "54,000", "伍万肆仟元整")
    assert c["notice"]["number"] == "豫0105环罚告字〔2026〕1号"
    assert c["statement_used"] is True and c["hearing_used"] is False
    assert c["discretion"] == record.lines
    assert any(line.startswith("裁量因素：") for line in c["discretion"])
    assert c["case"]["violated"] == case.violation_type.violated
    assert (c["government"], c["court"]) == ("郑州市人民政府", "郑州市金水区人民法院")
    assert c["bank_account_name"] == services.BANK_PLACEHOLDER
    assert c["bureau"] == "郑州市生态环境局金水区分局"
    assert c["evidence"]  # the case's problem as found on site
    html = documents.document_html(decision)
    for line in record.lines:
        assert line in html
    assert "罚款人民币54,000元（大写：伍万肆仟元整）" in html
    assert "六十日内向郑州市人民政府申请行政复议" in html
    assert "《行政处罚事先告知书》（豫0105环罚告字〔2026〕1号）" in html
    assert "你单位提出了陈述、申辩意见" in html
    # the case and the party change later: the document does not
    Enterprise.objects.filter(pk=cast.ent.pk).update(
        name="改名后的公司", legal_representative="新法人"
    )
    Case.objects.filter(pk=case.pk).update(facts="后来改写的事实", fine=1)
    decision.refresh_from_db()
    assert decision.content == c
    again = documents.document_html(decision)
    assert "金水测试化工有限公司" in again and "改名后的公司" not in again
    assert "后来改写的事实" not in again
    with at("2026-09-03"), pytest.raises(ValidationError, match="已签发行政处罚决定书"):
        services.document_issue(actor=cast.county, case=case, kind=K.DECISION)


@pytest.mark.django_db
def test_pdfs_render_quickly_in_the_official_layout(cast):
    case = decided(cast)
    with at("2026-09-03"):
        decision = services.document_issue(actor=cast.county, case=case, kind=K.DECISION)
        record = serve(decision, cast.county, dt.date(2026, 9, 3))
    for build, thing in (
        (documents.document_pdf, decision),
        (documents.service_record_pdf, record),
    ):
        started = time.monotonic()
        pdf = build(thing)
        assert pdf.startswith(b"%PDF")
        assert time.monotonic() - started < 2.5  # about a second on the CI machine
    html = documents.service_record_html(record)
    for text in ("送达回证", "行政处罚决定书（豫0105环罚决字〔2026〕1号）", "直接送达", "王经理"):
        assert text in html
    assert "2026年9月3日" in html and "测试js2" in html  # the investigators served it
    assert record.servers == ["测试js", "测试js2"]


# --- the other documents -----------------------------------------------------------------------


def hearing(cast) -> Case:
    """Notified 2026-09-01 with the hearing right (250,000 yuan); the party asked for a hearing."""
    from tests.cases.test_notice import reviewed

    with at("2026-09-01"):
        case = reviewed(cast, "HF-01", 250_000)
        notice = notices.notice_draft(actor=cast.county, enterprise=cast.ent)
        notices.notice_serve(
            actor=cast.county,
            notice=notice,
            served_on=dt.date(2026, 9, 1),
            method=Notice.Method.DIRECT,
            recipient="张三",
        )
    with at("2026-09-02"):
        notices.reply_submit(
            actor=cast.enterprise_user, notice=notice, kind=Reply.Kind.HEARING, text="申请听证"
        )
        case_services.case_step(actor=cast.county, case=case, to=S.HEARING)
    case.refresh_from_db()
    return case


@pytest.mark.django_db
def test_the_hearing_notice_comes_seven_working_days_before_the_hearing(cast):
    case = hearing(cast)
    args = {"hearing_place": "金水分局三楼会议室", "hearing_time": "上午9时"}
    with at("2026-09-03"):  # Thu: 7 working days later is Mon 09-14
        with pytest.raises(ValidationError, match="听证日期"):
            services.document_issue(actor=cast.county, case=case, kind=K.HEARING_NOTICE, **args)
        with pytest.raises(ValidationError, match="不能早于 2026-09-14"):
            services.document_issue(
                actor=cast.county,
                case=case,
                kind=K.HEARING_NOTICE,
                hearing_on=dt.date(2026, 9, 11),
                **args,
            )
        notice = services.document_issue(
            actor=cast.county,
            case=case,
            kind=K.HEARING_NOTICE,
            hearing_on=dt.date(2026, 9, 14),
            **args,
        )
    assert notice.number == "豫0105环听通字〔2026〕1号"
    assert notice.content["requested_on"] == "2026年9月2日"
    assert notice.content["hearing_on"] == "2026年9月14日"
    with at("2026-09-07"):  # served too late for a hearing on 09-14
        with pytest.raises(ValidationError, match="不能早于 2026-09-16"):
            serve(notice, cast.county, dt.date(2026, 9, 7))
        serve(notice, cast.county, dt.date(2026, 9, 3))
    html = documents.document_html(notice)
    assert "2026年9月14日上午9时" in html and "金水分局三楼会议室" in html


@pytest.mark.django_db
def test_filing_closing_and_transfer_forms(cast):
    case = decided(cast)
    with at("2026-09-03"):
        decision = services.document_issue(actor=cast.county, case=case, kind=K.DECISION)
        serve(decision, cast.county, dt.date(2026, 9, 3))
        case_services.case_step(actor=cast.county, case=case, to=S.EXECUTING)
        case_services.case_step(actor=cast.county, case=case, to=S.CLOSING)
        closing = services.document_issue(
            actor=cast.county, case=case, kind=K.CLOSING, execution="罚款已缴纳"
        )
        filing = services.document_issue(actor=cast.county, case=case, kind=K.FILING)
        with pytest.raises(ValidationError, match="未决定移送"):
            services.document_issue(actor=cast.county, case=case, kind=K.TRANSFER)
        measures.measure_start(
            actor=head(), case=case, kind=Measure.Kind.DETENTION, detail="直接负责的主管人员李某"
        )
        transfer = services.document_issue(actor=cast.county, case=case, kind=K.TRANSFER)
        with pytest.raises(ValidationError, match="内部审批文书"):
            serve(closing, cast.county, dt.date(2026, 9, 3))
    assert (closing.number, filing.number) == ("", "")
    assert closing.content["decision_number"] == decision.number
    assert "54,000" in closing.content["result"] and closing.content["approval"]["by"] == ""
    assert transfer.number == "豫0105环移字〔2026〕1号"
    assert transfer.content["receiver"] == "郑州市公安局金水分局"
    assert transfer.content["crime"] is False and transfer.content["procuratorate"] == ""
    assert "行政处罚决定书" in transfer.content["materials"]
    for document, text in (
        (closing, "结案审批表"),
        (filing, "立案审批表"),
        (transfer, "郑州市公安局金水分局："),
    ):
        assert text in documents.document_html(document)


# --- service ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_service_needs_a_recipient_or_the_refusal_and_a_witness(cast):
    case = decided(cast)
    with at("2026-09-03"):
        decision = services.document_issue(actor=cast.county, case=case, kind=K.DECISION)
        with pytest.raises(ValidationError) as left:
            serve(decision, cast.county, dt.date(2026, 9, 3), method=Notice.Method.LEFT)
        assert set(left.value.error_dict) == {"refusal", "witnesses"}
        with pytest.raises(ValidationError, match="签收人"):
            serve(decision, cast.county, dt.date(2026, 9, 3), recipient="")
        with pytest.raises(ValidationError, match="不能早于 2026-09-03"):
            serve(decision, cast.county, dt.date(2026, 9, 2))
        with pytest.raises(ValidationError, match="不能晚于今天"):
            serve(decision, cast.county, dt.date(2026, 9, 4))
        with pytest.raises(ValidationError, match="送达方式"):
            serve(decision, cast.county, dt.date(2026, 9, 3), method="fax")
        record = serve(
            decision,
            cast.county,
            dt.date(2026, 9, 3),
            method=Notice.Method.LEFT,
            recipient="",
            refusal="法定代表人拒绝签收",
            witnesses="村委会主任赵某；已拍照录像",
        )
    decision.refresh_from_db()
    case.refresh_from_db()
    assert decision.served_on == dt.date(2026, 9, 3) and record.address.endswith(cast.ent.address)
    # the case's own step is the bureau's: recording the service leaves the case where it was
    assert case.status == S.DECIDED and case.served_on is None
    # the database holds the same rules
    with pytest.raises(IntegrityError), transaction.atomic():
        Record.objects.create(
            document=decision,
            notice=Notice.objects.get(),
            county=record.county,
            city=record.city,
            enterprise=cast.ent,
            method=Notice.Method.DIRECT,
            served_on=dt.date(2026, 9, 3),
            recorded_by=cast.county,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Record.objects.create(
            document=decision,
            county=record.county,
            city=record.city,
            enterprise=cast.ent,
            method=Notice.Method.LEFT,
            served_on=dt.date(2026, 9, 3),
            recorded_by=cast.county,
        )


@pytest.mark.django_db
def test_a_served_notice_gets_its_service_record(cast):
    decided(cast)
    notice = Notice.objects.get()
    with at("2026-09-03"):
        record = services.notice_service_record(actor=cast.county, notice=notice, note="当面签收")
        with pytest.raises(ValidationError, match="已登记送达回证"):
            services.notice_service_record(actor=cast.county, notice=notice)
    assert (record.method, record.served_on, record.recipient) == (
        "direct",
        dt.date(2026, 9, 1),
        "张三",
    )
    html = documents.service_record_html(record)
    assert "行政处罚事先告知书（豫0105环罚告字〔2026〕1号）" in html and "当面签收" in html


# --- what the enterprise sees ----------------------------------------------------------------


@pytest.mark.django_db
def test_the_enterprise_sees_its_served_decision_and_its_deadlines_not_the_internal_forms(
    client, cast
):
    case = decided(cast)
    with at("2026-09-03"):
        filing = services.document_issue(actor=cast.county, case=case, kind=K.FILING)
        decision = services.document_issue(actor=cast.county, case=case, kind=K.DECISION)
        unserved = order(cast.county, case)
        assert list(services.document_list(user=cast.enterprise_user)) == []
        record = serve(decision, cast.county, dt.date(2026, 9, 3))
        case_services.case_step(actor=cast.county, case=case, to=S.EXECUTING)  # payment runs
        measures.measure_start(actor=head(), case=case, kind=Measure.Kind.RESTRICT, detail="限产")
        client.force_login(cast.enterprise_user)
        assert list(services.document_list(user=cast.enterprise_user)) == [decision]
        page = client.get(reverse("cases:documents"))
        body = page.content.decode()
        assert page.status_code == 200 and decision.number in body
        assert unserved.number not in body and "立案审批表" not in body
        assert "缴纳罚款" in body and "2026-09-18" in body  # 15 days from service
        assert "报送整改方案" in body  # 限产: 整改方案 within 15 working days
        pdf = client.get(reverse("cases:document-pdf", args=[decision.pk]))
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
        assert client.get(reverse("cases:document-pdf", args=[filing.pk])).status_code == 404
        assert client.get(reverse("cases:document-pdf", args=[unserved.pk])).status_code == 404
        api = client.get("/api/v1/case-documents/").json()
        assert [d["number"] for d in api["results"]] == [decision.number]
        detail = client.get(f"/api/v1/case-documents/{decision.pk}/").json()
        keys = {d["key"] for d in detail["party_deadlines"]}
        assert "payment" in keys and any(k.startswith("restrict_plan:") for k in keys)
        assert detail["content"]["fine"] == 54_000
        assert detail["service_records"][0]["pdf_url"] == reverse(
            "cases:service-record-pdf", args=[record.pk]
        )
        assert client.get(f"/api/v1/case-documents/{filing.pk}/").status_code == 404
        # the enterprise may not write
        assert client.post(reverse("cases:document-issue", args=[case.pk]), {}).status_code == 403
        # another enterprise and another county: not found
        for user in (cast.other_enterprise_user, cast.other_county):
            client.force_login(user)
            assert client.get(reverse("cases:document-pdf", args=[decision.pk])).status_code == 404
            assert (
                client.get(reverse("cases:service-record-pdf", args=[record.pk])).status_code == 404
            )
            assert decision.number not in client.get(reverse("cases:documents")).content.decode()
        client.force_login(cast.other_county)
        refused = client.post(
            reverse("cases:document-issue", args=[case.pk]),
            {"kind": "order", "correction": "越权"},
        )
        assert refused.status_code == 404
    assert CaseDocument.objects.filter(kind=K.ORDER).count() == 1


# --- the bureau's pages and API ----------------------------------------------------------------


@pytest.mark.django_db
def test_the_bureau_issues_serves_and_prints_from_the_case_page(client, cast):
    from cases.views_documents import document_context

    with at("2026-09-01"):
        case = filed(cast)
        client.force_login(cast.county)
        issue = reverse("cases:document-issue", args=[case.pk])
        assert client.get(issue).status_code == 405
        missing = client.post(issue, {"kind": "order", "on": "2026-09-01"})
        assert missing.status_code == 400 and "请填写责令改正的内容" in missing.content.decode()
        done = client.post(
            issue, {"kind": "order", "on": "2026-09-01", "correction": "立即停止建设"}, follow=True
        )
        assert "已签发责令改正违法行为决定书（豫0105环责改字〔2026〕1号）" in done.content.decode()
        issued = CaseDocument.objects.get()
        serve_url = reverse("cases:document-serve", args=[issued.pk])
        refused = client.post(serve_url, {"served_on": "2026-09-01", "method": "left"})
        assert refused.status_code == 400 and "留置送达须写明拒收事由" in refused.content.decode()
        served = client.post(
            serve_url,
            {"served_on": "2026-09-01", "method": "direct", "recipient": "王经理"},
            follow=True,
        )
        assert "已登记责令改正违法行为决定书的送达" in served.content.decode()
        record = Record.objects.get()
        pdf = client.get(reverse("cases:service-record-pdf", args=[record.pk]))
        assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
        # the section the case page includes
        request = RequestFactory().get(reverse("cases:case", args=[case.pk]))
        request.user = cast.county
        section = render_to_string(
            "cases/_documents.html", {"case": case, **document_context(request, case)}, request
        )
        assert "豫0105环责改字〔2026〕1号" in section and "王经理" in section
        assert reverse("cases:document-pdf", args=[issued.pk]) in section
        assert reverse("cases:service-record-pdf", args=[record.pk]) in section
        assert "填制立案审批表" in section and "签发行政处罚决定书" not in section
        # the API
        api = client.post(
            f"/api/v1/cases/{case.pk}/documents/",
            {"kind": "order", "correction": "补办手续", "hearing_place": "不属于本文书"},
            content_type="application/json",
        )
        assert api.status_code == 400 and "hearing_place" in api.json()
        api = client.post(
            f"/api/v1/cases/{case.pk}/documents/",
            {"kind": "order", "correction": "补办手续", "correct_by": "2026-10-01"},
            content_type="application/json",
        )
        assert api.status_code == 201, api.json()
        assert api.json()["number"] == "豫0105环责改字〔2026〕2号"
        assert api.json()["content"]["correct_by"] == "2026年10月1日前"
        second = api.json()["id"]
        served = client.post(
            f"/api/v1/case-documents/{second}/serve/",
            {"served_on": "2026-09-01", "method": "mail"},
            content_type="application/json",
        )
        assert served.status_code == 201 and served.json()["method"] == "mail"
        listed = client.get(f"/api/v1/case-documents/?case={case.pk}&kind=order").json()
        assert listed["count"] == 2


@pytest.mark.django_db
def test_the_lists_read_with_a_fixed_number_of_queries(client, cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def counts() -> list[int]:
        found = []
        for user in (cast.enterprise_user, cast.county):
            client.force_login(user)
            for url in (reverse("cases:documents"), "/api/v1/case-documents/"):
                with CaptureQueriesContext(connection) as queries:
                    assert client.get(url).status_code == 200
                found.append(len(queries))
        return found

    with at("2026-09-01"):
        case = filed(cast)
        serve(order(cast.county, case), cast.county, dt.date(2026, 9, 1))
        few = counts()
        for _ in range(3):
            issued = order(cast.county, case)
            serve(issued, cast.county, dt.date(2026, 9, 1))
            serve(issued, cast.county, dt.date(2026, 9, 1), method=Notice.Method.MAIL)
        assert counts() == few
