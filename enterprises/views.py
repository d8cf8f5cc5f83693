"""Pages of the enterprise registry: thin shells over selectors and services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from campaign import access
from campaign.counting import CountCachedPaginator
from campaign.history import history_rows
from campaign.services.jobs import job_start
from campaign.views import (
    AuthenticatedMixin,
    HistoryExportMixin,
    ScopedListMixin,
    ScopedObjectMixin,
    ServiceFormView,
    xlsx_response,
)
from campaign.views.jobs import ExportJobMixin
from enterprises import exports, selectors, services
from enterprises.filters import EnterpriseFilter
from enterprises.forms import EnterpriseForm, EnterpriseImportForm
from enterprises.models import Enterprise, EnterpriseImport

PAGE_SIZE = 50


class EnterpriseListView(ScopedListMixin, View):
    scoped_model = Enterprise
    required_permission = "enterprises.view_enterprise"

    def get(self, request: HttpRequest) -> HttpResponse:
        filterset = EnterpriseFilter(
            request.GET, queryset=selectors.enterprise_list(user=request.user), request=request
        )
        page = CountCachedPaginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        return render(
            request,
            "enterprises/list.html",
            {
                "filter": filterset,
                "page": page,
                "query": query.urlencode(),
                "can_add": request.user.has_perm("enterprises.add_enterprise"),
                "can_import": request.user.has_perm("enterprises.import_enterprise"),
            },
        )


class EnterpriseExportView(ExportJobMixin, ScopedListMixin, View):
    scoped_model = Enterprise
    required_permission = "enterprises.view_enterprise"
    export_job = "enterprises.export"

    def get(self, request: HttpRequest) -> HttpResponse:
        rows = EnterpriseFilter(
            request.GET, queryset=selectors.enterprise_list(user=request.user), request=request
        ).qs
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        return self.export_or_job(
            request,
            rows,
            lambda: xlsx_response(
                exports.enterprises_workbook(rows.iterator(chunk_size=2000)),
                f"排污单位名单-{stamp}.xlsx",
            ),
        )


class EnterpriseDetailView(ScopedObjectMixin, View):
    scoped_model = Enterprise

    def get_scoped_queryset(self):
        return selectors.enterprise_list(user=self.request.user).prefetch_related("users")

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        enterprise = self.get_object()
        return render(
            request,
            "enterprises/detail.html",
            {
                "enterprise": enterprise,
                "history": history_rows(enterprise),
                "can_change": access.may(request.user, "change", enterprise),
            },
        )


class EnterpriseHistoryExportView(HistoryExportMixin, View):
    scoped_model = Enterprise


class EnterpriseCreateView(AuthenticatedMixin, ServiceFormView):
    required_permission = "enterprises.add_enterprise"
    form_class = EnterpriseForm
    template_name = "enterprises/form.html"

    def get_form_kwargs(self):
        return {"user": self.request.user}

    def perform(self, form):
        return services.enterprise_create(actor=self.request.user, values=form.service_values())

    def get_success_message(self, enterprise):
        return f"已新增排污单位“{enterprise.name}”。"

    def get_success_url(self, enterprise):
        return reverse("enterprises:detail", args=[enterprise.pk])


class EnterpriseUpdateView(ScopedObjectMixin, ServiceFormView):
    scoped_model = Enterprise
    required_permission = "enterprises.change_enterprise"
    form_class = EnterpriseForm
    template_name = "enterprises/form.html"
    success_message = "已保存修改。"

    def get_form_kwargs(self):
        self.object = self.get_object()
        # the form edits a copy: the page's title keeps the stored name while the user corrects it
        copy = Enterprise.objects.get(pk=self.object.pk)
        return {"instance": copy, "user": self.request.user}

    def get_context_data(self, form):
        return {"form": form, "enterprise": self.object}

    def perform(self, form):
        return services.enterprise_update(
            actor=self.request.user, enterprise=self.object, values=form.service_values()
        )

    def get_success_url(self, enterprise):
        return reverse("enterprises:detail", args=[enterprise.pk])


class EnterpriseImportView(AuthenticatedMixin, View):
    required_permission = "enterprises.import_enterprise"

    def _render(
        self, request: HttpRequest, form: EnterpriseImportForm, status: int = 200
    ) -> HttpResponse:
        recent = selectors.enterprise_import_list(user=request.user)[:10]
        return render(
            request, "enterprises/import.html", {"form": form, "recent": recent}, status=status
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, EnterpriseImportForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = EnterpriseImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._render(request, form, status=400)
        upload = form.cleaned_data["file"]
        if form.is_large:  # a long list is imported by a background job: nobody waits on it
            job = job_start(
                actor=request.user,
                kind="enterprises.import",
                params={"list_kind": form.cleaned_data["list_kind"]},
                upload=upload,
                upload_name=upload.name,
            )
            messages.info(
                request,
                "名单较大，已转入后台导入：先逐行校验，全部通过后一次写入。可以离开本页，"
                "结果在“我的任务”中查看。",
            )
            return redirect("job", pk=job.pk)
        record = services.enterprise_import(
            actor=request.user,
            file=upload,
            original_name=upload.name,
            list_kind=form.cleaned_data["list_kind"],
        )
        if record.status == EnterpriseImport.Status.SUCCEEDED:
            messages.success(
                request,
                f"导入成功：新增 {record.created_count} 家，更新 {record.updated_count} 家，"
                f"未变化 {record.unchanged_count} 家。",
            )
        else:
            messages.error(
                request,
                f"校验发现 {record.error_count} 处错误，未写入任何数据。请按错误清单修改后重新上传。",
            )
        return redirect("enterprises:import-detail", pk=record.pk)


class EnterpriseImportTemplateView(AuthenticatedMixin, View):
    required_permission = "enterprises.import_enterprise"

    def get(self, request: HttpRequest) -> HttpResponse:
        return xlsx_response(exports.import_template_workbook(), "排污单位名单导入模板.xlsx")


class EnterpriseImportDetailView(ScopedObjectMixin, View):
    scoped_model = EnterpriseImport

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        record = self.get_object()
        return render(request, "enterprises/import_detail.html", {"record": record})


class EnterpriseImportErrorsView(ScopedObjectMixin, View):
    scoped_model = EnterpriseImport

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        record = self.get_object()
        return xlsx_response(
            exports.import_errors_workbook(record.errors), f"导入错误清单-{record.pk}.xlsx"
        )


__all__: list[Any] = []
