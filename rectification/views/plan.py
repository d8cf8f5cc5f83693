"""整改台账, the plans, one plan, one item with the enterprise's side (progress, evidence, 申请销号,
延期) and the bureau's edit of the plan."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View

from campaign import counting
from campaign.counting import CountCachedPaginator
from campaign.history import history_rows
from campaign.selectors.calendar import campaign_current
from campaign.services.jobs import job_start
from campaign.views import (
    ActionMixin,
    ScopedListMixin,
    ScopedObjectMixin,
    add_service_errors,
    file_stamp,
    list_query,
    xlsx_response,
)
from campaign.views.jobs import ExportJobMixin
from inspections.services.evidence import MAX_EVIDENCE_BYTES
from rectification import exports, filters, forms
from rectification.models import RectificationItem, RectificationPlan
from rectification.selectors import plan as selectors
from rectification.services import plan as services
from rectification.services import verification as verification_services

S = RectificationItem.Status


class ItemListView(ScopedListMixin, View):
    """整改台账: every item in the user's reach, filtered; the enterprise sees its own."""

    scoped_model = RectificationItem
    required_permission = "rectification.view_rectificationplan"

    def _filterset(self, request) -> filters.ItemFilter:
        rows = selectors.items(user=request.user, campaign=campaign_current())
        return filters.ItemFilter(request.GET, queryset=rows, request=request)

    def get(self, request: HttpRequest) -> HttpResponse:
        filterset = self._filterset(request)
        page = CountCachedPaginator(filterset.qs, 50).get_page(request.GET.get("page"))
        return render(
            request,
            "rectification/items.html",
            {
                "filter": filterset,
                "page": page,
                "query": list_query(request),
                "today": timezone.localdate(),
            },
        )


class ItemExportView(ExportJobMixin, ItemListView):
    """A short list is answered here; a long one is written by the job with the page's filters."""

    export_job = "rectification.items.export"

    def get(self, request: HttpRequest) -> HttpResponse:
        rows = self._filterset(request).qs
        campaign = campaign_current()
        return self.export_or_job(
            request,
            rows,
            lambda: xlsx_response(
                exports.items_workbook(
                    selectors.items_for_export(user=request.user, queryset=rows)
                ),
                f"整改台账-{file_stamp()}.xlsx",
            ),
            extra={"campaign_id": campaign.pk} if campaign else None,
        )


class PlanListView(ScopedListMixin, View):
    """一企一案: the plans with their figures, and what 登记造册 still has to gather."""

    scoped_model = RectificationPlan
    required_permission = "rectification.view_rectificationplan"

    def _filterset(self, request) -> filters.PlanFilter:
        rows = selectors.plans(user=request.user, campaign=campaign_current())
        return filters.PlanFilter(request.GET, queryset=rows, request=request)

    def get(self, request: HttpRequest, status: int = 200, errors=()) -> HttpResponse:
        campaign = campaign_current()
        filterset = self._filterset(request)
        page = CountCachedPaginator(filterset.qs, 50).get_page(request.GET.get("page"))
        page.object_list = selectors.with_figures(page.object_list)
        waiting_count, waiting_units = None, []
        if request.user.has_perm("rectification.handle_rectification"):
            waiting = selectors.problems_without_item(user=request.user, campaign=campaign)
            # both cached until a problem, an item or a unit is written; the units only when
            # some wait
            waiting_count = counting.count(waiting)
            if waiting_count:
                waiting_units = counting.rows(
                    selectors.units_waiting(user=request.user, campaign=campaign)
                )
        return render(
            request,
            "rectification/plans.html",
            {
                "page": page,
                "filter": filterset,
                "query": list_query(request),
                "waiting_count": waiting_count,
                "waiting_units": waiting_units,
                "errors": errors,
            },
            status=status,
        )


class PlanExportView(PlanListView):
    def get(self, request: HttpRequest) -> HttpResponse:
        rows = selectors.with_all_figures(self._filterset(request).qs)
        return xlsx_response(exports.plans_workbook(rows), f"一企一案-{file_stamp()}.xlsx")


class BuildView(ActionMixin, ScopedListMixin, View):
    """登记造册 for one enterprise (POST): its plan made or completed."""

    scoped_model = RectificationPlan
    required_permission = "rectification.handle_rectification"

    def post(self, request: HttpRequest) -> HttpResponse:
        form = forms.BuildForm(request.POST, user=request.user)
        if not form.is_valid():
            return _plans_again(request, ["请选择管辖范围内的企业。"])
        try:
            plan = services.plan_build(
                actor=request.user, enterprise=form.cleaned_data["enterprise"]
            )
        except ValidationError as exc:
            return _plans_again(request, exc.messages)
        messages.success(
            request, f"已登记造册：{plan.enterprise.name}，共 {plan.items.count()} 项。"
        )
        return redirect("rectification:plan", pk=plan.pk)


