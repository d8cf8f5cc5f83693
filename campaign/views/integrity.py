"""Pages of integrity: the versioned texts (附件4/5), cross-region assignments, the commitment signed
in the browser and the integrity self-check (附件6)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from campaign import exports, filters
from campaign.forms import (
    AssignmentForm,
    CommitmentForm,
    IntegrityDocumentForm,
    SelfCheckForm,
)
from campaign.models import (
    Assignment,
    IntegrityDocument,
)
from campaign.selectors import organisation as selectors
from campaign.services import integrity as services
from campaign.views import (
    ActionMixin,
    AuthenticatedMixin,
    ScopedListMixin,
    ScopedObjectMixin,
    ServiceFormView,
    add_service_errors,
    client_ip,
    xlsx_response,
)
from campaign.views.common import MANAGE, current_campaign_or_404, stamp


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


class IntegrityDocumentPublishView(AuthenticatedMixin, ServiceFormView):
    """Posted from the documents page, which it shows again with the errors (GET is 405)."""

    required_permission = MANAGE
    http_method_names = ["post", "options"]
    form_class = IntegrityDocumentForm

    def render_form(self, form, status=200):
        return IntegrityDocumentsView()._render(self.request, form, status=status)

    def perform(self, form):
        return services.integrity_document_publish(
            actor=self.request.user, campaign=current_campaign_or_404(), **form.cleaned_data
        )

    def get_success_message(self, document):
        return f"已发布《{document.title}》第 {document.version} 版。"

    def get_success_url(self, document):
        return reverse("campaign:integrity-document", args=[document.pk])


class IntegrityDocumentView(ScopedObjectMixin, View):
    scoped_model = IntegrityDocument

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return render(request, "campaign/integrity_document.html", {"document": self.get_object()})


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


class AssignmentCreateView(AuthenticatedMixin, ServiceFormView):
    required_permission = "campaign.add_assignment"
    form_class = AssignmentForm
    template_name = "campaign/form_page.html"

    def get_context_data(self, form):
        return {"title": "安排异地执法任务", "form": form, "back": "campaign:assignments"}

    def perform(self, form):
        return services.assignment_create(
            actor=self.request.user, campaign=current_campaign_or_404(), **form.cleaned_data
        )

    def get_success_message(self, assignment):
        return f"已安排：{assignment}。本人须在出发前签署廉洁自律承诺书。"

    def get_success_url(self, assignment):
        return reverse("campaign:assignment", args=[assignment.pk])


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
                # the self-check opens after the task ends: said before, not after a refused post
                "check_open": timezone.localdate() >= assignment.ends_on,
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
                add_service_errors(form, exc)
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
