"""Pages of stage 4."""

from django.urls import path

from rectification.views import guidance, plan, verification

app_name = "rectification"

urlpatterns = [
    path("", plan.ItemListView.as_view(), name="items"),
    path("export.xlsx", plan.ItemExportView.as_view(), name="items-export"),
    path("plans/", plan.PlanListView.as_view(), name="plans"),
    path("plans/export.xlsx", plan.PlanExportView.as_view(), name="plans-export"),
    path("plans/build/", plan.BuildView.as_view(), name="build"),
    path("plans/build-region/", plan.BuildRegionView.as_view(), name="build-region"),
    path("plans/<int:pk>/", plan.PlanDetailView.as_view(), name="plan"),
    path("plans/<int:pk>/pdf/", plan.PlanPdfView.as_view(), name="plan-pdf"),
    path("items/<int:pk>/", plan.ItemDetailView.as_view(), name="item"),
    path("items/<int:pk>/edit/", plan.ItemEditView.as_view(), name="item-edit"),
    path("items/<int:pk>/measure-done/", plan.MeasureDoneView.as_view(), name="measure-done"),
    path("items/<int:pk>/progress/", plan.ProgressView.as_view(), name="progress"),
    path("items/<int:pk>/evidence/", plan.EvidenceView.as_view(), name="evidence"),
    path("items/<int:pk>/apply/", plan.ApplyView.as_view(), name="apply"),
    path("items/<int:pk>/extension/", plan.ExtensionRequestView.as_view(), name="extension"),
    path("items/<int:pk>/check/", verification.CheckView.as_view(), name="check"),
    path(
        "extensions/<int:pk>/decide/",
        verification.ExtensionDecideView.as_view(),
        name="extension-decide",
    ),
    path("proposals/", verification.ProposalListView.as_view(), name="proposals"),
    path(
        "proposals/export.xlsx",
        verification.ProposalExportView.as_view(),
        name="proposals-export",
    ),
    path(
        "proposals/<int:pk>/decide/",
        verification.ProposalDecideView.as_view(),
        name="proposal-decide",
    ),
    path("completion/", verification.CompletionView.as_view(), name="completion"),
    path("guidance/", guidance.GuidanceListView.as_view(), name="guidance"),
    path("guidance/export.xlsx", guidance.GuidanceExportView.as_view(), name="guidance-export"),
    path("guidance/new/", guidance.GuidanceNewView.as_view(), name="guidance-new"),
]
