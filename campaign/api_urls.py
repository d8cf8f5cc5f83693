"""/api/v1/ routes of the campaign app: sign-in, the caller, reference data, organisation and
resumable uploads."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from campaign.api import (
    AssignmentViewSet,
    CampaignViewSet,
    CommitmentViewSet,
    ComplaintViewSet,
    IndustryViewSet,
    JobViewSet,
    LiaisonTableViewSet,
    MeView,
    PoolMembershipViewSet,
    RegionViewSet,
    RosterGroupViewSet,
    TokenView,
)
from campaign.api_resumable import UploadAPI, UploadStartAPI

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
router.register("jobs", JobViewSet, basename="api-job")

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("me/", MeView.as_view(), name="api-me"),
    path("uploads/", UploadStartAPI.as_view(), name="api-uploads"),
    path("uploads/<int:pk>/", UploadAPI.as_view(), name="api-upload"),
    *router.urls,
]
