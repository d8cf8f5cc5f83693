"""Pages of the teams: the random team draw and its replay on the round's page, a member's own
verification tasks with the units they may open, and the conflicts a person declares."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from campaign.views import (
    ActionMixin,
    ScopedListMixin,
    ScopedObjectMixin,
    ServiceFormView,
    add_service_errors,
)
from crosscheck import forms
from crosscheck.models import ConflictDeclaration, TeamDraw, TeamMember, VerificationRound
from crosscheck.selectors import team as selectors
from crosscheck.services import team as services
from crosscheck.views.round import DRAW, READ, RoundDetailView, _changes


def _round_page(request: HttpRequest, row: VerificationRound, **forms_) -> HttpResponse:
    view = RoundDetailView()
    view.setup(request, pk=row.pk)
    return view.get(request, row.pk, status=400, **forms_)


class TeamDrawView(ActionMixin, ScopedObjectMixin, View):
    """随机编组: once, before witnesses, after the sample is drawn."""

    scoped_model = VerificationRound
    required_permission = DRAW

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        row = self.get_object()
        form = forms.TeamDrawForm(request.POST)
        if form.is_valid():
            try:
                services.team_draw(actor=request.user, row=row, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                teams = row.teams.count()
                messages.success(request, f"已随机编成 {teams} 个核查组，成员须先签署廉洁承诺书。")
                return redirect("crosscheck:round", pk=row.pk)
        return _round_page(request, row, team_form=form)


class TeamReplayView(ActionMixin, ScopedObjectMixin, View):
    """复核编组: the stored pool, targets, rule and seed drawn again."""

    scoped_model = VerificationRound
    required_permission = READ

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        row = self.get_object()
        record = TeamDraw.objects.filter(round=row).first()
        if record is None or request.POST.get("digest") != record.digest:
            messages.error(request, "请在核查轮次页面上对所显示的编组记录进行复核。")
            return _round_page(request, row)
        replay = services.team_replay(actor=request.user, row=row)
        if not replay.sample_same:
            messages.error(
                request, "复核不一致：以存档的人员库、规则和种子重新编组，结果与存档不同。"
            )
        elif replay.frame_same:
            messages.success(request, "复核一致：重新编组结果与存档相同，人员库未变。")
        else:
            messages.warning(
                request,
                "重新编组结果与存档相同；但当前的人员库或回避情况与编组时不同（"
                + _changes(replay.changes)
                + "），编组时的人员库已存档。",
            )
        return redirect("crosscheck:round", pk=row.pk)


class MyTeamsView(ScopedListMixin, View):
    """我的核查任务: the user's places in teams, the commitment to sign, the units to open."""

    scoped_model = TeamMember
    shows_rows = False  # the user's own rows only, whatever their reach (tested with the teams)

    def get(self, request: HttpRequest) -> HttpResponse:
        places = [
            (m, list(selectors.member_units(user=request.user, member=m)))
            for m in selectors.my_teams(user=request.user)
        ]
        return render(request, "crosscheck/my_teams.html", {"places": places})


class ConflictListView(ScopedListMixin, View):
    scoped_model = ConflictDeclaration

    def get(self, request: HttpRequest) -> HttpResponse:
        rows = selectors.conflicts(user=request.user)
        if not request.user.has_perm("crosscheck.draw_sample"):
            rows = rows.filter(user=request.user)
        return render(
            request,
            "crosscheck/conflicts.html",
            {"rows": rows[:500], "form": forms.ConflictForm()},
        )


class ConflictNewView(ScopedListMixin, ServiceFormView):
    scoped_model = ConflictDeclaration
    shows_rows = False  # a form, not a list
    form_class = forms.ConflictForm
    template_name = "crosscheck/conflicts.html"

    def get_context_data(self, form):
        return {
            "form": form,
            "rows": selectors.conflicts(user=self.request.user).filter(user=self.request.user),
        }

    def perform(self, form):
        return services.conflict_declare(actor=self.request.user, **form.cleaned_data)

    def get_success_url(self, result):
        return reverse("crosscheck:conflicts")

    def get_success_message(self, result):
        return f"已申报与“{result.unit_name}”回避，随机编组时不会派您核查该单位。"
