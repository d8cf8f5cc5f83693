"""/api/v1/ routes of stage 4."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from rectification.api.plan import (
    ApplyAPI,
    EvidenceAPI,
    ExtensionRequestAPI,
    ItemPlanAPI,
    ItemViewSet,
    MeasureDoneAPI,
    PlanViewSet,
    ProgressAPI,
)
from rectification.api.verification import (
    CheckAPI,
    ExtensionDecideAPI,
    ProposalDecideAPI,
    ProposalViewSet,
)

router = DefaultRouter()
router.include_root_view = False
router.register("rectification-plans", PlanViewSet, basename="rectification-plan")
router.register("rectification-items", ItemViewSet, basename="rectification-item")
router.register("rectification-proposals", ProposalViewSet, basename="rectification-proposal")

urlpatterns = [
    path(
        "rectification-items/<int:pk>/plan/",
        ItemPlanAPI.as_view(),
        name="api-rectification-item-plan",
    ),
    path(
        "rectification-items/<int:pk>/measure-done/",
        MeasureDoneAPI.as_view(),
        name="api-rectification-measure-done",
    ),
    path(
        "rectification-items/<int:pk>/progress/",
        ProgressAPI.as_view(),
        name="api-rectification-progress",
    ),
    path(
        "rectification-items/<int:pk>/evidence/",
        EvidenceAPI.as_view(),
        name="api-rectification-evidence",
    ),
    path("rectification-items/<int:pk>/apply/", ApplyAPI.as_view(), name="api-rectification-apply"),
    path(
        "rectification-items/<int:pk>/extension/",
        ExtensionRequestAPI.as_view(),
        name="api-rectification-extension",
    ),
    path("rectification-items/<int:pk>/check/", CheckAPI.as_view(), name="api-rectification-check"),
    path(
        "rectification-extensions/<int:pk>/decide/",
        ExtensionDecideAPI.as_view(),
        name="api-rectification-extension-decide",
    ),
    path(
        "rectification-proposals/<int:pk>/decide/",
        ProposalDecideAPI.as_view(),
        name="api-rectification-proposal-decide",
    ),
    *router.urls,
]
