"""/api/v1/ routes of stage 3."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from cases.api import CaseStepAPI, CaseViewSet, ClassifyAPI, DeadlineViewSet

router = DefaultRouter()
router.include_root_view = False
router.register("cases", CaseViewSet, basename="case")
router.register("case-deadlines", DeadlineViewSet, basename="case-deadline")

urlpatterns = [
    path("cases/<int:pk>/step/", CaseStepAPI.as_view(), name="api-case-step"),
    path("classifications/", ClassifyAPI.as_view(), name="api-classify"),
    *router.urls,
]
