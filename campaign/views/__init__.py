"""Pages of the campaign app, and the small mixins every scoped page is built from.

Each view class says how it is reached (`access`): "public", "authenticated"
or "scoped" (with `scoped_model`); the permission-matrix test reads this from
the URL configuration, so a new page joins the matrix by being routed.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.models import Model
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from campaign import access
from campaign.history import history_workbook
from campaign.validators import USERNAME_MAX


class AuthenticatedMixin(LoginRequiredMixin):
    access = "authenticated"
    required_permission: str | None = None
    # files the API links to (a record's PDF, a photo) open with the caller's API token too
    accepts_api_token = False

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated and self.accepts_api_token:
            _token_user(request)
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.required_permission and not request.user.has_perm(self.required_permission):
            raise PermissionDenied("您的角色没有此项操作权限。")
        return super().dispatch(request, *args, **kwargs)


def _token_user(request: HttpRequest) -> None:
    """Sign the request in with an `Authorization: Token …` header, as the API would."""
    from rest_framework.exceptions import AuthenticationFailed
    from rest_framework.request import Request

    from campaign.edge import AuditedTokenAuthentication

    try:
        found = AuditedTokenAuthentication().authenticate(Request(request))
    except AuthenticationFailed:
        return
    if found is not None:
        request.user = found[0]


class ScopedObjectMixin(AuthenticatedMixin):
    """Fetches `self.object` through the access policy: out of scope is 404."""

    access = "scoped"
    scoped_model: type[Model]
    object: Any

    def get_scoped_queryset(self):
        return self.scoped_model._default_manager.all()

    def get_object(self) -> Any:
        return access.get_visible_or_404(
            self.request.user, self.get_scoped_queryset(), pk=self.kwargs["pk"]
        )


class ActionMixin:
    """A step on a record (submit, sign, file …): it answers POST only. A GET is 405, never the
    record's page served at the step's address (the step views reuse the page to re-render)."""

    http_method_names = ["post", "options"]


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """A service's refusal onto the form: on the field it names where the form has that field,
    above the form otherwise (a service may name a field the form does not show)."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


class ServiceFormView(View):
    """A page with one form whose valid data goes to one service call.

    A subclass names the form, the template and `perform(form)` (the service call, returning what it
    made or changed). The view shows the form on GET; on POST a valid form goes to the service, and
    the service's ValidationError lands on the form (`add_service_errors`), shown again as a 400 with
    everything the user typed. Success is a message and a redirect."""

    form_class: type[forms.BaseForm]
    template_name: str
    success_message = ""

    def get_form_kwargs(self) -> dict[str, Any]:
        return {}

    def get_form(self, data=None, files=None) -> forms.BaseForm:
        return self.form_class(data, files, **self.get_form_kwargs())

    def get_context_data(self, form: forms.BaseForm) -> dict[str, Any]:
        return {"form": form}

    def perform(self, form: forms.BaseForm) -> Any:
        raise NotImplementedError

    def get_success_url(self, result: Any) -> str:
        raise NotImplementedError

    def get_success_message(self, result: Any) -> str:
        return self.success_message

    def render_form(self, form: forms.BaseForm, status: int = 200) -> HttpResponse:
        return render(self.request, self.template_name, self.get_context_data(form), status=status)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render_form(self.get_form())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.get_form(request.POST, request.FILES)
        if form.is_valid():
            try:
                result = self.perform(form)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                if message := self.get_success_message(result):
                    messages.success(request, message)
                return redirect(self.get_success_url(result))
        return self.render_form(form, status=400)


class ScopedListMixin(AuthenticatedMixin):
    access = "scoped"
    scoped_model: type[Model]


def list_query(request: HttpRequest) -> str:
    """The list's filters as a query string without its page: for the export link and the pager."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def xlsx_response(file, filename: str) -> FileResponse:
    return FileResponse(
        file,
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


class HistoryExportMixin(ScopedObjectMixin):
    """Every audited object's change history as Excel."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> FileResponse:
        obj = self.get_object()
        stamp = timezone.localtime().strftime("%Y%m%d")
        return xlsx_response(history_workbook(obj), f"变更记录-{obj}-{stamp}.xlsx")


class HealthView(View):
    access = "public"

    def get(self, request: HttpRequest) -> JsonResponse:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
        except Exception:  # any database failure is "unhealthy", never a 500 page
            return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
        return JsonResponse({"status": "ok", "database": "ok"})


# --- third-party views, declared for the permission matrix ----------------------------------


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码不正确。注意密码区分大小写；连续输错 5 次将被锁定 30 分钟。",
        "inactive": "该账号已停用，请联系系统管理员。",
    }

    def clean_username(self) -> str:
        # AuthenticationForm sets max_length after its validators exist: checked here, before a
        # failed attempt is recorded (the lockout log keeps at most 255 characters)
        username = self.cleaned_data["username"]
        if len(username) > USERNAME_MAX:
            raise forms.ValidationError(f"用户名最多 {USERNAME_MAX} 个字符。")
        return username


class LoginView(auth_views.LoginView):
    access = "public"
    form_class = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    access = "public"


class PasswordChangeView(auth_views.PasswordChangeView):
    access = "authenticated"

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    access = "authenticated"


class SchemaView(SpectacularAPIView):
    access = "authenticated"


class DocsView(SpectacularSwaggerSplitView):
    """The API docs page; its start-up script is a file of its own (no inline script under CSP)."""

    access = "authenticated"


def file_stamp() -> str:
    """The time in a downloaded file's name (Beijing time): 20201204-1730."""
    return timezone.localtime().strftime("%Y%m%d-%H%M")


def confirmed(request: HttpRequest) -> bool:
    """Destructive steps carry an explicit confirmation (the page asks first; the server checks)."""
    return request.POST.get("confirm") == "yes"


def client_ip(request: HttpRequest) -> str | None:
    # REMOTE_ADDR only: behind the proxy it is the proxy's job to set it (never trust X-Forwarded-For here)
    return request.META.get("REMOTE_ADDR") or None
