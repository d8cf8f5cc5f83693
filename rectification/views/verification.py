"""核查销号 and returns, extension decisions, the "facility not built" proposals, and 完成率."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views import View

from campaign.counting import CountCachedPaginator
from campaign.models import Region
from campaign.selectors.calendar import campaign_current
from campaign.views import (
    ActionMixin,
    ScopedListMixin,
    ScopedObjectMixin,
    add_service_errors,
    file_stamp,
    list_query,
    xlsx_response,
)
from rectification import exports, filters, forms
from rectification.models import Extension, FacilityProposal, RectificationItem
from rectification.selectors import plan as selectors
from rectification.services import plan as plan_services
from rectification.services import verification as services
from rectification.views.plan import ItemDetailView, _ItemAction


class CheckView(_ItemAction):
    form_name = "check_form"
    required_permission = "rectification.handle_rectification"

    def make_form(self, request, item):
        return forms.CheckForm(request.POST, user=request.user, item=item)

    def perform(self, request, item, form):
        data = form.cleaned_data
        services.item_check(
            actor=request.user,
            item=item,
            method=data["method"],
            checked_on=data["checked_on"],
            officers=data["officers"],
            conclusion=data["conclusion"],
            close=data["close"],
            reason=data["reason"],
            expected=data["expected"] or None,
        )
        self.success = "已销号。" if data["close"] else "已退回整改，企业将看到退回原因。"


class ExtensionDecideView(ActionMixin, ScopedObjectMixin, View):
    scoped_model = Extension
    required_permission = "rectification.handle_rectification"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        extension = self.get_object()
        form = forms.ExtensionDecideForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                plan_services.extension_decide(
                    actor=request.user,
                    extension=extension,
                    grant=data["grant"],
                    note=data["note"],
                    deadline=data["deadline"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "已同意延期。" if data["grant"] else "已不同意延期。")
                return redirect("rectification:item", pk=extension.item_id)
        view = ItemDetailView()
        view.setup(request, pk=extension.item_id)
        return view.get(request, extension.item_id, status=400, decide_form=form)


class ProposalListView(ScopedListMixin, View):
    """按未建设污染防治设施处理: the proposals waiting for the bureau, and those decided."""

    scoped_model = FacilityProposal
    required_permission = "rectification.handle_rectification"

    def _filterset(self, request) -> filters.ProposalFilter:
        rows = selectors.proposals(user=request.user, campaign=campaign_current())
        return filters.ProposalFilter(request.GET, queryset=rows, request=request)

    def get(self, request: HttpRequest) -> HttpResponse:
        filterset = self._filterset(request)
        page = CountCachedPaginator(filterset.qs.order_by("-proposed_at", "-pk"), 50).get_page(
            request.GET.get("page")
        )
        return render(
            request,
            "rectification/proposals.html",
            {"filter": filterset, "page": page, "query": list_query(request)},
        )


class ProposalExportView(ProposalListView):
    def get(self, request: HttpRequest) -> HttpResponse:
        rows = self._filterset(request).qs.order_by("-proposed_at", "-pk")
        return xlsx_response(
            exports.proposals_workbook(rows), f"按未建设设施处理-{file_stamp()}.xlsx"
        )


class ProposalDecideView(ActionMixin, ScopedObjectMixin, View):
    scoped_model = FacilityProposal
    required_permission = "rectification.handle_rectification"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        proposal = self.get_object()
        form = forms.ProposalForm(request.POST, user=request.user, item=proposal.item)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["confirm"]:
                    proposal = services.proposal_confirm(
                        actor=request.user,
                        proposal=proposal,
                        note=data["note"],
                        investigators=data["investigators"],
                    )
                else:
                    services.proposal_dismiss(
                        actor=request.user, proposal=proposal, note=data["note"]
                    )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                if data["confirm"]:
                    messages.success(
                        request,
                        f"已登记违法问题并登记案件（编号 {proposal.case_id}），待负责人审批立案。",
                    )
                else:
                    messages.success(request, "已决定不予处理。")
                return redirect("rectification:item", pk=proposal.item_id)
        view = ItemDetailView()
        view.setup(request, pk=proposal.item_id)
        return view.get(request, proposal.item_id, status=400, proposal_form=form)


class CompletionView(ScopedListMixin, View):
    """完成率 per city (province) or county (city, county): each figure opens its items."""

    scoped_model = RectificationItem
    required_permission = "rectification.view_rectificationplan"
    shows_rows = False  # figures; each opens the 整改台账

    def get(self, request: HttpRequest) -> HttpResponse:
        from campaign import access

        campaign = campaign_current()
        reach = access.jurisdiction(request.user).reach
        level = Region.Level.CITY if reach is access.Reach.ALL else Region.Level.COUNTY
        if request.GET.get("level") == "county":
            level = Region.Level.COUNTY
        rows = selectors.completion(user=request.user, campaign=campaign, level=level)
        totals = {
            key: sum(r[key] for r in rows) for key in ("total", "closed", "overdue", "flagged")
        }
        totals["rate"] = selectors.rate(totals["closed"], totals["total"])
        return render(
            request,
            "rectification/completion.html",
            {
                "rows": rows,
                "totals": totals,
                "level": level,
                "param": "city" if level == Region.Level.CITY else "county",
            },
        )
