"""Pages of stage 2: the inspection plan and the on-site record form (附件3), phone first."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.debug import sensitive_post_parameters

from campaign import access
from campaign.counting import CountCachedPaginator
from campaign.history import history_rows
from campaign.selectors import calendar as calendar_selectors
from campaign.views import (
    ActionMixin,
    AuthenticatedMixin,
    ScopedListMixin,
    ScopedObjectMixin,
    add_service_errors,
    xlsx_response,
)
from campaign.views.jobs import ExportJobMixin
from inspections import filters
from inspections.exports import onsite as exports_onsite
from inspections.forms.onsite import (
    AmendForm,
    FindingForm,
    HeaderForm,
    PhotoForm,
    PlanForm,
    PostponeForm,
    SignForm,
    SubmitForm,
)
from inspections.models import (
    Area,
    Inspection,
    InspectionEvent,
    InspectionFinding,
    InspectionMember,
    Problem,
)
from inspections.selectors import onsite as selectors
from inspections.services import onsite as services
from inspections.views.common import gap_links, sections

PLAN = "inspections.plan_inspection"


def _campaign():
    campaign = calendar_selectors.campaign_current()
    if campaign is None:
        raise Http404("尚未设置执法行动年度。")
    return campaign


def _require_team(request: HttpRequest, inspection: Inspection) -> None:
    """Only the team's inspectors write and sign the record (experts advise): checked before any
    input is read, so a non-member gets 403 and never a validation answer."""
    if not inspection.members.filter(user=request.user, role__in=InspectionMember.SIGNERS).exists():
        raise PermissionDenied("只有检查组的执法人员可以填写检查记录。")


class InspectionListView(ScopedListMixin, View):
    scoped_model = Inspection
    required_permission = "inspections.view_inspection"

    def _filterset(self, request) -> filters.InspectionFilter:
        return filters.InspectionFilter(
            request.GET,
            queryset=selectors.inspection_list(user=request.user, campaign=_campaign()),
            request=request,
        )

    def _filtered(self, request, filterset=None):
        rows = (filterset or self._filterset(request)).qs
        return rows.order_by("planned_on", "pk"), request.GET.get("status") or ""

    def get(self, request: HttpRequest) -> HttpResponse:
        filterset = self._filterset(request)
        rows, status = self._filtered(request, filterset)
        campaign = _campaign()
        page = CountCachedPaginator(rows, 50).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        # the same figures until an inspection or a unit is written (campaign.counting)
        by_county = selectors.key_unit_progress(user=request.user, campaign=campaign)
        groups, progress_total = selectors.progress_groups(by_county)
        return render(
            request,
            "inspections/inspections.html",
            {
                "filter": filterset,
                "page": page,
                "status": status,
                "statuses": Inspection.Status.choices,
                "by_county": by_county,
                "progress_groups": groups,
                "progress_total": progress_total,
                "can_plan": request.user.has_perm(PLAN),
                "query": query.urlencode(),
                "today": timezone.localdate(),
            },
        )


class InspectionExportView(ExportJobMixin, InspectionListView):
    export_job = "inspections.export"

    def get(self, request: HttpRequest) -> HttpResponse:
        rows, _status = self._filtered(request)
        return self.export_or_job(
            request,
            rows,
            lambda: xlsx_response(
                exports_onsite.inspections_workbook(
                    rows.prefetch_related(
                        # the problems listed are those the user may open (an expert's grant is
                        # on the inspection, not on the unit's ledger)
                        Prefetch(
                            "problems",
                            queryset=access.visible(
                                request.user, Problem.objects.select_related("item")
                            ),
                        )
                    )
                ),
                f"现场检查-{timezone.localtime():%Y%m%d-%H%M}.xlsx",
            ),
            extra={"campaign_id": _campaign().pk},
        )


class InspectionPlanView(AuthenticatedMixin, View):
    required_permission = PLAN

    def get(self, request: HttpRequest) -> HttpResponse:
        initial = {"lead": request.user.pk if request.user.badge_no else None}
        if request.GET.get("enterprise"):
            initial["enterprise"] = request.GET["enterprise"]
        return render(
            request,
            "inspections/plan_form.html",
            {"form": PlanForm(user=request.user, initial=initial)},
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        form = PlanForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                inspection = services.inspection_plan(
                    actor=request.user,
                    campaign=_campaign(),
                    enterprise=data["enterprise"],
                    planned_on=data["planned_on"],
                    source=data["source"],
                    lead=data["lead"],
                    inspectors=list(data["inspectors"]),
                    experts=list(data["experts"]),
                )
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, f"已安排：{inspection}。")
                return redirect("inspections:inspection", pk=inspection.pk)
        return render(request, "inspections/plan_form.html", {"form": form}, status=400)


class InspectionDetailView(ScopedObjectMixin, View):
    scoped_model = Inspection

    def get_scoped_queryset(self):
        return Inspection.objects.select_related(
            "enterprise",
            "enterprise__county",
            "enterprise__city",
            "enterprise__industry",
            "campaign",
            "submitted_by",
        )

    def render_page(self, request, inspection, *, status=200, missing=None, forms=None):
        member = inspection.members.filter(user=request.user).first()
        writer = member is not None and member.role in InspectionMember.SIGNERS
        S = Inspection.Status
        # what this user may do here is decided once, here: the template only shows it
        can = {
            "can_start": writer and inspection.status in (S.PLANNED, S.POSTPONED),
            "can_edit": writer and inspection.status == S.IN_PROGRESS,
            "can_sign": writer and inspection.status == S.IN_PROGRESS,
            "can_amend": member is not None
            and member.role == InspectionMember.Role.LEAD
            and inspection.status == S.SUBMITTED,
            # the bureau's own steps and change history are not shown to the enterprise
            "can_see_internal": request.user.has_perm(PLAN) or member is not None,
        }
        findings = list(
            inspection.findings.select_related("item", "updated_by").prefetch_related("evidence")
        )
        declared = selectors.declared_answers(user=request.user, inspection=inspection)
        groups = []
        for value, label in Area.choices:
            rows = [(f, None, declared.get(f.item_id)) for f in findings if f.item.area == value]
            if rows:
                groups.append((label, rows))
        forms = forms or {}
        # each section with its index entry (label, anchor, answered x of n)
        groups = [(*g, sec) for g, sec in zip(groups, sections(groups, "ok"), strict=True)]
        return render(
            request,
            "inspections/inspection.html",
            {
                "inspection": inspection,
                "member": member,
                **can,
                "editable": can["can_edit"],
                "groups": groups,
                # the lines' fields are written out by _finding_fields.html (FindingForm's markup)
                "result_choices": FindingForm.base_fields["result"].choices,
                "kind_choices": FindingForm.base_fields["kind"].choices,
                "severity_choices": FindingForm.base_fields["severity"].choices,
                "members": inspection.members.select_related("user"),
                "signers": inspection.members.filter(
                    role__in=InspectionMember.SIGNERS
                ).select_related("user"),
                "header_form": forms.get("header")
                or HeaderForm(instance=inspection, initial={"revision": inspection.revision}),
                "submit_form": forms.get("submit") or SubmitForm(),
                "postpone_form": forms.get("postpone") or PostponeForm(),
                "missing": gap_links(missing or [], {f.item.code: f"#f-{f.pk}" for f in findings}),
                "sections": [section for *_rest, section in groups],
                "events": access.visible(
                    request.user, InspectionEvent.objects.filter(inspection=inspection)
                ).select_related("by"),
                "problems": access.visible(request.user, inspection.problems.all()).select_related(
                    "item", "primary"
                ),
                "history": history_rows(inspection) if can["can_see_internal"] else [],
                "amend_form": AmendForm(),
            },
            status=status,
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render_page(request, self.get_object())


class InspectionStartView(ActionMixin, InspectionDetailView):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        inspection = self.get_object()
        _require_team(request, inspection)
        if request.POST.get("confirm") != "yes":
            messages.error(request, "请在检查现场点击“开始检查”。")
            return self.render_page(request, inspection, status=400)
        try:
            services.inspection_start(actor=request.user, inspection=inspection)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return self.render_page(request, inspection, status=400)
        return redirect("inspections:inspection", pk=inspection.pk)


class InspectionHeaderView(ActionMixin, InspectionDetailView):
    """The header as a plain form post (the page's script saves through the API)."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        inspection = self.get_object()
        _require_team(request, inspection)
        form = HeaderForm(request.POST, instance=Inspection.objects.get(pk=inspection.pk))
        if form.is_valid():
            values = {k: v for k, v in form.cleaned_data.items() if k != "revision"}
            try:
                services.header_save(
                    actor=request.user,
                    inspection=inspection,
                    values=values,
                    revision=form.cleaned_data["revision"],
                )
            except services.Conflict:
                form.add_error(
                    None, "表头已被其他检查人员修改：页面已显示最新内容，请核对后重新填写。"
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "表头已保存。")
                return redirect(reverse("inspections:inspection", args=[inspection.pk]) + "#header")
        return self.render_page(request, inspection, status=400, forms={"header": form})


def _record_page(request: HttpRequest, inspection_id: int) -> HttpResponse:
    """The record form again (as a 400) after a line's plain form post failed."""
    view = InspectionDetailView()
    view.request, view.kwargs = request, {"pk": inspection_id}
    return view.render_page(request, view.get_object(), status=400)


class FindingSaveView(ScopedObjectMixin, View):
    """One line of the form as a plain post (the page's script saves through the API)."""

    scoped_model = InspectionFinding

    def get_scoped_queryset(self):
        return InspectionFinding.objects.select_related("inspection", "item")

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        finding = self.get_object()
        _require_team(request, finding.inspection)
        form = FindingForm(
            request.POST,
            instance=InspectionFinding.objects.get(pk=finding.pk),
            prefix=f"f{finding.pk}",
        )
        if form.is_valid():
            values = {k: v for k, v in form.cleaned_data.items() if k != "revision"}
            try:
                finding = services.finding_save(
                    actor=request.user,
                    finding=finding,
                    values=values,
                    revision=form.cleaned_data["revision"],
                )
            except services.Conflict as conflict:
                messages.error(request, f"{finding.item.code}：{conflict}")
                return redirect(
                    reverse("inspections:inspection", args=[finding.inspection_id])
                    + f"#f-{finding.pk}"
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
        if form.errors:
            errors = [str(m) for v in form.errors.values() for m in v]
            messages.error(request, f"{finding.item.code}：" + "；".join(errors))
            return _record_page(request, finding.inspection_id)
        return redirect(
            reverse("inspections:inspection", args=[finding.inspection_id]) + f"#f-{finding.pk}"
        )


class FindingEvidenceView(FindingSaveView):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        finding = self.get_object()
        _require_team(request, finding.inspection)
        form = PhotoForm(request.POST, request.FILES)
        error = None
        if form.is_valid():
            data = form.cleaned_data
            try:
                evidence = services.finding_add_evidence(
                    actor=request.user,
                    finding=finding,
                    upload=data["file"],
                    taken_at=data["taken_at"],
                    latitude=data["latitude"],
                    longitude=data["longitude"],
                )
            except ValidationError as exc:
                error = " ".join(exc.messages)
        else:
            error = "；".join(m for v in form.errors.values() for m in v)
        if error:
            messages.error(request, f"{finding.item.code}：{error}")
            return _record_page(request, finding.inspection_id)
        messages.success(request, f"已上传“{evidence.original_name}”。")
        return redirect(
            reverse("inspections:inspection", args=[finding.inspection_id]) + f"#f-{finding.pk}"
        )


class FindingAmendView(FindingSaveView):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        finding = self.get_object()
        _require_team(request, finding.inspection)
        form = AmendForm(request.POST)
        if form.is_valid():
            values = {k: v for k, v in form.cleaned_data.items() if k != "reason" and v}
            try:
                services.inspection_amend(
                    actor=request.user,
                    inspection=finding.inspection,
                    finding=finding,
                    values=values,
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, f"已更正 {finding.item.code}，原始记录保留。")
                return redirect("inspections:inspection", pk=finding.inspection_id)
        else:
            messages.error(request, "；".join(m for v in form.errors.values() for m in v))
        return _record_page(request, finding.inspection_id)


class InspectionSignView(ActionMixin, InspectionDetailView):
    # a second inspector's password never appears in an error report
    @method_decorator(sensitive_post_parameters("signer_password"))
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        inspection = self.get_object()
        _require_team(request, inspection)
        form = SignForm(request.POST)
        error = None
        if form.is_valid():
            try:
                signer = selectors.team_member(
                    inspection=inspection, user_id=form.cleaned_data["signer"], field="signer"
                )
                services.inspection_sign(
                    actor=request.user,
                    inspection=inspection,
                    signature=form.cleaned_data["signature"],
                    for_representative=form.cleaned_data["who"] == "representative",
                    representative_name=form.cleaned_data["representative_name"],
                    signer=signer,
                    signer_password=form.cleaned_data["signer_password"],
                )
            except ValidationError as exc:
                error = " ".join(exc.messages)
        else:
            error = "；".join(m for v in form.errors.values() for m in v)
        if error:
            messages.error(request, error)
            return self.render_page(request, inspection, status=400)
        messages.success(request, "签名已保存。")
        return redirect(reverse("inspections:inspection", args=[inspection.pk]) + "#signatures")


class InspectionSubmitView(ActionMixin, InspectionDetailView):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        inspection = self.get_object()
        _require_team(request, inspection)
        form = SubmitForm(request.POST)
        form.is_valid()
        try:
            inspection = services.inspection_submit(
                actor=request.user,
                inspection=inspection,
                late_reason=form.cleaned_data.get("late_reason", ""),
            )
        except ValidationError as exc:
            return self.render_page(
                request, self.get_object(), status=400, missing=exc.messages, forms={"submit": form}
            )
        late = "（非检查当日上传，已记录原因）" if inspection.is_late else ""
        messages.success(request, f"检查记录已提交并锁定{late}；发现的问题已登记到问题台账。")
        return redirect("inspections:inspection", pk=inspection.pk)


class InspectionPostponeView(ActionMixin, InspectionDetailView):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        inspection = self.get_object()
        _require_team(request, inspection)
        form = PostponeForm(request.POST)
        if form.is_valid():
            try:
                services.inspection_postpone(
                    actor=request.user, inspection=inspection, **form.cleaned_data
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "已记录停产延期；该检查仍未完成，到期请重新检查。")
                return redirect("inspections:inspection", pk=inspection.pk)
        return self.render_page(request, inspection, status=400, forms={"postpone": form})


class InspectionPdfView(InspectionDetailView):
    accepts_api_token = True  # the API links here (pdf_url, evidence url)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        from urllib.parse import quote

        inspection = self.get_object()
        response = HttpResponse(
            exports_onsite.inspection_pdf(inspection), content_type="application/pdf"
        )
        response["Content-Disposition"] = (
            f"inline; filename*=UTF-8''{quote('现场检查记录表-' + inspection.enterprise.name)}.pdf"
        )
        return response


class InspectionOriginalView(InspectionDetailView):
    """查看原始记录: the record exactly as submitted, beside which lines were amended since."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        inspection = self.get_object()
        return render(
            request,
            "inspections/inspection_original.html",
            {
                "inspection": inspection,
                "lines": selectors.original_lines(inspection=inspection)
                if inspection.original
                else [],
            },
        )


__all__ = ["PermissionDenied"]
