"""/api/v1/: each app's API routes, mounted side by side."""

from django.urls import include, path

urlpatterns = [
    path("", include("campaign.api_urls")),
    path("", include("enterprises.api_urls")),
    path("", include("inspections.api_urls")),
    path("", include("cases.api_urls")),
    path("", include("rectification.api_urls")),
    path("", include("crosscheck.api_urls")),
]
