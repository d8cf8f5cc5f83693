"""/api/v1/: every app's API routes, mounted in one router."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from campaign.api import (
    AssignmentViewSet,
    CampaignViewSet,
    CommitmentViewSet,
    ComplaintViewSet,
    IndustryViewSet,
    LiaisonTableViewSet,
    MeView,
    PoolMembershipViewSet,
    RegionViewSet,
    RosterGroupViewSet,
    TokenView,
)
from enterprises.api import EnterpriseViewSet
from inspections.api import (
    CheckItemViewSet,
    FindingAmendAPI,
    FindingEvidenceAPI,
    FindingSaveAPI,
    InspectionPlanAPI,
    InspectionSubmitAPI,
    InspectionViewSet,
    ProblemViewSet,
    SelfCheckFileAPI,
    SelfCheckReturnAPI,
    SelfCheckViewSet,
)

router = DefaultRouter()
router.include_root_view = False
router.register("regions", RegionViewSet, basename="region")
router.register("industries", IndustryViewSet, basename="industry")
router.register("campaigns", CampaignViewSet, basename="campaign")
router.register("roster-groups", RosterGroupViewSet, basename="roster-group")
router.register("pool-memberships", PoolMembershipViewSet, basename="pool-membership")
router.register("liaison-tables", LiaisonTableViewSet, basename="liaison-table")
router.register("assignments", AssignmentViewSet, basename="assignment")
router.register("commitments", CommitmentViewSet, basename="commitment")
router.register("complaints", ComplaintViewSet, basename="complaint")
router.register("enterprises", EnterpriseViewSet, basename="enterprise")
router.register("check-items", CheckItemViewSet, basename="check-item")
router.register("self-checks", SelfCheckViewSet, basename="self-check")
router.register("problems", ProblemViewSet, basename="problem")
router.register("inspections", InspectionViewSet, basename="inspection")

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("me/", MeView.as_view(), name="api-me"),
    path("inspections/plan/", InspectionPlanAPI.as_view(), name="api-inspection-plan"),
    path(
        "inspections/<int:pk>/submit/", InspectionSubmitAPI.as_view(), name="api-inspection-submit"
    ),
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
    *router.urls,
]
