"""Pages of a verification round: the list, a new round, the round with its draw and sample,
复核抽取, and the sample as Excel."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from campaign.counting import CountCachedPaginator
from campaign.selectors.calendar import campaign_current
from campaign.views import (
    ActionMixin,
    ScopedListMixin,
    ScopedObjectMixin,
    ServiceFormView,
    add_service_errors,
    confirmed,
    file_stamp,
    list_query,
    xlsx_response,
)
from crosscheck import exports, filters, forms, sampling
from crosscheck.models import Finding, SampleDraw, SampledUnit, TeamDraw, VerificationRound
from crosscheck.selectors import record as record_selectors
from crosscheck.selectors import round as selectors
from crosscheck.selectors import team as team_selectors
from crosscheck.services import round as services

READ = "crosscheck.view_verificationround"
DRAW = "crosscheck.draw_sample"


class RoundListView(ScopedListMixin, View):
    scoped_model = VerificationRound
    required_permission = READ

    def _filterset(self, request) -> filters.RoundFilter:
        rows = selectors.rounds(user=request.user, campaign=campaign_current())
        return filters.RoundFilter(request.GET, queryset=rows, request=request)

    def get(self, request: HttpRequest) -> HttpResponse:
        filterset = self._filterset(request)
        page = CountCachedPaginator(filterset.qs, 50).get_page(request.GET.get("page"))
        return render(
            request,
            "crosscheck/rounds.html",
            {"filter": filterset, "page": page, "query": list_query(request)},
        )


class RoundExportView(RoundListView):
    def get(self, request: HttpRequest) -> HttpResponse:
        rows = self._filterset(request).qs
        return xlsx_response(exports.rounds_workbook(rows), f"异地核查轮次-{file_stamp()}.xlsx")


class RoundNewView(ScopedListMixin, ServiceFormView):
    scoped_model = VerificationRound
    required_permission = DRAW
    shows_rows = False  # a form, not a list
    form_class = forms.RoundForm
    template_name = "crosscheck/round_new.html"

    def get_form_kwargs(self):
        return {"user": self.request.user}

    def perform(self, form):
        return services.round_open(actor=self.request.user, **form.service_values())

    def get_success_url(self, result):
        return reverse("crosscheck:round", args=[result.pk])

    def get_success_message(self, result):
        return f"已设定核查轮次“{result.title}”的抽取规则，请在见证下抽取样本。"


class RoundDetailView(ScopedObjectMixin, View):
    scoped_model = VerificationRound
    required_permission = READ

    def get_scoped_queryset(self):
        return VerificationRound.objects.select_related("city", "created_by")

    def get(self, request: HttpRequest, pk: int, status: int = 200, **forms_: Any) -> HttpResponse:
        row = self.get_object()
        draw = SampleDraw.objects.filter(round=row).select_related("drawn_by").first()
        context: dict[str, Any] = {
            "round": row,
            "draw": draw,
            "signals": [
                (label, row.weights.get(signal, 0)) for signal, label in sampling.SIGNALS.items()
            ],
            "events": row.events.select_related("by"),
            "may_draw": request.user.has_perm(DRAW) and row.status == row.Status.DRAFT,
            "draw_form": forms_.get("draw_form") or forms.DrawForm(released=row.released),
            "reschedule_form": forms_.get("reschedule_form")
            or forms.RescheduleForm(
                initial={"release_at": timezone.localtime(row.release_at), "ends_on": row.ends_on}
            ),
            "may_close": request.user.has_perm(DRAW) and row.status == row.Status.DRAWN,
            "close_form": forms_.get("close_form") or forms.CloseForm(),
        }
        team_draw = TeamDraw.objects.filter(round=row).select_related("drawn_by").first()
        context |= {
            "team_draw": team_draw,
            "teams": team_selectors.teams(user=request.user, row=row) if team_draw else [],
            "may_draw_teams": request.user.has_perm(DRAW)
            and row.status == row.Status.DRAWN
            and team_draw is None,
            "team_form": forms_.get("team_form") or forms.TeamDrawForm(),
        }
        if draw is not None:
            filterset = filters.SampleFilter(
                request.GET, queryset=selectors.sample(user=request.user, row=row), request=request
            )
            context |= {
                "filter": filterset,
                "page": CountCachedPaginator(filterset.qs, 100).get_page(request.GET.get("page")),
                "query": list_query(request),
                "replays": selectors.replays(user=request.user, row=row)[:20],
            }
        return render(request, "crosscheck/round.html", context, status=status)


class DrawView(ActionMixin, ScopedObjectMixin, View):
    """抽取: once, before witnesses; the seed is theirs or the system's."""

    scoped_model = VerificationRound
    required_permission = DRAW

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        row = self.get_object()
        form = forms.DrawForm(request.POST, released=row.released)
        if form.is_valid():
            try:
                draw = services.sample_draw(actor=request.user, row=row, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    f"已抽取 {draw.units.count()} 家（抽样框 {draw.frame_size} 家），"
                    f"随机种子 {draw.seed}。",
                )
                return redirect("crosscheck:round", pk=row.pk)
        view = RoundDetailView()
        view.setup(request, pk=row.pk)
        return view.get(request, row.pk, status=400, draw_form=form)


