from django.urls import path

from enterprises import views

app_name = "enterprises"

urlpatterns = [
    path("", views.EnterpriseListView.as_view(), name="list"),
    path("export.xlsx", views.EnterpriseExportView.as_view(), name="export"),
    path("new/", views.EnterpriseCreateView.as_view(), name="create"),
    path("<int:pk>/", views.EnterpriseDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.EnterpriseUpdateView.as_view(), name="update"),
    path(
        "<int:pk>/history.xlsx", views.EnterpriseHistoryExportView.as_view(), name="history-export"
    ),
    path("import/", views.EnterpriseImportView.as_view(), name="import"),
    path(
        "import/template.xlsx", views.EnterpriseImportTemplateView.as_view(), name="import-template"
    ),
    path("imports/<int:pk>/", views.EnterpriseImportDetailView.as_view(), name="import-detail"),
    path(
        "imports/<int:pk>/errors.xlsx",
        views.EnterpriseImportErrorsView.as_view(),
        name="import-errors",
    ),
]
