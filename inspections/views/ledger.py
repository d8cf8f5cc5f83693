"""Pages of the problem ledger: the list, 问题统计, and each problem with its confirmations and
events."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views import View

from campaign.counting import CountCachedPaginator
from campaign.history import history_rows
from campaign.views import (
    ScopedListMixin,
    ScopedObjectMixin,
    file_stamp,
    xlsx_response,
)
from campaign.views.jobs import ExportJobMixin
from inspections import filters
from inspections.exports import ledger as exports
from inspections.models import Area, Problem
from inspections.models.catalogue import AREA_SHORT
from inspections.selectors import ledger as selectors
from inspections.views.common import _campaign


class ProblemListView(ScopedListMixin, View):
    scoped_model = Problem
    required_permission = "inspections.view_problem"

    def _filterset(self, request) -> filters.ProblemFilter:
        return filters.ProblemFilter(
            request.GET, queryset=selectors.problem_list(user=request.user), request=request
        )

    def _filtered(self, request):
        return self._filterset(request).qs

    def _narrowed(self, request) -> list[str]:
        """What the filters that come from 问题统计 narrow the list to, in words."""
        from campaign.models import Region

        labels = []
        for level in ("city", "county"):
            code = request.GET.get(level)
            if code:
                region = Region.objects.filter(level=level, code=code).first()
                labels.append(region.name if region else code)
        if request.GET.get("area") in Area.values:
            labels.append(Area(request.GET["area"]).label)
        if request.GET.get("campaign", "").isdigit():
            labels.insert(0, f"{request.GET['campaign']} 年度")
        return labels

    def get(self, request: HttpRequest) -> HttpResponse:
        filterset = self._filterset(request)
        page = CountCachedPaginator(filterset.qs, 50).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        return render(
            request,
            "inspections/problems.html",
            {
                "filter": filterset,
                "narrowed": self._narrowed(request),
                "page": page,
                "query": query.urlencode(),
                "sources": Problem.Source.choices,
                "kinds": Problem._meta.get_field("kind").choices,
                "statuses": [(s, Problem.Status(s).label) for s in Problem.Status if s != "merged"],
            },
        )


class ProblemExportView(ExportJobMixin, ProblemListView):
    export_job = "problems.export"

    def get(self, request: HttpRequest) -> HttpResponse:
        rows = self._filtered(request)
        return self.export_or_job(
            request,
            rows,
            lambda: xlsx_response(exports.problems_workbook(rows), f"问题台账-{file_stamp()}.xlsx"),
        )


class ProblemCountsView(ScopedListMixin, View):
    """问题统计: the campaign's problems per county (or city) and area, for the whole reach."""

    scoped_model = Problem
    required_permission = "inspections.view_problem"
    shows_rows = False  # figures per region, not rows: their scoping is tested by value

    def _counts(self, request):
        by = "city" if request.GET.get("by") == "city" else "county"
        rows, total = selectors.problem_counts(
            user=request.user, campaign=_campaign(request), by=by
        )
        return by, rows, total

    def get(self, request: HttpRequest) -> HttpResponse:
        by, rows, total = self._counts(request)
        return render(
            request,
            "inspections/problem_counts.html",
            {
                "by": by,
                "rows": rows,
                "total": total,
                # short headings keep the table within a 1366 px screen; the full name on hover
                "areas": [(v, AREA_SHORT[v], label) for v, label in Area.choices],
                "statuses": [(s, Problem.Status(s).label) for s in Problem.COUNTED],
                "problems_url": reverse("inspections:problems"),  # once, not once per cell
                "campaign": _campaign(request),
            },
        )


class ProblemCountsExportView(ProblemCountsView):
    def get(self, request: HttpRequest) -> HttpResponse:
        by, rows, total = self._counts(request)
        return xlsx_response(
            exports.problem_counts_workbook(rows, total, by), f"问题统计-{file_stamp()}.xlsx"
        )


# what later stages show on a problem's page (its path and case in stage 3, its rectification in
# stage 4 …): each higher app registers a function (request, problem) -> (template, context) or None;
# the ledger imports none of them
PROBLEM_PANELS: list = []


def problem_panels(request, problem) -> list[tuple[str, dict]]:
    return [panel for render_panel in PROBLEM_PANELS if (panel := render_panel(request, problem))]


class ProblemDetailView(ScopedObjectMixin, View):
    scoped_model = Problem

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        problem = selectors.problem_get(user=request.user, pk=pk)
        return render(
            request,
            "inspections/problem.html",
            {
                "problem": problem,
                "evidence": problem.evidence.all(),
                "confirmations": selectors.problem_confirmations(
                    user=request.user, problem=problem
                ),
                "events": selectors.problem_events(user=request.user, problem=problem),
                # the primary's date and source only for someone who may open it
                "primary": selectors.problem_list(user=request.user)
                .filter(pk=problem.primary_id)
                .first()
                if problem.primary_id
                else None,
                # the change history is the bureau's; the enterprise sees the problem itself
                "panels": problem_panels(request, problem),
                "history": history_rows(problem)
                if request.user.has_perm("inspections.review_selfcheck")
                else [],
            },
        )
