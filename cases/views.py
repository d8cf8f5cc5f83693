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
    xlsx_response,
)
from cases import exports, filters, forms
from cases.models import Case, Classification, Deadline, Path
from cases.selectors import case as selectors
from cases.services import case as case_services
from cases.services import classification as classification_services
from inspections.models import Problem
from inspections.views.common import _stamp

S = Case.Status
# the fields each step's panel asks for (besides the date and the note)
STEP_FIELDS = {
    (S.INVESTIGATING, S.REVIEWING): ("report", "reviewer", "proposed_fine"),
    (S.REVIEWING, S.NOTIFIED): ("proposed_fine", "hearing_right"),
    (S.LEGAL_REVIEW, S.NOTIFIED): ("proposed_fine", "hearing_right"),
    (S.NOTIFIED, S.DECIDED): ("fine", "party_waived"),
    (S.HEARING, S.DECIDED): ("fine",),
    (S.DISCUSSION, S.DECIDED): ("fine",),
    (S.CLOSING, S.CLOSED): ("nothing_to_rectify",),
}


def _query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


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
            {"filter": filterset, "page": page, "query": _query(request)},
        )


class CaseExportView(CaseListView):
    def get(self, request: HttpRequest) -> HttpResponse:
        rows = self._filterset(request).qs
        return xlsx_response(exports.cases_workbook(rows), f"案件-{_stamp()}.xlsx")


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

    def get(self, request: HttpRequest, pk: int, form=None, status: int = 200) -> HttpResponse:
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
        rows = [(p, *classification_services.suggestion_for(p)) for p in page]
        return render(
            request,
            "cases/classify.html",
            {
                "filter": filterset,
                "page": page,
                "rows": rows,
                "form": form,
                "query": _query(request),
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
                return redirect(f"{reverse('cases:classify')}?{_query(request)}")
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
                "query": _query(request),
                "today": today,
                "reminders": selectors.reminders_written(user=request.user, on=today)[:20],
            },
        )


class DeadlineExportView(DeadlineListView):
    def get(self, request: HttpRequest) -> HttpResponse:
        rows = self._filterset(request).qs
        return xlsx_response(exports.deadlines_workbook(rows), f"到期提醒-{_stamp()}.xlsx")
