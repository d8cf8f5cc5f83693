"""Pages of stage 3."""

from django.urls import path

from cases import views, views_discretion, views_documents

app_name = "cases"

urlpatterns = [
    path("", views.CaseListView.as_view(), name="list"),
    path("export.xlsx", views.CaseExportView.as_view(), name="export"),
    path("new/", views.CaseOpenView.as_view(), name="open"),
    path("classify/", views.ClassifyView.as_view(), name="classify"),
    path("classifications/", views.ClassificationListView.as_view(), name="classifications"),
    path(
        "classifications/<int:pk>/",
        views.ClassificationDetailView.as_view(),
        name="classification",
    ),
    path(
        "classifications/<int:pk>/commitment/",
        views.CommitmentView.as_view(),
        name="commitment",
    ),
    path("classifications/<int:pk>/follow-up/", views.FollowUpView.as_view(), name="follow-up"),
    path("five-kinds/", views.FiveKindsView.as_view(), name="five-kinds"),
    path("five-kinds.xlsx", views.FiveKindsExportView.as_view(), name="five-kinds-export"),
    path("deadlines/", views.DeadlineListView.as_view(), name="deadlines"),
    path("deadlines/export.xlsx", views.DeadlineExportView.as_view(), name="deadlines-export"),
    path("notices/", views.NoticeListView.as_view(), name="notices"),
    path("notices/export.xlsx", views.NoticeExportView.as_view(), name="notices-export"),
    path("notices/<int:pk>/", views.NoticeDetailView.as_view(), name="notice"),
    path("notices/<int:pk>/pdf/", views.NoticePdfView.as_view(), name="notice-pdf"),
    path("notices/<int:pk>/serve/", views.NoticeServeView.as_view(), name="notice-serve"),
    path("notices/<int:pk>/withdraw/", views.NoticeWithdrawView.as_view(), name="notice-withdraw"),
    path("notices/<int:pk>/reply/", views.NoticeReplyView.as_view(), name="notice-reply"),
    path("<int:pk>/notice/", views.NoticeDraftView.as_view(), name="notice-draft"),
    path("documents/", views_documents.EnterpriseDocumentsView.as_view(), name="documents"),
    path("documents/<int:pk>/pdf/", views_documents.DocumentPdfView.as_view(), name="document-pdf"),
    path(
        "documents/<int:pk>/serve/",
        views_documents.DocumentServeView.as_view(),
        name="document-serve",
    ),
    path(
        "service-records/<int:pk>/pdf/",
        views_documents.ServiceRecordPdfView.as_view(),
        name="service-record-pdf",
    ),
    path(
        "notices/<int:pk>/service-record/",
        views_documents.NoticeServiceRecordView.as_view(),
        name="notice-service-record",
    ),
    path("<int:pk>/documents/", views_documents.DocumentIssueView.as_view(), name="document-issue"),
    path("<int:pk>/discretion/", views_discretion.DiscretionView.as_view(), name="discretion"),
    path("<int:pk>/measures/", views.MeasureStartView.as_view(), name="measure-start"),
    path("measures/<int:pk>/", views.MeasureActView.as_view(), name="measure-act"),
    path("<int:pk>/", views.CaseDetailView.as_view(), name="case"),
    path("<int:pk>/step/", views.CaseStepView.as_view(), name="step"),
]
