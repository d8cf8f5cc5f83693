"""The project's URLs: every app's pages and API routes, mounted here and nowhere else."""

from django.contrib import admin
from django.urls import include, path

from campaign import views

admin.site.site_header = "一体化执法平台 · 系统管理"
admin.site.site_title = "一体化执法平台"

urlpatterns = [
    path("", include("reporting.urls")),
    path("", include("campaign.urls")),
    path("enterprises/", include("enterprises.urls")),
    path("", include("inspections.urls")),
    path("cases/", include("cases.urls")),
    path("rectification/", include("rectification.urls")),
    path("crosscheck/", include("crosscheck.urls")),
    path("api/v1/", include("config.api_urls")),
    path("api/schema/", views.SchemaView.as_view(), name="api-schema"),
    path("api/docs/", views.DocsView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
]