class BuildRegionView(ActionMixin, ScopedListMixin, View):
    """登记造册 for the whole region of the bureau (POST): every enterprise with open problems."""

    scoped_model = RectificationPlan
    required_permission = "rectification.handle_rectification"

    def post(self, request: HttpRequest) -> HttpResponse:
        if request.POST.get("confirm") != "yes":
            return _plans_again(request, ["请确认为辖区全部企业登记造册。"])
        # a city registers thousands of units (minutes): a background job with its progress
        try:
            job = job_start(actor=request.user, kind="rectification.plans.build", params={})
        except ValidationError as exc:
            return _plans_again(request, exc.messages)
        messages.info(request, "已转入后台登记造册，可以离开本页；完成后在“我的任务”中查看结果。")
        return redirect("job", pk=job.pk)


def _plans_again(request: HttpRequest, errors) -> HttpResponse:
    """The plans page again with why a 登记造册 was refused (400)."""
    view = PlanListView()
    view.setup(request)
    return view.get(request, status=400, errors=list(errors))


class PlanDetailView(ScopedObjectMixin, View):
    scoped_model = RectificationPlan
    required_permission = "rectification.view_rectificationplan"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        plan = selectors.plan_detail(user=request.user, pk=pk)
        items = selectors.plan_items(user=request.user, plan=plan)
        counted = [i for i in items if i.status in RectificationItem.COUNTED]
        closed = sum(1 for i in counted if i.status == S.CLOSED)
        return render(
            request,
            "rectification/plan.html",
            {
                "plan": plan,
                "items": items,
                "today": timezone.localdate(),
                "rate": selectors.rate(closed, len(counted)),
                "closed": closed,
                "total": len(counted),
                "history": history_rows(plan),
            },
        )


class PlanPdfView(ScopedObjectMixin, View):
    scoped_model = RectificationPlan
    required_permission = "rectification.view_rectificationplan"
    accepts_api_token = True

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        plan = selectors.plan_detail(user=request.user, pk=pk)
        items = selectors.plan_items(user=request.user, plan=plan)
        pdf = exports.plan_pdf(plan, items, printed_by=request.user)
        response = HttpResponse(pdf, content_type="application/pdf")
        name = quote(f"一企一案整改方案-{plan.enterprise.name}.pdf")
        response["Content-Disposition"] = f"inline; filename*=UTF-8''{name}"
        return response


class ItemDetailView(ScopedObjectMixin, View):
    scoped_model = RectificationItem
    required_permission = "rectification.view_rectificationplan"

    def get(self, request: HttpRequest, pk: int, status: int = 200, **forms_: Any) -> HttpResponse:
        item = selectors.item_detail(user=request.user, pk=pk)
        user = request.user
        bureau = user.has_perm("rectification.handle_rectification")
        writer = bureau or user.has_perm("rectification.report_rectification")
        working = item.status in RectificationItem.WORKING
        editable = writer and item.status not in (S.CLOSED, S.CANCELLED)
        today = timezone.localdate()
        context = {
            "item": item,
            "plan": item.plan,
            "problem": item.problem,
            "measures": list(item.measures.all()),
            "milestones": list(item.milestones.all()),
            "today": today,
            "max_evidence_bytes": MAX_EVIDENCE_BYTES,
            "bureau": bureau,
            "writer": writer,
            "editable": editable,
            "working": working,
            "due_soon": item.deadline is not None
            and working
            and today <= item.deadline <= today + timezone.timedelta(days=7),
            "unmet": [
                str(c.label)
                for c in map(verification_services.C, verification_services.unmet_conditions(item))
            ]
            if bureau
            else [],
            "history": history_rows(item) if bureau else [],
            **selectors.item_history(user=user, item=item),
        }
        if editable:
            context["item_form"] = forms_.get("item_form") or forms.ItemForm(
                initial=forms.ItemForm.initial_for(item), user=user, item=item
            )
            context["progress_form"] = forms_.get("progress_form") or forms.ProgressForm(item=item)
            context["evidence_form"] = forms_.get("evidence_form") or forms.EvidenceForm()
        if writer and working:
            context["apply_form"] = forms_.get("apply_form") or forms.ApplyForm(
                initial={"expected": item.status}
            )
            context["extension_form"] = forms_.get("extension_form") or forms.ExtensionForm()
        if bureau and item.is_open:
            context["check_form"] = forms_.get("check_form") or forms.CheckForm(
                initial={"expected": item.status, "checked_on": today, "method": "site"},
                user=user,
                item=item,
            )
            context["decide_form"] = forms_.get("decide_form") or forms.ExtensionDecideForm()
        if bureau and context["proposal"] and context["proposal"].status == "proposed":
            context["proposal_form"] = forms_.get("proposal_form") or forms.ProposalForm(
                user=user, item=item
            )
        return render(request, "rectification/item.html", context, status=status)


