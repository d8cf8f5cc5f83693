"""/api/v1/ routes of stages 1 and 2 and the ledger."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from inspections.api.catalogue import CheckItemViewSet
from inspections.api.ledger import ProblemViewSet
from inspections.api.onsite import (
    FindingAmendAPI,
    FindingEvidenceAPI,
    FindingSaveAPI,
    InspectionHeaderAPI,
    InspectionPlanAPI,
    InspectionSignAPI,
    InspectionSubmitAPI,
    InspectionViewSet,
)
from inspections.api.selfcheck import (
    AnswerEvidenceAPI,
    AnswerSaveAPI,
    SelfCheckFileAPI,
    SelfCheckReturnAPI,
    SelfCheckViewSet,
)

router = DefaultRouter()
router.include_root_view = False
router.register("check-items", CheckItemViewSet, basename="check-item")
router.register("self-checks", SelfCheckViewSet, basename="self-check")
router.register("problems", ProblemViewSet, basename="problem")
router.register("inspections", InspectionViewSet, basename="inspection")

urlpatterns = [
    # before the router's inspections/<pk>/ routes
    path("inspections/plan/", InspectionPlanAPI.as_view(), name="api-inspection-plan"),
    path(
        "inspections/<int:pk>/submit/", InspectionSubmitAPI.as_view(), name="api-inspection-submit"
    ),
    path(
        "inspections/<int:pk>/header/", InspectionHeaderAPI.as_view(), name="api-inspection-header"
    ),
    path("inspections/<int:pk>/sign/", InspectionSignAPI.as_view(), name="api-inspection-sign"),
    path("inspection-findings/<int:pk>/", FindingSaveAPI.as_view(), name="api-finding-save"),
    path(
        "inspection-findings/<int:pk>/evidence/",
        FindingEvidenceAPI.as_view(),
        name="api-finding-evidence",
    ),
    path(
        "inspection-findings/<int:pk>/amend/", FindingAmendAPI.as_view(), name="api-finding-amend"
    ),
    path("self-checks/<int:pk>/file/", SelfCheckFileAPI.as_view(), name="api-self-check-file"),
    path(
        "self-checks/<int:pk>/return/", SelfCheckReturnAPI.as_view(), name="api-self-check-return"
    ),
    path("self-check-answers/<int:pk>/", AnswerSaveAPI.as_view(), name="api-answer-save"),
    path(
        "self-check-answers/<int:pk>/evidence/",
        AnswerEvidenceAPI.as_view(),
        name="api-answer-evidence",
    ),
    *router.urls,
]
