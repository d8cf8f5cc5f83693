from django.contrib import admin
from django.urls import include, path

from campaign import views
from reporting.views import HomeView

admin.site.site_header = "一体化执法平台 · 系统管理"
admin.site.site_title = "一体化执法平台"

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
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
    path("enterprises/", include("enterprises.urls")),
    path("", include("inspections.urls")),
    path("api/v1/", include("campaign.api_urls")),
    path("api/schema/", views.SchemaView.as_view(), name="api-schema"),
    path("api/docs/", views.DocsView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
]
