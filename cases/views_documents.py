"""Pages of a case's documents (文书): issuing one, recording its service (送达回证), the PDFs, and
the party's page of what was served on it with the deadlines that run against it.

The case page shows the section `cases/_documents.html`; `document_context(request, case)` gives
it what it lists. The forms live here: they serve these pages only.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from campaign.counting import CountCachedPaginator
from campaign.views import ActionMixin, ScopedListMixin, ScopedObjectMixin, add_service_errors
from cases import documents
from cases.models import Case, CaseDocument, Notice, ServiceRecord
from cases.services import document as services

K = CaseDocument.Kind
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 3})


def _text(label: str, *, long: bool = False, help_text: str = "") -> forms.CharField:
    if long:
        return forms.CharField(
            label=label, widget=TEXT, required=False, max_length=5000, help_text=help_text
        )
    return forms.CharField(label=label, required=False, max_length=200, help_text=help_text)


class DocumentIssueForm(forms.Form):
    """One form for every kind: each kind's panel shows the fields it takes (`FIELDS`)."""

    kind = forms.ChoiceField(label="文书", choices=K.choices)
    on = forms.DateField(label="文书日期", widget=DATE, required=False)
    opinion = _text("承办人意见", long=True, help_text="不填则写“符合立案条件，建议立案调查”")
    facts = _text("违法事实", long=True, help_text="不填则用案件登记的违法事实")
    evidence = _text("证据", long=True, help_text="每行一项；不填则列出本案问题的现场检查记录")
    correction = _text("责令改正的内容", long=True, help_text="每行一项")
    correct_by = forms.DateField(
        label="改正期限", widget=DATE, required=False, help_text="不填则为“立即改正”"
    )
    government = _text("行政复议机关")
    court = _text("行政诉讼法院")
    hearing_on = forms.DateField(label="听证日期", widget=DATE, required=False)
    hearing_time = _text("听证时间", help_text="如：上午9时")
    hearing_place = _text("听证地点")
    hearing_host = _text("听证主持人")
    contact = _text("联系人及电话")
    bank_name = _text("收款银行")
    bank_account_name = _text("户名")
    bank_account = _text("账号")
    summary = _text("简要案情及查处经过", long=True, help_text="不填则由案件记录生成")
    result = _text("处理依据及结果", long=True, help_text="不填则由处罚决定生成")
    litigation = _text("行政复议、行政诉讼情况", long=True)
    execution = _text("处罚执行情况及罚没财物处置情况", long=True)
    note = _text("备注", long=True)
    receiver = _text("移送机关")
    procuratorate = _text("抄送检察机关", help_text="移送涉嫌犯罪时抄送")
    reason = _text("移送理由", long=True)
    materials = _text("移送材料", long=True, help_text="每行一项；不填则按规定列出")

    def document_fields(self) -> dict[str, Any]:
        """The kind's own fields, as the service takes them."""
        data = self.cleaned_data
        return {name: data.get(name) for name in services.FIELDS[data["kind"]]}


class DocumentServeForm(forms.Form):
    served_on = forms.DateField(label="送达时间", widget=DATE)
    method = forms.ChoiceField(label="送达方式", choices=Notice.Method.choices)
    recipient = forms.CharField(label="签收人", max_length=50, required=False)
    refusal = forms.CharField(label="拒收事由（留置送达）", max_length=200, required=False)
    witnesses = forms.CharField(
        label="见证人（留置送达）",
        max_length=200,
        required=False,
        help_text="无见证人的，写明已拍照、录像记录",
    )
    address = forms.CharField(
        label="送达地址", max_length=300, required=False, help_text="不填则为当事人地址"
    )
    note = forms.CharField(label="备注", max_length=500, required=False)


class NoticeServiceRecordForm(forms.Form):
    confirm = forms.BooleanField(label="已核对告知书的送达方式、时间和签收人")
    witnesses = forms.CharField(label="见证人（留置送达）", max_length=200, required=False)
    address = forms.CharField(label="送达地址", max_length=300, required=False)
    note = forms.CharField(label="备注", max_length=500, required=False)


def _panels(case: Case, user, form: DocumentIssueForm | None = None) -> list[dict[str, Any]]:
    """One panel per document the user may issue now: its fields, with the defaults shown."""
    form = form or DocumentIssueForm(initial={"on": timezone.localdate()})
    defaults = services.defaults_for(case)
    panels = []
    for kind, label in services.kinds_for(case, user):
        fields = [(form[name], defaults.get(name, "")) for name in services.FIELDS[kind]]
        required = services.REQUIRED.get(kind, ())
        panels.append(
            {"kind": kind, "label": label, "fields": fields, "form": form, "required": required}
        )
    return panels


