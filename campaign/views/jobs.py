"""我的任务: the user's background jobs, each with its progress, its file and its outcome."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views import View

from campaign import counting, jobs
from campaign.models import Job
from campaign.selectors import jobs as selectors
from campaign.services.jobs import job_start
from campaign.views import ScopedListMixin, ScopedObjectMixin, xlsx_response


class JobListView(ScopedListMixin, View):
    scoped_model = Job

    def get(self, request: HttpRequest) -> HttpResponse:
        page = Paginator(selectors.job_list(user=request.user), 30).get_page(
            request.GET.get("page")
        )
        return render(
            request,
            "campaign/jobs.html",
            {"page": page, "query": "", "retention_days": settings.JOB_RETENTION_DAYS},
        )


class JobView(ScopedObjectMixin, View):
    scoped_model = Job

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return render(request, "campaign/job.html", {"job": self.get_object()})


class JobFileView(ScopedObjectMixin, View):
    scoped_model = Job
    accepts_api_token = True  # the API's job lists this file

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        job = self.get_object()
        if job.status != Job.Status.DONE or not job.result_file:
            raise Http404("该任务没有可下载的文件（未完成，或已超过保留期限被删除）。")
        return xlsx_response(job.result_file.open("rb"), job.result_name)


class ExportJobMixin:
    """An export that a background job makes when the list is long (more than EXPORT_JOB_ROWS
    rows, about a second of work): the user is taken to the job's page instead of waiting."""

    export_job: str  # the job kind

    def export_or_job(
        self, request: HttpRequest, rows, respond, *, extra: dict | None = None
    ) -> HttpResponse:
        """`respond()` answers a short list in the request; a long one starts the job with the
        page's filters (and `extra`, what the page knew besides, such as its campaign)."""
        total = counting.count(rows)
        if total <= settings.EXPORT_JOB_ROWS:
            return respond()
        params = jobs.query_params(request.GET) | (extra or {})
        try:
            job = job_start(actor=request.user, kind=self.export_job, params=params)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            return redirect("jobs")
        messages.info(
            request,
            f"共 {total} 条，已转入后台导出。可以离开本页，完成后在“我的任务”中下载。",
        )
        return redirect("job", pk=job.pk)
