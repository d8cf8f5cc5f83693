"""Pages for integrity on cross-region work and for public complaints."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.views import View
from django_ratelimit.decorators import ratelimit

from campaign import access, exports, filters
from campaign.forms import (
    AssignmentForm,
    CommitmentForm,
    ComplaintForm,
    ComplaintLookupForm,
    ComplaintTransitionForm,
    IntegrityDocumentForm,
    SelfCheckForm,
)
from campaign.models import (
    Assignment,
    Complaint,
    ComplaintAttachment,
    IntegrityDocument,
)
from campaign.selectors import calendar as calendar_selectors
from campaign.selectors import organisation as selectors
from campaign.services import complaints as complaint_services
from campaign.services import integrity as services
from campaign.views import (
    ActionMixin,
    AuthenticatedMixin,
    ScopedListMixin,
    ScopedObjectMixin,
    client_ip,
    xlsx_response,
)
from campaign.views.organisation import MANAGE, current_campaign_or_404, stamp

# --- published texts ---------------------------------------------------------------------------


class IntegrityDocumentsView(ScopedListMixin, View):
    scoped_model = IntegrityDocument

    def _render(self, request, form, status=200):
        campaign = current_campaign_or_404()
        return render(
            request,
            "campaign/integrity_documents.html",
            {
                "campaign": campaign,
                "documents": selectors.integrity_documents(campaign=campaign),
                "form": form,
                "can_publish": request.user.has_perm(MANAGE),
            },
            status=status,
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, IntegrityDocumentForm())


class IntegrityDocumentPublishView(AuthenticatedMixin, View):
    required_permission = MANAGE

    def post(self, request: HttpRequest) -> HttpResponse:
        form = IntegrityDocumentForm(request.POST)
        if form.is_valid():
            try:
                document = services.integrity_document_publish(
                    actor=request.user, campaign=current_campaign_or_404(), **form.cleaned_data
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, f"已发布《{document.title}》第 {document.version} 版。")
                return redirect("campaign:integrity-document", pk=document.pk)
        return IntegrityDocumentsView()._render(request, form, status=400)


class IntegrityDocumentView(ScopedObjectMixin, View):
    scoped_model = IntegrityDocument

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return render(request, "campaign/integrity_document.html", {"document": self.get_object()})


# --- assignments, signatures, self-checks -------------------------------------------------------


class AssignmentListView(ScopedListMixin, View):
    scoped_model = Assignment

    def _filtered(self, request):
        campaign = current_campaign_or_404()
        rows = filters.AssignmentFilter(
            request.GET,
            queryset=selectors.assignments(user=request.user, campaign=campaign),
            request=request,
        ).qs
        return campaign, rows, request.GET.get("missing") or ""

    def get(self, request: HttpRequest) -> HttpResponse:
        campaign, rows, missing = self._filtered(request)
        return render(
            request,
            "campaign/assignments.html",
            {
                "campaign": campaign,
                "assignments": rows,
                "missing": missing,
                "query": request.GET.urlencode(),
                "can_assign": request.user.has_perm("campaign.add_assignment"),
            },
        )


class AssignmentExportView(AssignmentListView):
    def get(self, request: HttpRequest) -> HttpResponse:
        _campaign, rows, _missing = self._filtered(request)
        return xlsx_response(
            exports.assignments_workbook(rows), f"异地执法任务廉洁情况-{stamp()}.xlsx"
        )


class AssignmentCreateView(AuthenticatedMixin, View):
    required_permission = "campaign.add_assignment"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(
            request,
            "campaign/form_page.html",
            {"title": "安排异地执法任务", "form": AssignmentForm(), "back": "campaign:assignments"},
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        form = AssignmentForm(request.POST)
        if form.is_valid():
            try:
                assignment = services.assignment_create(
                    actor=request.user, campaign=current_campaign_or_404(), **form.cleaned_data
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request, f"已安排：{assignment}。本人须在出发前签署廉洁自律承诺书。"
                )
                return redirect("campaign:assignment", pk=assignment.pk)
        return render(
            request,
            "campaign/form_page.html",
            {"title": "安排异地执法任务", "form": form, "back": "campaign:assignments"},
            status=400,
        )


class AssignmentView(ScopedObjectMixin, View):
    scoped_model = Assignment

    def get_scoped_queryset(self):
        return Assignment.objects.select_related(
            "user", "destination", "commitment__document", "self_check"
        )

    def _render(self, request, assignment, commitment_form=None, check_form=None, status=200):
        campaign = assignment.campaign
        is_self = assignment.user_id == request.user.pk
        return render(
            request,
            "campaign/assignment.html",
            {
                "assignment": assignment,
                "commitment": getattr(assignment, "commitment", None),
                "self_check": getattr(assignment, "self_check", None),
                "document": services.current_document(campaign, IntegrityDocument.Kind.COMMITMENT),
                "is_self": is_self,
                "commitment_form": commitment_form or CommitmentForm(),
                "check_form": check_form or SelfCheckForm(),
            },
            status=status,
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._render(request, self.get_object())


def _own(request: HttpRequest, assignment: Assignment) -> None:
    if assignment.user_id != request.user.pk:
        raise PermissionDenied("只能由任务人员本人签署和填报。")


class CommitmentSignView(ActionMixin, AssignmentView):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        assignment = self.get_object()
        _own(request, assignment)
        form = CommitmentForm(request.POST)
        if form.is_valid():
            try:
                commitment = services.commitment_sign(
                    actor=request.user,
                    assignment=assignment,
                    signed_name=form.cleaned_data["signed_name"],
                    ip_address=client_ip(request),
                    user_agent=request.META.get("HTTP_USER_AGENT", ""),
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                late = "（任务已开始，记为补签）" if commitment.is_late else ""
                messages.success(request, f"已签署廉洁自律承诺书{late}。")
                return redirect("campaign:assignment", pk=assignment.pk)
        return self._render(request, assignment, commitment_form=form, status=400)


class SelfCheckSubmitView(ActionMixin, AssignmentView):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        assignment = self.get_object()
        _own(request, assignment)
        form = SelfCheckForm(request.POST)
        if form.is_valid():
            try:
                services.integrity_self_check_submit(
                    actor=request.user, assignment=assignment, answers=form.answers()
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for key, errors in exc.message_dict.items():
                        for message in errors:
                            form.add_error(
                                f"{key}_note" if f"{key}_note" in form.fields else None, message
                            )
                else:
                    form.add_error(None, exc)
            else:
                messages.success(request, "廉洁自律情况自查表已提交。")
                return redirect("campaign:assignment", pk=assignment.pk)
        return self._render(request, assignment, check_form=form, status=400)


# --- public complaints ----------------------------------------------------------------------------


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
                return render(
                    request, "campaign/complaint_done.html", {"code": complaint.tracking_code}
                )
        return self._render(request, form, status=400)


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
