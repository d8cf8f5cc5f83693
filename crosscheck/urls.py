"""Pages of stage 5."""

from django.urls import path

from crosscheck.views import record, round, team

app_name = "crosscheck"

urlpatterns = [
    path("", round.RoundListView.as_view(), name="rounds"),
    path("export.xlsx", round.RoundExportView.as_view(), name="rounds-export"),
    path("new/", round.RoundNewView.as_view(), name="round-new"),
    path("<int:pk>/", round.RoundDetailView.as_view(), name="round"),
    path("<int:pk>/draw/", round.DrawView.as_view(), name="draw"),
    path("<int:pk>/replay/", round.ReplayView.as_view(), name="replay"),
    path("<int:pk>/reschedule/", round.RescheduleView.as_view(), name="reschedule"),
    path("<int:pk>/close/", round.CloseView.as_view(), name="close"),
    path("<int:pk>/sample.xlsx", round.SampleExportView.as_view(), name="sample-export"),
    path("<int:pk>/summary/", round.SummaryView.as_view(), name="summary"),
    path("<int:pk>/summary.xlsx", round.SummaryExportView.as_view(), name="summary-export"),
    path("<int:pk>/summary.pdf", round.SummaryPdfView.as_view(), name="summary-pdf"),
    path("findings/", record.FindingListView.as_view(), name="findings"),
    path("findings/export.xlsx", record.FindingExportView.as_view(), name="findings-export"),
    path("records/<int:pk>/pdf/", record.RecordPdfView.as_view(), name="record-pdf"),
    path("<int:pk>/teams/draw/", team.TeamDrawView.as_view(), name="team-draw"),
    path("<int:pk>/teams/replay/", team.TeamReplayView.as_view(), name="team-replay"),
    path("my/", team.MyTeamsView.as_view(), name="my-teams"),
    path("sampled/", round.SampledListView.as_view(), name="sampled"),
    path("sampled/export.xlsx", round.SampledExportView.as_view(), name="sampled-export"),
    path("units/<int:pk>/", record.UnitRecordView.as_view(), name="unit"),
    path("units/<int:pk>/findings/", record.FindingAddView.as_view(), name="finding-add"),
    path("findings/<int:pk>/delete/", record.FindingDeleteView.as_view(), name="finding-delete"),
    path("records/<int:pk>/sign/", record.RecordSignView.as_view(), name="record-sign"),
    path("accountability/", record.AccountabilityListView.as_view(), name="accountability-list"),
    path(
        "accountability/export.xlsx",
        record.AccountabilityExportView.as_view(),
        name="accountability-export",
    ),
    path("accountability/<int:pk>/", record.AccountabilityView.as_view(), name="accountability"),
    path(
        "accountability/<int:pk>/respond/",
        record.RespondView.as_view(),
        name="accountability-respond",
    ),
    path(
        "accountability/<int:pk>/decide/", record.DecideView.as_view(), name="accountability-decide"
    ),
    path("conflicts/", team.ConflictListView.as_view(), name="conflicts"),
    path("conflicts/new/", team.ConflictNewView.as_view(), name="conflict-new"),
]
