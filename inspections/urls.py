"""Pages of stage 1, stage 2 and the ledger."""

from django.urls import path

from inspections.views import evidence, ledger, onsite, selfcheck

app_name = "inspections"

urlpatterns = [
    path("self-checks/", selfcheck.SelfCheckListView.as_view(), name="self-checks"),
    path(
        "self-checks/export.xlsx",
        selfcheck.SelfCheckExportView.as_view(),
        name="self-checks-export",
    ),
    path("self-checks/coverage/", selfcheck.CoverageView.as_view(), name="coverage"),
    path(
        "self-checks/coverage.xlsx", selfcheck.CoverageExportView.as_view(), name="coverage-export"
    ),
    path("self-checks/missing/", selfcheck.MissingView.as_view(), name="missing"),
    path("self-checks/missing.xlsx", selfcheck.MissingExportView.as_view(), name="missing-export"),
    path(
        "self-checks/open/<int:pk>/", selfcheck.SelfCheckOpenView.as_view(), name="self-check-open"
    ),
    path("self-checks/<int:pk>/", selfcheck.SelfCheckDetailView.as_view(), name="self-check"),
    path(
        "self-checks/<int:pk>/header/",
        selfcheck.SelfCheckHeaderView.as_view(),
        name="self-check-header",
    ),
    path(
        "self-checks/<int:pk>/submit/",
        selfcheck.SelfCheckSubmitView.as_view(),
        name="self-check-submit",
    ),
    path(
        "self-checks/<int:pk>/file/", selfcheck.SelfCheckFileView.as_view(), name="self-check-file"
    ),
    path(
        "self-checks/<int:pk>/return/",
        selfcheck.SelfCheckReturnView.as_view(),
        name="self-check-return",
    ),
    path("self-checks/<int:pk>/pdf/", selfcheck.SelfCheckPdfView.as_view(), name="self-check-pdf"),
    path(
        "self-checks/<int:pk>/export.xlsx",
        selfcheck.SelfCheckExcelView.as_view(),
        name="self-check-export",
    ),
    path("self-checks/answers/<int:pk>/", selfcheck.AnswerSaveView.as_view(), name="answer-save"),
    path(
        "self-checks/answers/<int:pk>/evidence/",
        selfcheck.AnswerEvidenceView.as_view(),
        name="answer-evidence",
    ),
    path("evidence/<int:pk>/", evidence.EvidenceView.as_view(), name="evidence"),
    path("inspections/", onsite.InspectionListView.as_view(), name="inspections"),
    path(
        "inspections/export.xlsx", onsite.InspectionExportView.as_view(), name="inspections-export"
    ),
    path("inspections/new/", onsite.InspectionPlanView.as_view(), name="inspection-plan"),
    path("inspections/<int:pk>/", onsite.InspectionDetailView.as_view(), name="inspection"),
    path(
        "inspections/<int:pk>/start/", onsite.InspectionStartView.as_view(), name="inspection-start"
    ),
    path(
        "inspections/<int:pk>/header/",
        onsite.InspectionHeaderView.as_view(),
        name="inspection-header",
    ),
    path("inspections/<int:pk>/sign/", onsite.InspectionSignView.as_view(), name="inspection-sign"),
    path(
        "inspections/<int:pk>/submit/",
        onsite.InspectionSubmitView.as_view(),
        name="inspection-submit",
    ),
    path(
        "inspections/<int:pk>/postpone/",
        onsite.InspectionPostponeView.as_view(),
        name="inspection-postpone",
    ),
    path("inspections/<int:pk>/pdf/", onsite.InspectionPdfView.as_view(), name="inspection-pdf"),
    path(
        "inspections/<int:pk>/original/",
        onsite.InspectionOriginalView.as_view(),
        name="inspection-original",
    ),
    path("inspections/findings/<int:pk>/", onsite.FindingSaveView.as_view(), name="finding-save"),
    path(
        "inspections/findings/<int:pk>/evidence/",
        onsite.FindingEvidenceView.as_view(),
        name="finding-evidence",
    ),
    path(
        "inspections/findings/<int:pk>/amend/",
        onsite.FindingAmendView.as_view(),
        name="finding-amend",
    ),
    path("problems/", ledger.ProblemListView.as_view(), name="problems"),
    path("problems/export.xlsx", ledger.ProblemExportView.as_view(), name="problems-export"),
    path("problems/counts/", ledger.ProblemCountsView.as_view(), name="problem-counts"),
    path(
        "problems/counts.xlsx",
        ledger.ProblemCountsExportView.as_view(),
        name="problem-counts-export",
    ),
    path("problems/<int:pk>/", ledger.ProblemDetailView.as_view(), name="problem"),
]
