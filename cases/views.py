"""Pages of stage 3: the classification queue, the cases, one case with its steps and clocks,
and 到期提醒."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from campaign.counting import CountCachedPaginator
from campaign.history import history_rows
from campaign.views import (
    ActionMixin,
    ScopedListMixin,
    ScopedObjectMixin,
    ServiceFormView,
    add_service_errors,
    file_stamp,
    list_query,
    xlsx_response,
)
from cases import exports, filters, forms
from cases.models import Case, Classification, Deadline, Measure, Notice, Path
from cases.selectors import case as selectors
from cases.services import case as case_services
from cases.services import classification as classification_services
from cases.services import measure as measure_services
from cases.services import notice as notice_services
from cases.views_documents import document_context
from inspections.models import Problem

S = Case.Status
# the fields each step's panel asks for (besides the date and the note)
STEP_FIELDS = {
    (S.INVESTIGATING, S.REVIEWING): (
        "report",
        "reviewer",
        "proposed_fine",
        "needs_legal_review",
        "major",
    ),
    (S.REVIEWING, S.NOTIFIED): ("proposed_fine", "hearing_right"),
    (S.LEGAL_REVIEW, S.NOTIFIED): ("proposed_fine", "hearing_right"),
    (S.NOTIFIED, S.DECIDED): ("fine", "party_waived"),
    (S.HEARING, S.DECIDED): ("fine",),
    (S.DISCUSSION, S.DECIDED): ("fine",),
    (S.CLOSING, S.CLOSED): ("nothing_to_rectify",),
}


class CaseListView(ScopedListMixin, View):
    scoped_model = Case
    required_permission = "cases.view_case"

    def _filterset(self, request) -> filters.CaseFilter:
        return filters.CaseFilter(
            request.GET, queryset=selectors.case_list(user=request.user), request=request
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        filterset = self._filterset(request)
        page = CountCachedPaginator(filterset.qs, 50).get_page(request.GET.get("page"))
        return render(
            request,
            "cases/cases.html",
            {"filter": filterset, "page": page, "query": list_query(request)},
        )


class CaseExportView(CaseListView):
    def get(self, request: HttpRequest) -> HttpResponse:
        rows = self._filterset(request).qs
        return xlsx_response(exports.cases_workbook(rows), f"案件-{file_stamp()}.xlsx")


class CaseOpenView(ScopedListMixin, ServiceFormView):
    """Open a case directly (a complaint, a monitoring exceedance); the ledger's violations are
    opened from 分类处置."""

    scoped_model = Case
    required_permission = "cases.handle_case"
    shows_rows = False  # a form, not a list
    form_class = forms.CaseOpenForm
    template_name = "cases/case_open.html"

    def get_form_kwargs(self):
        return {"user": self.request.user}

    def perform(self, form):
        data = form.cleaned_data
        return case_services.case_open(
            actor=self.request.user,
            enterprise=data["enterprise"],
            title=data["title"],
            source=data["source"],
            path=data["path"],
            discovered_on=data["discovered_on"],
            violation_type=data["violation_type"],
            facts=data["facts"],
            investigators=data["investigators"],
        )

    def get_success_url(self, result):
        return reverse("cases:case", args=[result.pk])

    def get_success_message(self, result):
        return f"案件已登记（编号 {result.pk}），待负责人审批立案。"


class CaseDetailView(ScopedObjectMixin, View):
    scoped_model = Case
    required_permission = "cases.view_case"

    def get(
        self,
        request: HttpRequest,
        pk: int,
        form=None,
        status: int = 200,
        measure_form=None,
        act_form=None,
    ) -> HttpResponse:
        case = selectors.case_get(user=request.user, pk=pk)
        today = timezone.localdate()
        steps = [
            {
                "to": to,
                "label": label,
                "fields": STEP_FIELDS.get((case.status, to), ()),
                "danger": to in (S.REVOKED, S.NOT_FILED),
            }
            for to, label in case_services.steps_for(case, request.user)
        ]
        return render(
            request,
            "cases/case.html",
            {
                "case": case,
                "today": today,
                "deadlines": [
                    (d, d.is_overdue(today)) for d in selectors.case_deadlines(case=case)
                ],
                "events": selectors.case_events(case=case),
                "problems": selectors.case_problems(user=request.user, case=case),
                "pauses": case.pauses.all(),
                "investigators": case.investigators.all(),
                "steps": steps,
                "step_form": form or forms.StepForm(user=request.user),
                "failed_step": form.data.get("to") if form is not None else None,
                "history": history_rows(case),
                "notices": selectors.case_notices(user=request.user, case=case),
                "measures": [
                    (m, measure_services.actions_for(m, request.user))
                    for m in case.measures.prefetch_related("cycles")
                ],
                "measure_form": measure_form or forms.MeasureStartForm(),
                **document_context(request, case),
                "act_form": act_form,
                "may_draft_notice": request.user.has_perm("cases.handle_case")
                and case.status in (S.REVIEWING, S.LEGAL_REVIEW),
            },
            status=status,
        )


class CaseStepView(ActionMixin, CaseDetailView):
    required_permission = "cases.handle_case"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        case = self.get_object()
        form = forms.StepForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                case_services.case_step(
                    actor=request.user,
                    case=case,
                    to=data["to"],
                    expected=data["expected"],
                    note=data["note"],
                    on=data["on"],
                    **form.step_data(),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"已办理：{Case.Status(data['to']).label}。")
                return redirect("cases:case", pk=case.pk)
        return self.get(request, pk, form=form, status=400)


class ClassifyView(ScopedListMixin, View):
    """分类处置: the primary problems still to be put on a path, filtered like the ledger; the
    bureau ticks some and decides one path for them with a reason."""

    scoped_model = Problem
    required_permission = "cases.handle_case"

    def _filterset(self, request):
        return filters.ClassifyFilter(
            request.GET, queryset=selectors.classification_queue(user=request.user), request=request
        )

    def _render(self, request, form, status=200):
        filterset = self._filterset(request)
        page = CountCachedPaginator(filterset.qs, 50).get_page(request.GET.get("page"))
        rows = [
            (p, *suggested)
            for p, suggested in zip(
                page, classification_services.suggestions_for(page), strict=True
            )
        ]
        return render(
            request,
            "cases/classify.html",
            {
                "filter": filterset,
                "page": page,
                "rows": rows,
                "form": form,
                "query": list_query(request),
                "paths": Path.choices,
                "chosen": {int(v) for v in form.data.getlist("problems") if v.isdigit()}
                if form.is_bound
                else set(),
            },
            status=status,
        )

    def _form(self, request, data=None):
        return forms.ClassifyForm(
            data, user=request.user, queue=selectors.classification_queue(user=request.user)
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, self._form(request))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self._form(request, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                made = classification_services.classify(
                    actor=request.user,
                    problems=data["problems"],
                    path=data["path"],
                    reason=data["reason"],
                    investigators=data["investigators"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                opened = sum(
                    1 for c in made if c.path in (Path.LENIENT, Path.STRICT, Path.TRANSFER)
                )
                text = f"已分类 {len(made)} 个问题：{Path(data['path']).label}"
                messages.success(request, text + (f"，登记案件 {opened} 件。" if opened else "。"))
                return redirect(f"{reverse('cases:classify')}?{list_query(request)}")
        return self._render(request, form, status=400)


class ClassificationListView(ScopedListMixin, View):
    scoped_model = Classification
    required_permission = "cases.view_case"

    def get(self, request: HttpRequest) -> HttpResponse:
        rows = selectors.classification_list(user=request.user)
        page = CountCachedPaginator(rows, 50).get_page(request.GET.get("page"))
        return render(request, "cases/classifications.html", {"page": page, "query": ""})


class DeadlineListView(ScopedListMixin, View):
    """到期提醒: the open clocks of the bureau's cases, overdue first, then by due date."""

    scoped_model = Deadline
    required_permission = "cases.view_case"

    def _filterset(self, request):
        data = request.GET.copy()
        if not data:
            data["within"] = "5"  # by default: what falls due in the next five working days
        return filters.DeadlineFilter(
            data, queryset=selectors.deadline_list(user=request.user), request=request
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        filterset = self._filterset(request)
        page = CountCachedPaginator(filterset.qs, 50).get_page(request.GET.get("page"))
        today = timezone.localdate()
        return render(
            request,
            "cases/deadlines.html",
            {
                "filter": filterset,
                "page": page,
                "rows": [(d, d.is_overdue(today)) for d in page],
                "query": list_query(request),
                "today": today,
                "reminders": selectors.reminders_written(user=request.user, on=today)[:20],
            },
        )


class DeadlineExportView(DeadlineListView):
    def get(self, request: HttpRequest) -> HttpResponse:
        rows = self._filterset(request).qs
        return xlsx_response(exports.deadlines_workbook(rows), f"到期提醒-{file_stamp()}.xlsx")


# --- the combined notice ------------------------------------------------------------------


class NoticeListView(ScopedListMixin, View):
    """事先告知书: the bureau's (drafts included); the enterprise's own once served."""

    scoped_model = Notice
    required_permission = "cases.view_notice"

    def _filterset(self, request):
        return filters.NoticeFilter(
            request.GET, queryset=selectors.notice_list(user=request.user), request=request
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        filterset = self._filterset(request)
        page = CountCachedPaginator(filterset.qs, 50).get_page(request.GET.get("page"))
        return render(
            request,
            "cases/notices.html",
            {"filter": filterset, "page": page, "query": list_query(request)},
        )


class NoticeExportView(NoticeListView):
    def get(self, request: HttpRequest) -> HttpResponse:
        rows = self._filterset(request).qs
        return xlsx_response(exports.notices_workbook(rows), f"事先告知书-{file_stamp()}.xlsx")


class NoticeDetailView(ScopedObjectMixin, View):
    scoped_model = Notice
    required_permission = "cases.view_notice"

    def get(self, request: HttpRequest, pk: int, forms_=None, status: int = 200) -> HttpResponse:
        notice = selectors.notice_get(user=request.user, pk=pk)
        forms_ = forms_ or {}
        handler = request.user.has_perm("cases.handle_case")
        return render(
            request,
            "cases/notice.html",
            {
                "notice": notice,
                "items": notice.items.select_related("case", "problem__item").order_by("order"),
                "replies": selectors.notice_replies(user=request.user, notice=notice),
                "events": notice.events.select_related("by") if handler else (),
                "serve_form": forms_.get("serve")
                or forms.NoticeServeForm(initial={"served_on": timezone.localdate()}),
                "withdraw_form": forms_.get("withdraw") or forms.NoticeWithdrawForm(),
                "reply_form": forms_.get("reply") or forms.ReplyForm(),
                "may_serve": handler and notice.status == Notice.Status.DRAFT,
                "may_reply": request.user.has_perm("cases.reply_notice")
                and notice.status == Notice.Status.SERVED,
                "history": history_rows(notice) if handler else (),
            },
            status=status,
        )


class NoticePdfView(NoticeDetailView):
    accepts_api_token = True

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        from urllib.parse import quote

        notice = self.get_object()
        pdf = exports.notice_pdf(notice, selectors.notice_rules(notice))
        response = HttpResponse(pdf, content_type="application/pdf")
        name = quote(f"事先告知书-{notice.enterprise.name}.pdf")
        response["Content-Disposition"] = f"inline; filename*=UTF-8''{name}"
        return response


class NoticeDraftView(ActionMixin, CaseDetailView):
    """拟定事先告知书 for a case's enterprise: everything of the enterprise at once."""

    required_permission = "cases.handle_case"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        case = self.get_object()
        try:
            notice = notice_services.notice_draft(actor=request.user, enterprise=case.enterprise)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return self.get(request, pk, status=400)
        messages.success(request, f"已拟定告知书，共 {notice.items.count()} 项，请核对后送达。")
        return redirect("cases:notice", pk=notice.pk)


class _NoticeActionView(ActionMixin, NoticeDetailView):
    form_class: type
    form_key: str

    def act(self, notice, data):
        raise NotImplementedError

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        notice = self.get_object()
        form = self.form_class(request.POST)
        if form.is_valid():
            try:
                message = self.act(notice, form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, message)
                return redirect("cases:notice", pk=notice.pk)
        return self.get(request, pk, forms_={self.form_key: form}, status=400)


class NoticeServeView(_NoticeActionView):
    required_permission = "cases.handle_case"
    form_class = forms.NoticeServeForm
    form_key = "serve"

    def act(self, notice, data):
        notice = notice_services.notice_serve(actor=self.request.user, notice=notice, **data)
        return f"告知书已送达（{notice.number}），陈述申辩和听证期限开始计算。"


class NoticeWithdrawView(_NoticeActionView):
    required_permission = "cases.handle_case"
    form_class = forms.NoticeWithdrawForm
    form_key = "withdraw"

    def act(self, notice, data):
        notice_services.notice_withdraw(actor=self.request.user, notice=notice, **data)
        return "告知书已撤回。"


class NoticeReplyView(_NoticeActionView):
    required_permission = "cases.reply_notice"
    form_class = forms.ReplyForm
    form_key = "reply"

    def act(self, notice, data):
        reply = notice_services.reply_submit(actor=self.request.user, notice=notice, **data)
        if reply.is_late:
            return f"已提交{reply.get_kind_display()}。期限已于 {reply.due_date:%Y-%m-%d} 届满，已记为逾期提交，由执法机关决定是否采纳。"
        return f"已提交{reply.get_kind_display()}。"


# --- measures -----------------------------------------------------------------------------


class MeasureStartView(ActionMixin, CaseDetailView):
    required_permission = "cases.handle_case"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        case = self.get_object()
        form = forms.MeasureStartForm(request.POST)
        if form.is_valid():
            try:
                measure = measure_services.measure_start(
                    actor=request.user, case=case, **form.cleaned_data
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"已采取措施：{measure.get_kind_display()}。")
                return redirect(f"{reverse('cases:case', args=[case.pk])}#measures")
        return self.get(request, pk, measure_form=form, status=400)


class MeasureActView(ActionMixin, ScopedObjectMixin, View):
    scoped_model = Measure
    required_permission = "cases.handle_case"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        measure = self.get_object()
        form = forms.MeasureActForm(request.POST)
        if form.is_valid():
            try:
                measure_services.measure_act(
                    actor=request.user, measure=measure, **form.cleaned_data
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "已办理。")
                return redirect(f"{reverse('cases:case', args=[measure.case_id])}#measures")
        view = CaseDetailView()
        view.setup(request, pk=measure.case_id)
        return view.get(request, measure.case_id, act_form=form, status=400)


# --- 免予处罚: 承诺书 and follow-up -----------------------------------------------------------


class ClassificationDetailView(ScopedObjectMixin, View):
    scoped_model = Classification
    required_permission = "cases.view_case"

    def get_scoped_queryset(self):
        return Classification.objects.select_related(
            "problem__item", "enterprise", "classified_by", "county"
        )

    def get(self, request: HttpRequest, pk: int, forms_=None, status: int = 200) -> HttpResponse:
        classification = self.get_object()
        forms_ = forms_ or {}
        return render(
            request,
            "cases/classification.html",
            {
                "c": classification,
                "commitment_form": forms_.get("commitment") or forms.CommitmentForm(),
                "follow_up_form": forms_.get("follow_up")
                or forms.FollowUpForm(initial={"on": timezone.localdate()}),
                "history": history_rows(classification),
                "today": timezone.localdate(),
            },
            status=status,
        )


class _ExemptionActionView(ActionMixin, ClassificationDetailView):
    required_permission = "cases.handle_case"
    form_class: type
    form_key: str

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        classification = self.get_object()
        form = self.form_class(request.POST, request.FILES)
        if form.is_valid():
            try:
                message = self.act(classification, form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, message)
                return redirect("cases:classification", pk=classification.pk)
        return self.get(request, pk, forms_={self.form_key: form}, status=400)


class CommitmentView(_ExemptionActionView):
    form_class = forms.CommitmentForm
    form_key = "commitment"

    def act(self, classification, data):
        found = classification_services.exemption_commitment(
            actor=self.request.user, classification=classification, **data
        )
        return f"已登记承诺书，请于 {found.follow_up_due:%Y-%m-%d} 前现场复查。"


class FollowUpView(_ExemptionActionView):
    form_class = forms.FollowUpForm
    form_key = "follow_up"

    def act(self, classification, data):
        found = classification_services.exemption_follow_up(
            actor=self.request.user, classification=classification, **data
        )
        if found.follow_up_passed:
            return "复查已改正，问题已销号（免予处罚）。"
        return "复查未改正：请登记案件依法处理。"


class FiveKindsView(ScopedListMixin, View):
    """五类案件 and the cases' figures per city, for the user's reach."""

    scoped_model = Case
    required_permission = "cases.view_case"
    shows_rows = False  # figures per city: their scoping is tested by value

    def _figures(self, request):
        from inspections.views.common import _campaign

        campaign = _campaign(request)
        return campaign, *selectors.five_kinds(user=request.user, campaign=campaign)

    def get(self, request: HttpRequest) -> HttpResponse:
        campaign, rows, total = self._figures(request)
        return render(
            request,
            "cases/five_kinds.html",
            {"campaign": campaign, "rows": rows, "total": total, "kinds": selectors.FIVE_KINDS},
        )


class FiveKindsExportView(FiveKindsView):
    def get(self, request: HttpRequest) -> HttpResponse:
        _campaign, rows, total = self._figures(request)
        return xlsx_response(
            exports.five_kinds_workbook(rows, total, selectors.FIVE_KINDS),
            f"五类案件-{file_stamp()}.xlsx",
        )
