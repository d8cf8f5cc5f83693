"""Pages of reporting: the per-role home page (the weekly and final reports join here)."""

from django.urls import path

from reporting.views import HomeView

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
]
