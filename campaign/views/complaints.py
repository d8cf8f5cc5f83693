"""The public complaint channel and the patrol group's handling of complaints."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views import View
from django_ratelimit.decorators import ratelimit

from campaign import access, exports, filters
from campaign.forms import (
    ComplaintForm,
    ComplaintLookupForm,
    ComplaintTransitionForm,
)
from campaign.models import (
    Complaint,
    ComplaintAttachment,
)
from campaign.selectors import calendar as calendar_selectors
from campaign.selectors import organisation as selectors
from campaign.services import complaints as complaint_services
from campaign.views import (
    ActionMixin,
    ScopedListMixin,
    ScopedObjectMixin,
    client_ip,
    xlsx_response,
)
from campaign.views.common import stamp


def _rate_limited(request: HttpRequest) -> HttpResponse:
    return render(request, "campaign/complaint_limited.html", status=429)


class ComplaintCreateView(View):
    """The public page: no login; anyone may report misconduct by enforcement staff."""

    access = "public"

    def _render(self, request, form, status=200):
        return render(
            request,
            "campaign/complaint_form.html",
            {"form": form, "campaign": calendar_selectors.campaign_current()},
            status=status,
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, ComplaintForm())

    @method_decorator(ratelimit(key="ip", rate="5/h", method="POST", block=False))
    def post(self, request: HttpRequest) -> HttpResponse:
        if getattr(request, "limited", False):
            return _rate_limited(request)
        form = ComplaintForm(request.POST, request.FILES)
        if form.is_valid():
            values = {
                k: v for k, v in form.cleaned_data.items() if k not in ("attachments", "website")
            }
            try:
                complaint = complaint_services.complaint_file(
                    values=values,
                    attachments=form.cleaned_data["attachments"],
                    client_ip=client_ip(request),
                    campaign=calendar_selectors.campaign_current(),
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for field, errors in exc.message_dict.items():
                        for message in errors:
                            form.add_error(field if field in form.fields else None, message)
                else:
                    form.add_error("attachments", exc)
            else:
                # post/redirect/get: a reload of the confirmation never files the report again
                # kept for a short while only: on a shared computer the next person must not
                # find the code (it opens the complaint's status and conclusion)
                request.session[DONE_KEY] = {
                    "code": complaint.tracking_code,
                    "until": (timezone.now() + dt.timedelta(minutes=DONE_MINUTES)).isoformat(),
                }
                return redirect("public:complaint-done")
        return self._render(request, form, status=400)


DONE_KEY = "complaint_tracking_code"
DONE_MINUTES = 10


class ComplaintDoneView(View):
    """The confirmation with the tracking code, for the browser that filed the report."""

    access = "public"

    def get(self, request: HttpRequest) -> HttpResponse:
        # without a report filed from this browser lately the page says so (and links to the form)
        done = request.session.get(DONE_KEY) or {}
        code = done.get("code") if isinstance(done, dict) else None
        if code and dt.datetime.fromisoformat(done["until"]) < timezone.now():
            request.session.pop(DONE_KEY, None)
            code = None
        return render(request, "campaign/complaint_done.html", {"code": code})


class ComplaintStatusView(View):
    """Anyone with a tracking code sees the status of that complaint, and nothing else."""

    access = "public"

    @method_decorator(ratelimit(key="ip", rate="30/h", method="GET", block=False))
    def get(self, request: HttpRequest) -> HttpResponse:
        if getattr(request, "limited", False):
            return _rate_limited(request)
        form = ComplaintLookupForm(request.GET or None)
        complaint, searched = None, False
        if form.is_bound and form.is_valid():
            searched = True
            complaint = complaint_services.complaint_status_by_code(form.cleaned_data["code"])
        return render(
            request,
            "campaign/complaint_status.html",
            {"form": form, "complaint": complaint, "searched": searched},
        )


class ComplaintListView(ScopedListMixin, View):
    scoped_model = Complaint

    def _filtered(self, request):
        rows = filters.ComplaintFilter(
            request.GET, queryset=selectors.complaints(user=request.user), request=request
        ).qs
        return rows, request.GET.get("status") or ""

    def get(self, request: HttpRequest) -> HttpResponse:
        rows, status = self._filtered(request)
        counts = {
            s: selectors.complaints(user=request.user).filter(status=s).count()
            for s in Complaint.Status.values
        }
        return render(
            request,
            "campaign/complaints.html",
            {
                "complaints": rows,
                "status": status,
                "statuses": Complaint.Status.choices,
                "counts": counts,
                "query": request.GET.urlencode(),
                "show_contact": selectors.may_see_complaint_contact(request.user),
            },
        )


class ComplaintExportView(ComplaintListView):
    def get(self, request: HttpRequest) -> HttpResponse:
        rows, _status = self._filtered(request)
        workbook = exports.complaints_workbook(
            rows, with_contact=selectors.may_see_complaint_contact(request.user)
        )
        return xlsx_response(workbook, f"群众举报-{stamp()}.xlsx")


class ComplaintDetailView(ScopedObjectMixin, View):
    scoped_model = Complaint

    def _render(self, request, complaint, form=None, status=200):
        from campaign.history import history_rows

        nexts = Complaint.TRANSITIONS[Complaint.Status(complaint.status)]
        form = form or ComplaintTransitionForm(initial={"to_status": next(iter(nexts), "")})
        form.fields["to_status"].choices = [(s, Complaint.Status(s).label) for s in nexts]
        return render(
            request,
            "campaign/complaint_detail.html",
            {
                "complaint": complaint,
                "transitions": complaint.transitions.select_related("by"),
                "attachments": complaint.attachments.all()
                if selectors.may_see_complaint_contact(request.user)
                else [],
                "show_contact": selectors.may_see_complaint_contact(request.user),
                "can_handle": request.user.has_perm("campaign.handle_complaint") and bool(nexts),
                "form": form,
                "history": history_rows(complaint),
            },
            status=status,
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._render(request, self.get_object())


class ComplaintTransitionView(ActionMixin, ComplaintDetailView):
    required_permission = "campaign.handle_complaint"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        complaint = self.get_object()
        form = ComplaintTransitionForm(request.POST)
        if form.is_valid():
            try:
                complaint = complaint_services.complaint_transition(
                    actor=request.user, complaint=complaint, **form.cleaned_data
                )
            except ValidationError as exc:
                form.add_error(
                    "note" if hasattr(exc, "error_dict") else None,
                    exc.message_dict.get("note", exc.messages)
                    if hasattr(exc, "error_dict")
                    else exc,
                )
            else:
                messages.success(
                    request,
                    f"举报 {complaint.tracking_code} 已改为“{complaint.get_status_display()}”。",
                )
                return redirect("campaign:complaint", pk=complaint.pk)
        return self._render(request, complaint, form=form, status=400)


class ComplaintAttachmentView(ScopedObjectMixin, View):
    scoped_model = ComplaintAttachment

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        attachment = self.get_object()
        # belongs to a complaint the user may see (the policy on both)
        access.get_visible_or_404(request.user, Complaint.objects.all(), pk=attachment.complaint_id)
        return FileResponse(
            attachment.file.open("rb"),
            as_attachment=True,
            filename=attachment.original_name,
            content_type=attachment.content_type,
        )