class _ItemAction(ActionMixin, ItemDetailView):
    """A form on the item's page posted to its own address; a refusal shows the page again with
    what was typed (400)."""

    required_permission = "rectification.change_rectificationitem"
    form_name = ""
    success = "已保存。"

    def make_form(self, request, item):
        raise NotImplementedError

    def perform(self, request, item, form):
        raise NotImplementedError

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        item = self.get_object()
        form = self.make_form(request, item)
        if form.is_valid():
            try:
                self.perform(request, item, form)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, self.success)
                return redirect("rectification:item", pk=item.pk)
        return self.get(request, pk, status=400, **{self.form_name: form})


class ItemEditView(_ItemAction):
    form_name = "item_form"
    success = "整改方案已保存。"

    def make_form(self, request, item):
        return forms.ItemForm(request.POST, user=request.user, item=item)

    def perform(self, request, item, form):
        services.item_update(
            actor=request.user,
            item=item,
            values=form.values(),
            measures=form.cleaned_data["measures"],
            milestones=form.cleaned_data["milestones"],
        )


class MeasureDoneView(_ItemAction):
    form_name = "item_form"
    success = "已记录措施完成情况。"

    def make_form(self, request, item):
        return forms.MeasureDoneForm(request.POST)

    def perform(self, request, item, form):
        measure = item.measures.filter(pk=form.cleaned_data["measure"]).first()
        if measure is None:
            raise ValidationError("该整改措施不属于本事项。")
        services.measure_done(
            actor=request.user, item=item, measure=measure, done_on=form.cleaned_data["done_on"]
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        item = self.get_object()
        form = self.make_form(request, item)
        if form.is_valid():
            try:
                self.perform(request, item, form)
            except ValidationError as exc:
                messages.error(request, "；".join(exc.messages))
                return self.get(request, pk, status=400)
            messages.success(request, self.success)
            return redirect("rectification:item", pk=item.pk)
        messages.error(request, "请填写有效的完成日期。")
        return self.get(request, pk, status=400)


def _meta(data: dict) -> dict:
    return {k: data.get(k) for k in ("taken_at", "latitude", "longitude", "note")}


class ProgressView(_ItemAction):
    form_name = "progress_form"
    success = "整改进展已报送。"

    def make_form(self, request, item):
        return forms.ProgressForm(request.POST, request.FILES, item=item)

    def perform(self, request, item, form):
        data = form.cleaned_data
        files = request.FILES.getlist("files")
        services.progress_report(
            actor=request.user,
            item=item,
            text=data["text"],
            on=data["on"],
            milestone=data["milestone"],
            milestone_done=data["milestone_done"],
            uploads=[(data["kind"], upload, {}) for upload in files],
        )


class EvidenceView(_ItemAction):
    form_name = "evidence_form"
    success = "佐证材料已上传。"

    def make_form(self, request, item):
        return forms.EvidenceForm(request.POST, request.FILES)

    def perform(self, request, item, form):
        data = form.cleaned_data
        services.evidence_attach(
            actor=request.user,
            item=item,
            kind=data["kind"],
            upload=data["file"],
            upload_id=data["upload"],
            meta=_meta(data),
            # the page's hidden fields come from the photo's EXIF: a bad value is left out
            strict_meta=False,
        )


class ApplyView(_ItemAction):
    form_name = "apply_form"
    success = "已申请销号，等待监管部门核查。"

    def make_form(self, request, item):
        return forms.ApplyForm(request.POST)

    def perform(self, request, item, form):
        services.item_apply(
            actor=request.user,
            item=item,
            note=form.cleaned_data["note"],
            expected=form.cleaned_data["expected"] or None,
        )


class ExtensionRequestView(_ItemAction):
    form_name = "extension_form"
    success = "延期申请已提交，等待监管部门审核。"

    def make_form(self, request, item):
        return forms.ExtensionForm(request.POST)

    def perform(self, request, item, form):
        services.extension_request(
            actor=request.user,
            item=item,
            reason=form.cleaned_data["reason"],
            deadline=form.cleaned_data["deadline"],
        )
