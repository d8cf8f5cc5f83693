"""Pages of the campaign app: sign-in, health, the organisation pages and the public channel."""

from django.urls import include, path

from campaign import views
from campaign.views import jobs

urlpatterns = [
    path("healthz", views.HealthView.as_view(), name="healthz"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/password/done/",
        views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("jobs/", jobs.JobListView.as_view(), name="jobs"),
    path("jobs/<int:pk>/", jobs.JobView.as_view(), name="job"),
    path("jobs/<int:pk>/file/", jobs.JobFileView.as_view(), name="job-file"),
    path("organisation/", include("campaign.org_urls")),
    path("complaints/", include("campaign.public_urls")),
]
