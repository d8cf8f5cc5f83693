"""/api/v1/ routes of stage 3."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from cases.api import (
    CaseStepAPI,
    CaseViewSet,
    ClassifyAPI,
    DeadlineViewSet,
    MeasureActAPI,
    MeasureStartAPI,
    NoticeDraftAPI,
    NoticeReplyAPI,
    NoticeServeAPI,
    NoticeViewSet,
)
from cases.api_documents import CaseDocumentViewSet, DocumentIssueAPI, DocumentServeAPI

router = DefaultRouter()
router.include_root_view = False
router.register("cases", CaseViewSet, basename="case")
router.register("case-deadlines", DeadlineViewSet, basename="case-deadline")
router.register("notices", NoticeViewSet, basename="notice")
router.register("case-documents", CaseDocumentViewSet, basename="case-document")

urlpatterns = [
    path("cases/<int:pk>/step/", CaseStepAPI.as_view(), name="api-case-step"),
    path("classifications/", ClassifyAPI.as_view(), name="api-classify"),
    path("cases/<int:pk>/documents/", DocumentIssueAPI.as_view(), name="api-document-issue"),
    path("case-documents/<int:pk>/serve/", DocumentServeAPI.as_view(), name="api-document-serve"),
    path("notices/draft/", NoticeDraftAPI.as_view(), name="api-notice-draft"),
    path("cases/<int:pk>/measures/", MeasureStartAPI.as_view(), name="api-measure-start"),
    path("measures/<int:pk>/act/", MeasureActAPI.as_view(), name="api-measure-act"),
    path("notices/<int:pk>/serve/", NoticeServeAPI.as_view(), name="api-notice-serve"),
    path("notices/<int:pk>/replies/", NoticeReplyAPI.as_view(), name="api-notice-reply"),
    *router.urls,
]
