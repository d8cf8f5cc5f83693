"""/api/v1/ routes of the registry."""

from rest_framework.routers import DefaultRouter

from enterprises.api import EnterpriseViewSet

router = DefaultRouter()
router.include_root_view = False
router.register("enterprises", EnterpriseViewSet, basename="enterprise")

urlpatterns = router.urls