class _RoundStepView(ActionMixin, ScopedObjectMixin, View):
    """A step taken from the round page: its form, the service, back to the page. A refusal comes
    back on the form (400), unless the round moved on meanwhile and the page no longer shows the
    form: then it is a message."""

    scoped_model = VerificationRound
    required_permission = DRAW
    form_class: type[django_forms.Form]
    form_name = ""  # the round page's context key for the form
    shown_while = ""  # the round's status while the page shows the form

    def ready(self, form) -> bool:
        return True

    def perform(self, row: VerificationRound, form) -> str:
        """Take the step; the success message."""
        raise NotImplementedError

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        row = self.get_object()
        form = self.form_class(request.POST)
        if self.ready(form) and form.is_valid():
            try:
                message = self.perform(row, form)
            except ValidationError as exc:
                row.refresh_from_db()
                if row.status != self.shown_while:
                    messages.error(request, "；".join(exc.messages))
                    return redirect("crosscheck:round", pk=row.pk)
                add_service_errors(form, exc)
            else:
                messages.success(request, message)
                return redirect("crosscheck:round", pk=row.pk)
        view = RoundDetailView()
        view.setup(request, pk=row.pk)
        return view.get(request, row.pk, status=400, **{self.form_name: form})


class RescheduleView(_RoundStepView):
    """修改发布时间: while nothing is drawn."""

    form_class = forms.RescheduleForm
    form_name = "reschedule_form"
    shown_while = VerificationRound.Status.DRAFT

    def perform(self, row: VerificationRound, form) -> str:
        services.round_reschedule(actor=self.request.user, row=row, **form.cleaned_data)
        return "已修改样本发布时间和核查截止日期。"


class CloseView(_RoundStepView):
    """结束本轮: every record signed; the members' grants end now."""

    form_class = forms.CloseForm
    form_name = "close_form"
    shown_while = VerificationRound.Status.DRAWN

    def ready(self, form) -> bool:
        if not confirmed(self.request):
            form.add_error(None, "请确认后再结束本轮。")
            return False
        return True

    def perform(self, row: VerificationRound, form) -> str:
        services.round_close(actor=self.request.user, row=row, **form.cleaned_data)
        return "本轮核查已结束，核查组成员的查阅权限已收回。"


class ReplayView(ActionMixin, ScopedObjectMixin, View):
    """复核抽取: the stored frame, rule and seed drawn again; the frame compared with today's."""

    scoped_model = VerificationRound
    required_permission = READ

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        row = self.get_object()
        draw = SampleDraw.objects.filter(round=row).first()
        # the page sends the digest it shows: the replay is of the record the user looked at
        if draw is None or request.POST.get("digest") != draw.frame_digest:
            messages.error(request, "请在核查轮次页面上对所显示的抽取记录进行复核。")
            return self._page(request, row)
        replay = services.sample_replay(actor=request.user, draw=draw)
        if not replay.sample_same:
            messages.error(request, "复核不一致：以存档的抽样框、规则和种子重抽，样本与存档不同。")
        elif replay.frame_same:
            messages.success(request, "复核一致：重抽样本与存档相同，抽样框未变。")
        else:
            messages.warning(
                request,
                "重抽样本与存档相同；但当前的抽样框与抽取时不同（"
                + _changes(replay.changes)
                + "），抽取时的抽样框已存档。",
            )
        return redirect("crosscheck:round", pk=row.pk)

    def _page(self, request: HttpRequest, row: VerificationRound) -> HttpResponse:
        view = RoundDetailView()
        view.setup(request, pk=row.pk)
        return view.get(request, row.pk, status=400)


