"""指导: the bureau's guidance visits and trainings."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views import View

from campaign.counting import CountCachedPaginator
from campaign.selectors.calendar import campaign_current
from campaign.views import ScopedListMixin, ServiceFormView, file_stamp, list_query, xlsx_response
from rectification import exports, filters, forms
from rectification.models import GuidanceActivity
from rectification.selectors import guidance as selectors
from rectification.services import guidance as services


class GuidanceListView(ScopedListMixin, View):
    scoped_model = GuidanceActivity
    required_permission = "rectification.handle_rectification"

    def _filterset(self, request) -> filters.GuidanceFilter:
        rows = selectors.activities(user=request.user, campaign=campaign_current())
        return filters.GuidanceFilter(request.GET, queryset=rows, request=request)

    def get(self, request: HttpRequest) -> HttpResponse:
        filterset = self._filterset(request)
        page = CountCachedPaginator(filterset.qs, 50).get_page(request.GET.get("page"))
        return render(
            request,
            "rectification/guidance.html",
            {"filter": filterset, "page": page, "query": list_query(request)},
        )


class GuidanceExportView(GuidanceListView):
    def get(self, request: HttpRequest) -> HttpResponse:
        rows = self._filterset(request).qs
        return xlsx_response(exports.guidance_workbook(rows), f"帮扶指导与培训-{file_stamp()}.xlsx")


class GuidanceNewView(ScopedListMixin, ServiceFormView):
    scoped_model = GuidanceActivity
    required_permission = "rectification.handle_rectification"
    shows_rows = False
    form_class = forms.GuidanceForm
    template_name = "rectification/guidance_new.html"

    def get_form_kwargs(self):
        return {"user": self.request.user}

    def perform(self, form):
        data = form.cleaned_data
        return services.guidance_record(actor=self.request.user, **data)

    def get_success_url(self, result):
        return reverse("rectification:guidance")

    def get_success_message(self, result):
        return f"已记录：{result.get_kind_display()}“{result.topic}”。"
