from django.urls import path

from campaign.views import complaints

app_name = "public"

urlpatterns = [
    path("", complaints.ComplaintCreateView.as_view(), name="complaint-create"),
    path("done/", complaints.ComplaintDoneView.as_view(), name="complaint-done"),
    path("status/", complaints.ComplaintStatusView.as_view(), name="complaint-status"),
]
