"""Pages of the campaign app: sign-in, health, the organisation pages and the public channel."""

from django.urls import include, path

from campaign import views

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
    path("organisation/", include("campaign.org_urls")),
    path("complaints/", include("campaign.public_urls")),
]
