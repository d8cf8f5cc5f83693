from django.urls import path

from campaign.views import integrity as integ

app_name = "public"

urlpatterns = [
    path("", integ.ComplaintCreateView.as_view(), name="complaint-create"),
    path("status/", integ.ComplaintStatusView.as_view(), name="complaint-status"),
]
