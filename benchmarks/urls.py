"""The app's URLs plus the floor of the page benchmarks: a minimal authenticated view of one row."""

from django.http import HttpResponse
from django.urls import path
from django.views import View

from campaign.views import AuthenticatedMixin
from config.urls import urlpatterns as app_urlpatterns
from enterprises.models import Enterprise


class FloorView(AuthenticatedMixin, View):
    """Session, authentication, one indexed read and a response: what no page can beat."""

    def get(self, request, pk: int):
        name = Enterprise.objects.filter(pk=pk).values_list("name", flat=True).first()
        return HttpResponse(name or "", content_type="text/plain; charset=utf-8")


urlpatterns = [
    path("bench/floor/<int:pk>/", FloorView.as_view(), name="bench-floor"),
    *app_urlpatterns,
]