def document_context(request: HttpRequest, case: Case) -> dict[str, Any]:
    """What the case page's documents section (`cases/_documents.html`) lists and offers."""
    user = request.user
    return {
        "documents": services.case_documents(user=user, case=case),
        "notice_records": services.case_notice_records(user=user, case=case),
        "document_panels": _panels(case, user),
        "document_serve_form": DocumentServeForm(initial={"served_on": timezone.localdate()}),
        "notice_record_form": NoticeServiceRecordForm(),
    }


def _case_page(case: Case) -> str:
    return f"{reverse('cases:case', args=[case.pk])}#documents"


class DocumentIssueView(ActionMixin, ScopedObjectMixin, View):
    """签发文书 on a case: numbered and frozen by the service."""

    scoped_model = Case
    required_permission = "cases.handle_case"

    def get_scoped_queryset(self):
        return Case.objects.select_related("enterprise", "county", "city")

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        case = self.get_object()
        form = DocumentIssueForm(request.POST)
        if form.is_valid():
            try:
                document = services.document_issue(
                    actor=request.user,
                    case=case,
                    kind=form.cleaned_data["kind"],
                    on=form.cleaned_data["on"],
                    **form.document_fields(),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                number = document.number or f"案件编号 {case.pk}"
                messages.success(request, f"已签发{document.get_kind_display()}（{number}）。")
                return redirect(_case_page(case))
        kind = form.data.get("kind")
        panels = [p for p in _panels(case, request.user, form) if p["kind"] == kind]
        return render(
            request,
            "cases/documents/issue.html",
            {"case": case, "form": form, "panels": panels},
            status=400,
        )


class DocumentServeView(ActionMixin, ScopedObjectMixin, View):
    """登记送达 of an issued document (its 送达回证)."""

    scoped_model = CaseDocument
    required_permission = "cases.handle_case"

    def get_scoped_queryset(self):
        return CaseDocument.objects.select_related("case")

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        document = self.get_object()
        form = DocumentServeForm(request.POST)
        if form.is_valid():
            try:
                services.document_serve(actor=request.user, document=document, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                label = document.get_kind_display()
                text = f"已登记{label}的送达。"
                if document.kind == K.DECISION and document.case.status == Case.Status.DECIDED:
                    text += "请在案件办理中办理“决定书已送达”，开始计算缴纳罚款期限。"
                messages.success(request, text)
                return redirect(_case_page(document.case))
        return render(
            request,
            "cases/documents/serve.html",
            {"document": document, "case": document.case, "form": form},
            status=400,
        )


class NoticeServiceRecordView(ActionMixin, ScopedObjectMixin, View):
    """登记送达回证 of a served combined notice (its service was recorded when it was served)."""

    scoped_model = Notice
    required_permission = "cases.handle_case"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        notice = self.get_object()
        form = NoticeServiceRecordForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            data.pop("confirm")
            try:
                services.notice_service_record(actor=request.user, notice=notice, **data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"已登记告知书（{notice.number}）的送达回证。")
                return redirect("cases:notice", pk=notice.pk)
        return render(
            request,
            "cases/documents/notice_record.html",
            {"notice": notice, "form": form},
            status=400,
        )


def _pdf_response(pdf: bytes, name: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(name)}"
    return response


class DocumentPdfView(ScopedObjectMixin, View):
    scoped_model = CaseDocument
    required_permission = "cases.view_casedocument"
    accepts_api_token = True

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        document = self.get_object()
        name = f"{document.get_kind_display()}-{document.number or document.case_id}.pdf"
        return _pdf_response(documents.document_pdf(document), name)


class ServiceRecordPdfView(ScopedObjectMixin, View):
    scoped_model = ServiceRecord
    required_permission = "cases.view_casedocument"
    accepts_api_token = True

    def get_scoped_queryset(self):
        return ServiceRecord.objects.select_related(
            "document", "notice", "county", "city", "enterprise"
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        record = self.get_object()
        return _pdf_response(documents.service_record_pdf(record), f"送达回证-{record.pk}.pdf")


class EnterpriseDocumentsView(ScopedListMixin, View):
    """执法文书: an enterprise's documents served on it (decisions, orders, hearing notices) with
    the deadlines that run against it (payment, 整改方案, its answer windows); the bureaus see their
    region's documents the same way."""

    scoped_model = CaseDocument
    required_permission = "cases.view_casedocument"

    def get(self, request: HttpRequest) -> HttpResponse:
        rows = services.document_list(user=request.user)
        page = CountCachedPaginator(rows, 50).get_page(request.GET.get("page"))
        deadlines = services.party_deadlines(page)
        today = timezone.localdate()
        return render(
            request,
            "cases/documents/list.html",
            {
                "page": page,
                "rows": [(d, deadlines.get(d.case_id, [])) for d in page],
                "today": today,
                "query": "",
            },
        )
