"""Pages of the campaign calendar: stage windows, each city's own windows, a new campaign year."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from campaign import access, workdays
from campaign.forms import (
    CampaignCreateForm,
    CampaignForm,
    CityWindowForm,
    HolidayYearForm,
    WindowsForm,
)
from campaign.models import (
    HolidayYear,
    Region,
    StageWindow,
)
from campaign.selectors import calendar as calendar_selectors
from campaign.services import calendar as calendar_services
from campaign.views import (
    AuthenticatedMixin,
    ScopedListMixin,
    ScopedObjectMixin,
    ServiceFormView,
    add_service_errors,
    confirmed,
)
from campaign.views.common import (
    CITY_WINDOW,
    MANAGE,
    current_campaign_or_404,
)


class CalendarView(ScopedListMixin, View):
    scoped_model = StageWindow

    def get(self, request: HttpRequest) -> HttpResponse:
        campaign = current_campaign_or_404()
        city_id = calendar_selectors.user_city_id(request.user)
        cities = access.regions_in_reach(
            request.user, Region.objects.filter(level=Region.Level.CITY)
        )
        may_set_city = request.user.has_perm(CITY_WINDOW)
        return render(
            request,
            "campaign/calendar.html",
            {
                "campaign": campaign,
                "statuses": calendar_selectors.campaign_stage_statuses(campaign, city_id=city_id),
                "province_windows": calendar_selectors.windows_for(campaign),
                "city_windows": calendar_selectors.city_windows(campaign),
                "can_edit": request.user.has_perm(MANAGE),
                "city_form": CityWindowForm(cities=cities) if may_set_city else None,
            },
        )


class CalendarEditView(AuthenticatedMixin, View):
    required_permission = MANAGE

    def _render(self, request, form, windows_form, status=200):
        return render(
            request,
            "campaign/calendar_edit.html",
            {"form": form, "windows_form": windows_form},
            status=status,
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        campaign = current_campaign_or_404()
        windows = {w.stage: w for w in calendar_selectors.windows_for(campaign)}
        return self._render(request, CampaignForm(instance=campaign), WindowsForm(windows=windows))

    def post(self, request: HttpRequest) -> HttpResponse:
        campaign = current_campaign_or_404()
        windows = {w.stage: w for w in calendar_selectors.windows_for(campaign)}
        form = CampaignForm(request.POST, instance=campaign)
        windows_form = WindowsForm(request.POST, windows=windows)
        if form.is_valid() and windows_form.is_valid():
            values = {name: form.cleaned_data[name] for name in CampaignForm.Meta.fields}
            try:
                calendar_services.campaign_update(
                    actor=request.user,
                    campaign=campaign,
                    values=values,
                    windows=windows_form.windows(),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "执法行动日历已保存。")
                return redirect("campaign:calendar")
        return self._render(request, form, windows_form, status=400)


class CampaignCreateView(AuthenticatedMixin, ServiceFormView):
    """A new campaign year, set up from the current one (windows, roster, integrity texts)."""

    required_permission = MANAGE
    form_class = CampaignCreateForm
    template_name = "campaign/form_page.html"

    def get_form(self, data=None, files=None):
        self.source = current_campaign_or_404()
        if data is not None:
            return CampaignCreateForm(data)
        year = self.source.year
        return CampaignCreateForm(
            initial={"year": year + 1, "name": self.source.name.replace(str(year), str(year + 1))}
        )

    def get_context_data(self, form):
        return {
            "title": f"新建执法行动年度（以{self.source.name}为基础）",
            "form": form,
            "back": "campaign:calendar",
        }

    def perform(self, form):
        return calendar_services.campaign_create_from(
            actor=self.request.user, source=self.source, **form.cleaned_data
        )

    def get_success_message(self, campaign):
        return f"已新建{campaign.name}，并设为当前年度。请核对各阶段时间。"

    def get_success_url(self, campaign):
        return reverse("campaign:calendar-edit")


class CityWindowSetView(AuthenticatedMixin, ServiceFormView):
    """A city's own stage window: posted from the calendar page (GET is 405)."""

    required_permission = CITY_WINDOW
    http_method_names = ["post", "options"]
    template_name = "campaign/form_page.html"

    def get_form(self, data=None, files=None):
        self.campaign = current_campaign_or_404()
        cities = access.regions_in_reach(
            self.request.user, Region.objects.filter(level=Region.Level.CITY)
        )
        return CityWindowForm(data, cities=cities)

    def get_context_data(self, form):
        return {"title": "设置本市阶段时间", "form": form, "back": "campaign:calendar"}

    def perform(self, form):
        calendar_services.city_window_set(
            actor=self.request.user, campaign=self.campaign, **form.cleaned_data
        )
        return form.cleaned_data["city"]

    def get_success_message(self, city):
        return f"已为{city.name}设置本市的阶段时间。"

    def get_success_url(self, city):
        return reverse("campaign:calendar")


class CityWindowDeleteView(ScopedObjectMixin, View):
    scoped_model = StageWindow
    required_permission = CITY_WINDOW

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        window = self.get_object()
        if not calendar_services.may_set_city_window(request.user, window.city_id):
            raise PermissionDenied("只有系统管理员或该市生态环境局可以恢复本市的阶段时间。")
        if not confirmed(request):
            return render(
                request,
                "campaign/confirm.html",
                {"question": f"确定删除{window}，恢复为全省统一时间吗？"},
                status=400,
            )
        calendar_services.city_window_delete(actor=request.user, window=window)
        messages.success(request, "已恢复为全省统一时间。")
        return redirect("campaign:calendar")


class HolidayCalendarView(AuthenticatedMixin, View):
    """法定节假日: which years the statutory clocks know, and for administrators the form to enter a
    missing year from the State Council's notice (posted to HolidayYearSaveView)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        # the form starts at the first year that is missing, the one to enter
        missing = workdays.missing_now(timezone.localdate())
        form = HolidayYearForm(initial={"year": missing[0]} if missing else None)
        return render(request, "campaign/holidays.html", holiday_context(request, form))


def holiday_context(request: HttpRequest, form: HolidayYearForm) -> dict:
    package = workdays.package_years()
    return {
        "form": form,
        "can_enter": request.user.has_perm(MANAGE),
        "package_years": f"{package.start}–{package.stop - 1}",
        "entered": HolidayYear.objects.select_related("entered_by").prefetch_related("dates"),
        "missing": workdays.missing_now(timezone.localdate()),
    }


class HolidayYearSaveView(AuthenticatedMixin, ServiceFormView):
    required_permission = MANAGE
    template_name = "campaign/holidays.html"
    form_class = HolidayYearForm

    def get_context_data(self, form):
        return holiday_context(self.request, form)

    def perform(self, form):
        return calendar_services.holiday_year_save(
            actor=self.request.user,
            year=form.cleaned_data["year"],
            source=form.cleaned_data["source"],
            holidays=form.cleaned_data["holidays"],
            workdays=form.cleaned_data["workdays"],
        )

    def get_success_message(self, entry):
        return f"已保存 {entry.year} 年法定节假日安排：此后计算的期限按这些日期。"

    def get_success_url(self, entry):
        return reverse("campaign:holidays")
