"""Pages of stage 1: the self-check table (附件2), its review, coverage and the units that have not
submitted."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from campaign.counting import CountCachedPaginator
from campaign.history import history_rows
from campaign.selectors import calendar as calendar_selectors
from campaign.views import (
    ActionMixin,
    ScopedListMixin,
    ScopedObjectMixin,
    add_service_errors,
    file_stamp,
    xlsx_response,
)
from campaign.views.jobs import ExportJobMixin
from enterprises.models import Enterprise
from inspections import filters
from inspections.exports import selfcheck as exports
from inspections.forms.selfcheck import AnswerForm, EvidenceForm, FileForm, HeaderForm, ReturnForm
from inspections.models import Area, SelfCheck, SelfCheckAnswer
from inspections.selectors import selfcheck as selectors
from inspections.services import selfcheck as services
from inspections.views.common import FILL, REVIEW, _campaign, gap_links, sections


class SelfCheckListView(ScopedListMixin, View):
    scoped_model = SelfCheck
    required_permission = "inspections.view_selfcheck"

    def _filtered(self, request):
        campaign = _campaign(request)
        filterset = filters.SelfCheckFilter(
            request.GET,
            queryset=selectors.self_check_list(user=request.user, campaign=campaign),
            request=request,
        )
        rows = filterset.qs
        status = request.GET.get("status") or ""
        return (
            campaign,
            filterset,
            # regions are loaded in code order, so their keys sort like their codes (no join)
            rows.order_by(
                "-enterprise__is_key_unit",
                "city_id",
                "county_id",
                "enterprise__name",
            ),
            status,
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        campaign, filterset, rows, status = self._filtered(request)
        mine = []
        if request.user.has_perm(FILL):
            existing = {sc.enterprise_id: sc for sc in rows}
            mine = [(e, existing.get(e.pk)) for e in request.user.enterprises.all()]
        page = CountCachedPaginator(rows, 50).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        return render(
            request,
            "inspections/self_checks.html",
            {
                "filter": filterset,
                "campaign": campaign,
                "page": page,
                "status": status,
                "statuses": SelfCheck.Status.choices,
                "mine": mine,
                "can_review": request.user.has_perm(REVIEW),
                "query": query.urlencode(),
                "window": calendar_selectors.window_for(
                    campaign, "self_check", city_id=calendar_selectors.user_city_id(request.user)
                ),
            },
        )


class SelfCheckExportView(ExportJobMixin, SelfCheckListView):
    export_job = "self_checks.export"

    def get(self, request: HttpRequest) -> HttpResponse:
        campaign, _filterset, rows, _status = self._filtered(request)
        return self.export_or_job(
            request,
            rows,
            lambda: xlsx_response(
                exports.self_checks_workbook(rows.iterator(chunk_size=1000)),
                f"自查情况表-{file_stamp()}.xlsx",
            ),
            extra={"campaign_id": campaign.pk},
        )


class SelfCheckOpenView(ScopedObjectMixin, View):
    """An enterprise user starts (or continues) its table for the current campaign."""

    scoped_model = Enterprise
    required_permission = FILL

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        enterprise = self.get_object()
        campaign = _campaign(request)
        if request.POST.get("campaign") != str(campaign.year):
            return render(
                request,
                "campaign/confirm.html",
                {"question": f"开始填写{campaign.name}的自查情况表？"},
                status=400,
            )
        try:
            self_check = services.self_check_open(
                actor=request.user, enterprise=enterprise, campaign=campaign
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("inspections:self-checks")
        return redirect("inspections:self-check", pk=self_check.pk)


class SelfCheckDetailView(ScopedObjectMixin, View):
    scoped_model = SelfCheck

    def get_object(self):
        return selectors.self_check_get(user=self.request.user, pk=self.kwargs["pk"])

    def render_page(
        self, request, sc, *, header_form=None, missing=None, return_form=None, status=200
    ):
        editable = (
            sc.status in (SelfCheck.Status.DRAFT, SelfCheck.Status.RETURNED)
            and request.user.has_perm(FILL)
            and request.user.enterprises.filter(pk=sc.enterprise_id).exists()
        )
        groups = []
        for area_value, area_label in Area.choices:
            answers = [a for a in sc.answers.all() if a.item.area == area_value]
            if answers:
                groups.append(
                    (area_label, [(a, AnswerForm(instance=a, prefix=f"a{a.pk}")) for a in answers])
                )
        # each section with its index entry (label, anchor, answered x of n)
        groups = [(*g, sec) for g, sec in zip(groups, sections(groups, "compliant"), strict=True)]
        return render(
            request,
            "inspections/self_check.html",
            {
                "sc": sc,
                "groups": groups,
                "editable": editable,
                "header_form": header_form or HeaderForm(instance=sc),
                "missing": gap_links(
                    missing or [], {a.item.code: f"#item-{a.pk}" for a in sc.answers.all()}
                ),
                "sections": [section for *_rest, section in groups],
                "evidence_form": EvidenceForm(),
                "can_review": sc.status == SelfCheck.Status.SUBMITTED
                and request.user.has_perm(REVIEW),
                "return_form": return_form or ReturnForm(),
                "file_form": FileForm(initial={"confirm": "yes"}),
                "history": history_rows(sc),
                "submissions": sc.submissions.all(),
                "answered": sum(1 for a in sc.answers.all() if a.result),
                "total": len(sc.answers.all()),
            },
            status=status,
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render_page(request, self.get_object())


class SelfCheckHeaderView(ActionMixin, SelfCheckDetailView):
    required_permission = FILL

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        sc = self.get_object()
        form = HeaderForm(request.POST, instance=SelfCheck.objects.get(pk=sc.pk))
        if not any(f in request.POST for f in HeaderForm.Meta.fields):
            form.add_error(None, "没有收到任何内容。")
        if form.is_valid():
            try:
                services.self_check_save_header(
                    actor=request.user, self_check=sc, values=form.cleaned_data
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "表头已保存。")
                return redirect(reverse("inspections:self-check", args=[sc.pk]) + "#header")
        return self.render_page(request, sc, header_form=form, status=400)


def _page_with_errors(request: HttpRequest, answer: SelfCheckAnswer) -> HttpResponse:
    """A plain form post that failed: the table again, with the message, as a 400."""
    view = SelfCheckDetailView()
    view.request, view.kwargs = request, {"pk": answer.self_check_id}
    return view.render_page(request, view.get_object(), status=400)


class AnswerSaveView(ScopedObjectMixin, View):
    """Save one item as a plain form post (the page's script saves through the API)."""

    scoped_model = SelfCheckAnswer
    required_permission = FILL

    def get_scoped_queryset(self):
        return SelfCheckAnswer.objects.select_related("self_check__enterprise", "item")

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        answer = self.get_object()
        form = AnswerForm(
            request.POST, instance=SelfCheckAnswer.objects.get(pk=answer.pk), prefix=f"a{answer.pk}"
        )
        if form.is_valid():
            try:
                answer = services.self_check_save_answer(
                    actor=request.user, answer=answer, values=form.cleaned_data
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
        if form.errors:
            errors = [str(m) for v in form.errors.values() for m in v]
            messages.error(request, f"{answer.item.code}：" + "；".join(errors))
            return _page_with_errors(request, answer)
        return redirect(
            reverse("inspections:self-check", args=[answer.self_check_id]) + f"#item-{answer.pk}"
        )


class AnswerEvidenceView(AnswerSaveView):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        answer = self.get_object()
        form = EvidenceForm(request.POST, request.FILES)
        error = None
        if form.is_valid():
            try:
                evidence = services.self_check_add_evidence(
                    actor=request.user, answer=answer, upload=form.cleaned_data["file"]
                )
            except ValidationError as exc:
                error = " ".join(exc.messages)
        else:
            error = "；".join(m for v in form.errors.values() for m in v)
        if error:
            messages.error(request, f"{answer.item.code}：{error}")
            return _page_with_errors(request, answer)
        messages.success(request, f"已上传“{evidence.original_name}”。")
        return redirect(
            reverse("inspections:self-check", args=[answer.self_check_id]) + f"#item-{answer.pk}"
        )


class SelfCheckSubmitView(ActionMixin, SelfCheckDetailView):
    required_permission = FILL

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        sc = self.get_object()
        try:
            sc = services.self_check_submit(actor=request.user, self_check=sc)
        except ValidationError as exc:
            return self.render_page(request, self.get_object(), missing=exc.messages, status=400)
        late = "（已过自查阶段截止日期，记为逾期提交）" if sc.is_late else ""
        messages.success(request, f"自查情况表已提交，等待县级生态环境部门备案{late}。")
        return redirect("inspections:self-check", pk=sc.pk)


class SelfCheckFileView(ActionMixin, SelfCheckDetailView):
    required_permission = REVIEW

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        sc = self.get_object()
        form = FileForm(request.POST)
        if not form.is_valid():
            messages.error(request, "请确认备案。")
            return self.render_page(request, sc, status=400)
        try:
            services.self_check_file(
                actor=request.user, self_check=sc, comment=form.cleaned_data["comment"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return self.render_page(request, sc, status=400)
        messages.success(request, "已备案。不符合项已登记到问题台账（企业自查发现）。")
        return redirect("inspections:self-check", pk=sc.pk)


class SelfCheckReturnView(ActionMixin, SelfCheckDetailView):
    required_permission = REVIEW

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        sc = self.get_object()
        form = ReturnForm(request.POST)
        if form.is_valid():
            try:
                services.self_check_return(
                    actor=request.user, self_check=sc, comment=form.cleaned_data["comment"]
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "已退回，企业可修改后重新提交。")
                return redirect("inspections:self-check", pk=sc.pk)
        return self.render_page(request, sc, return_form=form, status=400)


class SelfCheckPdfView(SelfCheckDetailView):
    accepts_api_token = True  # the API links here (pdf_url, evidence url)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        sc = self.get_object()
        response = HttpResponse(exports.self_check_pdf(sc), content_type="application/pdf")
        response["Content-Disposition"] = (
            f"inline; filename*=UTF-8''{_quote(sc.enterprise.name)}-selfcheck.pdf"
        )
        return response


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(f"自查情况表-{text}")


class SelfCheckExcelView(SelfCheckDetailView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        sc = self.get_object()
        return xlsx_response(
            exports.self_check_workbook(sc), f"自查情况表-{sc.enterprise.name}.xlsx"
        )


class CoverageView(ScopedListMixin, View):
    scoped_model = SelfCheck
    shows_rows = False  # figures per region, not rows: their scoping is tested by value

    def _rows(self, request):
        by = "city" if request.GET.get("by") == "city" else "county"
        return by, selectors.coverage(user=request.user, campaign=_campaign(request), by=by)

    def get(self, request: HttpRequest) -> HttpResponse:
        campaign = _campaign(request)
        by, rows = self._rows(request)
        return render(
            request,
            "inspections/coverage.html",
            {
                "rows": rows,
                "total": selectors.coverage_total(rows),
                "by": by,
                "campaign": campaign,
                # reversed once, not once per cell (157 counties × 5 figures)
                "self_checks_url": reverse("inspections:self-checks"),
                "missing_url": reverse("inspections:missing"),
            },
        )


class CoverageExportView(CoverageView):
    def get(self, request: HttpRequest) -> HttpResponse:
        by, rows = self._rows(request)
        return xlsx_response(
            exports.coverage_workbook(rows, selectors.coverage_total(rows), by),
            f"企业自查覆盖情况-{file_stamp()}.xlsx",
        )


class MissingView(ScopedListMixin, View):
    scoped_model = Enterprise

    def _filterset(self, request) -> filters.MissingFilter:
        return filters.MissingFilter(
            request.GET,
            queryset=selectors.enterprises_without_submission(
                user=request.user, campaign=_campaign(request)
            ),
            request=request,
        )

    def _rows(self, request):
        return self._filterset(request).qs

    def get(self, request: HttpRequest) -> HttpResponse:
        filterset = self._filterset(request)
        page = CountCachedPaginator(filterset.qs, 50).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        return render(
            request,
            "inspections/missing.html",
            {"filter": filterset, "page": page, "query": query.urlencode()},
        )


class MissingExportView(ExportJobMixin, MissingView):
    export_job = "self_checks.missing_export"

    def get(self, request: HttpRequest) -> HttpResponse:
        rows = self._rows(request)
        return self.export_or_job(
            request,
            rows,
            lambda: xlsx_response(
                exports.missing_workbook(rows.iterator(chunk_size=1000)),
                f"未提交自查表单位-{file_stamp()}.xlsx",
            ),
            extra={"campaign_id": _campaign(request).pk},
        )
