"""Pages of stage 3."""

from django.urls import path

from cases import views

app_name = "cases"

urlpatterns = [
    path("", views.CaseListView.as_view(), name="list"),
    path("export.xlsx", views.CaseExportView.as_view(), name="export"),
    path("new/", views.CaseOpenView.as_view(), name="open"),
    path("classify/", views.ClassifyView.as_view(), name="classify"),
    path("classifications/", views.ClassificationListView.as_view(), name="classifications"),
    path("deadlines/", views.DeadlineListView.as_view(), name="deadlines"),
    path("deadlines/export.xlsx", views.DeadlineExportView.as_view(), name="deadlines-export"),
    path("<int:pk>/", views.CaseDetailView.as_view(), name="case"),
    path("<int:pk>/step/", views.CaseStepView.as_view(), name="step"),
]
