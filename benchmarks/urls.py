"""The app's URLs plus the floors of the page benchmarks: a minimal authenticated view of one row,
and per list the same rows by one raw SQL query (benchmarks/floors.py)."""

from django.http import HttpResponse
from django.urls import path
from django.views import View

from benchmarks.floors import FLOORS, floor_path
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
    *(
        path(floor_path(name).lstrip("/"), view.as_view(), name=f"bench-rows-{name}")
        for name, (view, _list) in FLOORS.items()
    ),
    *app_urlpatterns,
]
