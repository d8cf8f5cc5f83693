"""/api/v1/ routes of stage 5."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from crosscheck.api.record import (
    AccountabilityViewSet,
    DecideAPI,
    FindingAddAPI,
    RecordSignAPI,
    RespondAPI,
)
from crosscheck.api.round import (
    CloseAPI,
    DrawAPI,
    ReplayAPI,
    RescheduleAPI,
    RoundCreateAPI,
    RoundViewSet,
    SampleAPI,
)
from crosscheck.api.team import ConflictsAPI, TeamDrawAPI, TeamReplayAPI, TeamsAPI

router = DefaultRouter()
router.include_root_view = False
router.register("verification-rounds", RoundViewSet, basename="verification-round")
router.register("accountability", AccountabilityViewSet, basename="accountability")

urlpatterns = [
    path("verification-rounds/open/", RoundCreateAPI.as_view(), name="api-verification-round-open"),
    path(
        "verification-rounds/<int:pk>/draw/", DrawAPI.as_view(), name="api-verification-round-draw"
    ),
    path(
        "verification-rounds/<int:pk>/replay/",
        ReplayAPI.as_view(),
        name="api-verification-round-replay",
    ),
    path(
        "verification-rounds/<int:pk>/reschedule/",
        RescheduleAPI.as_view(),
        name="api-verification-round-reschedule",
    ),
    path(
        "verification-rounds/<int:pk>/close/",
        CloseAPI.as_view(),
        name="api-verification-round-close",
    ),
    path(
        "verification-rounds/<int:pk>/sample/",
        SampleAPI.as_view(),
        name="api-verification-round-sample",
    ),
    path("verification-rounds/<int:pk>/teams/", TeamsAPI.as_view(), name="api-verification-teams"),
    path(
        "verification-rounds/<int:pk>/teams/draw/",
        TeamDrawAPI.as_view(),
        name="api-verification-team-draw",
    ),
    path(
        "verification-rounds/<int:pk>/teams/replay/",
        TeamReplayAPI.as_view(),
        name="api-verification-team-replay",
    ),
    path("verification-conflicts/", ConflictsAPI.as_view(), name="api-verification-conflicts"),
    path(
        "verification-units/<int:pk>/findings/",
        FindingAddAPI.as_view(),
        name="api-verification-finding-add",
    ),
    path(
        "verification-records/<int:pk>/sign/",
        RecordSignAPI.as_view(),
        name="api-verification-record-sign",
    ),
    path(
        "accountability/<int:pk>/respond/",
        RespondAPI.as_view(),
        name="api-accountability-respond",
    ),
    path("accountability/<int:pk>/decide/", DecideAPI.as_view(), name="api-accountability-decide"),
    *router.urls,
]
