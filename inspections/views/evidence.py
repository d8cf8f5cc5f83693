"""Evidence files, served where their record may be seen."""

from __future__ import annotations

from django.http import FileResponse, HttpRequest
from django.views import View

from campaign.views import (
    ScopedObjectMixin,
)
from inspections.models import Evidence


class EvidenceView(ScopedObjectMixin, View):
    accepts_api_token = True  # the API links here (pdf_url, evidence url)

    scoped_model = Evidence

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        evidence = self.get_object()
        return FileResponse(
            evidence.file.open("rb"),
            filename=evidence.original_name,
            content_type=evidence.content_type,
            as_attachment=not evidence.is_image,
        )