def _changes(changes: dict) -> str:
    labels = {"added": "新增", "removed": "减少", "changed": "风险信号变化"}
    return "，".join(f"{labels[k]} {len(v)} 家" for k, v in changes.items() if v) or "无"


class SampleExportView(ScopedObjectMixin, View):
    scoped_model = VerificationRound
    required_permission = READ

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        row = self.get_object()
        if not SampleDraw.objects.filter(round=row).exists():
            messages.error(request, "该轮次尚未抽取，没有样本可导出。")
            return redirect("crosscheck:round", pk=row.pk)
        units = filters.SampleFilter(
            request.GET, queryset=selectors.sample(user=request.user, row=row), request=request
        ).qs
        return xlsx_response(
            exports.sample_workbook(row, units), f"核查样本-{row.title}-{file_stamp()}.xlsx"
        )


class SummaryView(ScopedObjectMixin, View):
    """A round's summary per city visited; each figure opens the rows behind it."""

    scoped_model = VerificationRound
    required_permission = READ

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        row = self.get_object()
        rows, total = record_selectors.round_summary(user=request.user, row=row)
        lines = [_summary_line(row, r["name"], r, r["code"]) for r in rows]
        lines.append(_summary_line(row, "合计", total, ""))
        return render(
            request,
            "crosscheck/summary.html",
            {
                "round": row,
                "lines": lines,
                "codes": Finding.Code.choices,
                "account": exports.SUMMARY_ACCOUNT,
            },
        )


def _summary_line(row: VerificationRound, name: str, r: dict, city: str) -> dict:
    """One city's figures, each with the address of the rows behind it."""
    where = {"round": row.pk, **({"city": city} if city else {})}
    findings = reverse("crosscheck:findings")
    accounts = reverse("crosscheck:accountability-list")
    unit_city = {"unit_city": city} if city else {}
    return {
        "name": name,
        "sampled": (
            r["sampled"],
            reverse("crosscheck:round", args=[row.pk])
            + (f"?{urlencode({'city': city})}" if city else ""),
        ),
        "verified": (r["verified"], f"{findings}?{urlencode(where | {'status': 'signed'})}"),
        "codes": [
            (
                r["codes"].get(code, 0),
                f"{findings}?{urlencode(where | {'status': 'signed', 'code': code})}",
            )
            for code, _ in Finding.Code.choices
        ],
        "account": [
            (
                r["accountability"].get(status, 0),
                f"{accounts}?{urlencode({'round': row.pk, 'status': status} | unit_city)}",
            )
            for status, _ in exports.SUMMARY_ACCOUNT
        ],
    }


class SummaryExportView(ScopedObjectMixin, View):
    scoped_model = VerificationRound
    required_permission = READ

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        row = self.get_object()
        rows, total = record_selectors.round_summary(user=request.user, row=row)
        return xlsx_response(
            exports.summary_workbook(row, rows, total), f"核查汇总-{row.title}-{file_stamp()}.xlsx"
        )


class SummaryPdfView(ScopedObjectMixin, View):
    scoped_model = VerificationRound
    required_permission = READ
    accepts_api_token = True

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        row = self.get_object()
        rows, total = record_selectors.round_summary(user=request.user, row=row)
        pdf = exports.summary_pdf(row, rows, total, printed_by=request.user)
        response = HttpResponse(pdf, content_type="application/pdf")
        name = quote(f"核查汇总-{row.title}.pdf")
        response["Content-Disposition"] = f"inline; filename*=UTF-8''{name}"
        return response


class SampledListView(ScopedListMixin, View):
    """被抽取单位: the sampled units the user may see — a bureau its own region's once released, a
    member their team's, the organiser every one — across rounds, each opening its record."""

    scoped_model = SampledUnit
    required_permission = "crosscheck.view_verificationrecord"

    def _filterset(self, request) -> filters.SampleFilter:
        rows = selectors.sampled_units(user=request.user, campaign=campaign_current())
        return filters.SampleFilter(request.GET, queryset=rows, request=request)

    def get(self, request: HttpRequest) -> HttpResponse:
        filterset = self._filterset(request)
        page = CountCachedPaginator(filterset.qs, 50).get_page(request.GET.get("page"))
        return render(
            request,
            "crosscheck/sampled.html",
            {"filter": filterset, "page": page, "query": list_query(request)},
        )


class SampledExportView(SampledListView):
    def get(self, request: HttpRequest) -> HttpResponse:
        rows = self._filterset(request).qs
        return xlsx_response(exports.sampled_workbook(rows), f"被抽取单位-{file_stamp()}.xlsx")
