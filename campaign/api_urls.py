"""/api/v1/: every app's API routes, mounted in one router."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from campaign.api import IndustryViewSet, MeView, RegionViewSet, TokenView
from enterprises.api import EnterpriseViewSet

router = DefaultRouter()
router.include_root_view = False
router.register("regions", RegionViewSet, basename="region")
router.register("industries", IndustryViewSet, basename="industry")
router.register("enterprises", EnterpriseViewSet, basename="enterprise")

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("me/", MeView.as_view(), name="api-me"),
    *router.urls,
]
