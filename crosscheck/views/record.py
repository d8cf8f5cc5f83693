"""Pages of the verification record (核查情况表) and of accountability (问责)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View

from campaign import access
from campaign.counting import CountCachedPaginator
from campaign.views import (
    ActionMixin,
    ScopedListMixin,
    ScopedObjectMixin,
    add_service_errors,
    confirmed,
    file_stamp,
    list_query,
    xlsx_response,
)
from crosscheck import exports, filters, forms
from crosscheck.models import (
    Accountability,
    Finding,
    RecordSignature,
    SampledUnit,
    VerificationRecord,
)
from crosscheck.selectors import record as selectors
from crosscheck.services import record as services

RECORDS = "crosscheck.view_verificationrecord"
ACCOUNT = "crosscheck.view_accountability"


class UnitRecordView(ScopedObjectMixin, View):
    """A sampled unit's 核查情况表: the unit's records to review, the findings, the signatures; a
    team member writes and signs while the round runs."""

    scoped_model = SampledUnit
    required_permission = RECORDS

    def get_scoped_queryset(self):
        return SampledUnit.objects.select_related("enterprise", "city", "county", "draw__round")

    def get(self, request: HttpRequest, pk: int, status: int = 200, **forms_: Any) -> HttpResponse:
        unit = self.get_object()
        # the record through the policy: the unit's own bureaus see the unit, not the findings
        record = (
            access.visible(request.user, VerificationRecord.objects.filter(unit=unit))
            .select_related("team")
            .first()
        )
        member = services.member_of(request.user, unit)
        writer = member is not None and (record is None or record.status == record.Status.DRAFT)
        signed = (
            record is not None
            and member is not None
            and RecordSignature.objects.filter(record=record, member=member).exists()
        )
        context = {
            "unit": unit,
            "record": record,
            "findings": selectors.findings(record) if record else [],
            "signatures": record.signatures.select_related("member__user") if record else [],
            "members": record.team.members.select_related("user") if record else [],
            "writer": writer,
            "may_sign": writer and record is not None and not signed,
            "finding_form": (forms_.get("finding_form") or forms.FindingForm(unit=unit))
            if writer
            else None,
            "sign_form": forms_.get("sign_form")
            or forms.SignForm(initial={"summary": record.summary if record else ""}),
        }
        return render(request, "crosscheck/unit.html", context, status=status)


def _unit_page(request, unit: SampledUnit, **forms_) -> HttpResponse:
    view = UnitRecordView()
    view.setup(request, pk=unit.pk)
    return view.get(request, unit.pk, status=400, **forms_)


class FindingAddView(ActionMixin, ScopedObjectMixin, View):
    scoped_model = SampledUnit
    required_permission = RECORDS

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        unit = self.get_object()
        form = forms.FindingForm(request.POST, unit=unit)
        if form.is_valid():
            try:
                finding = services.finding_record(
                    actor=request.user, unit=unit, **form.service_values()
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request, f"已记录核查发现 {finding.number}：{finding.get_code_display()}。"
                )
                return redirect("crosscheck:unit", pk=unit.pk)
        return _unit_page(request, unit, finding_form=form)


class FindingDeleteView(ActionMixin, ScopedObjectMixin, View):
    scoped_model = Finding
    required_permission = RECORDS

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        finding = self.get_object()
        unit = finding.record.unit
        if not confirmed(request):
            messages.error(request, "请确认后再删除。")
            return _unit_page(request, unit)
        try:
            services.finding_delete(actor=request.user, finding=finding)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            return _unit_page(request, unit)
        messages.success(request, "已删除该核查发现。")
        return redirect("crosscheck:unit", pk=unit.pk)


class RecordSignView(ActionMixin, ScopedObjectMixin, View):
    scoped_model = VerificationRecord
    required_permission = RECORDS

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        record = self.get_object()
        form = forms.SignForm(request.POST)
        if form.is_valid():
            try:
                record = services.record_sign(
                    actor=request.user,
                    record=record,
                    signature=form.cleaned_data["signature"],
                    summary=form.cleaned_data["summary"] or None,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                done = record.status == record.Status.SIGNED
                messages.success(
                    request, "核查组全体成员已签名，核查情况表已签署。" if done else "已签名。"
                )
                return redirect("crosscheck:unit", pk=record.unit_id)
        return _unit_page(request, record.unit, sign_form=form)


class AccountabilityListView(ScopedListMixin, View):
    scoped_model = Accountability
    required_permission = ACCOUNT

    def _filterset(self, request) -> filters.AccountabilityFilter:
        rows = selectors.accountabilities(user=request.user)
        return filters.AccountabilityFilter(request.GET, queryset=rows, request=request)

    def get(self, request: HttpRequest) -> HttpResponse:
        filterset = self._filterset(request)
        page = CountCachedPaginator(filterset.qs, 50).get_page(request.GET.get("page"))
        return render(
            request,
            "crosscheck/accountability_list.html",
            {
                "filter": filterset,
                "page": page,
                "query": list_query(request),
                "today": timezone.localdate(),
            },
        )


class AccountabilityExportView(AccountabilityListView):
    def get(self, request: HttpRequest) -> HttpResponse:
        rows = self._filterset(request).qs
        return xlsx_response(exports.accountability_workbook(rows), f"问责记录-{file_stamp()}.xlsx")


class AccountabilityView(ScopedObjectMixin, View):
    scoped_model = Accountability
    required_permission = ACCOUNT

    def get_scoped_queryset(self):
        return selectors.accountabilities_all()

    def get(self, request: HttpRequest, pk: int, status: int = 200, **forms_: Any) -> HttpResponse:
        row = self.get_object()
        user = request.user
        context = {
            "row": row,
            "events": row.events.select_related("by"),
            "overdue": services.response_overdue(row),
            "may_respond": user.has_perm("crosscheck.respond_accountability")
            and row.person_id != user.pk
            and row.status == row.Status.PROPOSED,
            "may_decide": user.has_perm("crosscheck.decide_accountability")
            and row.status != row.Status.DECIDED,
            "respond_form": forms_.get("respond_form") or forms.RespondForm(),
            "decide_form": forms_.get("decide_form")
            or forms.DecideForm(initial={"decision": row.proposed}),
        }
        return render(request, "crosscheck/accountability.html", context, status=status)


def _row_page(request, row: Accountability, **forms_) -> HttpResponse:
    view = AccountabilityView()
    view.setup(request, pk=row.pk)
    return view.get(request, row.pk, status=400, **forms_)


class RespondView(ActionMixin, ScopedObjectMixin, View):
    scoped_model = Accountability
    required_permission = "crosscheck.respond_accountability"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        row = self.get_object()
        form = forms.RespondForm(request.POST)
        if form.is_valid():
            try:
                services.accountability_respond(actor=request.user, row=row, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "已反馈。")
                return redirect("crosscheck:accountability", pk=row.pk)
        return _row_page(request, row, respond_form=form)


class DecideView(ActionMixin, ScopedObjectMixin, View):
    scoped_model = Accountability
    required_permission = "crosscheck.decide_accountability"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        row = self.get_object()
        form = forms.DecideForm(request.POST)
        if form.is_valid():
            try:
                services.accountability_decide(
                    actor=request.user,
                    row=row,
                    decision=form.cleaned_data["decision"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "已作出问责决定。")
                return redirect("crosscheck:accountability", pk=row.pk)
        return _row_page(request, row, decide_form=form)


class FindingListView(ScopedListMixin, View):
    """核查发现: every finding the user may see, by city, unit and number."""

    scoped_model = Finding
    required_permission = RECORDS

    def _filterset(self, request) -> filters.FindingFilter:
        rows = selectors.findings_list(user=request.user)
        return filters.FindingFilter(request.GET, queryset=rows, request=request)

    def get(self, request: HttpRequest) -> HttpResponse:
        filterset = self._filterset(request)
        page = CountCachedPaginator(filterset.qs, 50).get_page(request.GET.get("page"))
        return render(
            request,
            "crosscheck/findings.html",
            {"filter": filterset, "page": page, "query": list_query(request)},
        )


class FindingExportView(FindingListView):
    def get(self, request: HttpRequest) -> HttpResponse:
        rows = self._filterset(request).qs
        return xlsx_response(exports.findings_workbook(rows), f"核查发现-{file_stamp()}.xlsx")


class RecordPdfView(ScopedObjectMixin, View):
    """核查情况表 as PDF, with the team's signatures."""

    scoped_model = VerificationRecord
    required_permission = RECORDS
    accepts_api_token = True

    def get_scoped_queryset(self):
        return VerificationRecord.objects.select_related(
            "unit__enterprise", "unit__city", "unit__county", "unit__draw__round", "team"
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        record = self.get_object()
        pdf = exports.record_pdf(
            record,
            selectors.findings(record),
            record.signatures.select_related("member__user"),
            printed_by=request.user,
        )
        response = HttpResponse(pdf, content_type="application/pdf")
        name = quote(f"核查情况表-{record.unit.enterprise.name}.pdf")
        response["Content-Disposition"] = f"inline; filename*=UTF-8''{name}"
        return response
