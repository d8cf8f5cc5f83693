"""Pages of the campaign calendar: stage windows, each city's own windows, a new campaign year."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views import View

from campaign import access
from campaign.forms import (
    CampaignCreateForm,
    CampaignForm,
    CityWindowForm,
    WindowsForm,
)
from campaign.models import (
    Region,
    StageWindow,
)
from campaign.selectors import calendar as calendar_selectors
from campaign.services import calendar as calendar_services
from campaign.views import (
    AuthenticatedMixin,
    ScopedListMixin,
    ScopedObjectMixin,
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
                form.add_error(None, exc)
            else:
                messages.success(request, "执法行动日历已保存。")
                return redirect("campaign:calendar")
        return self._render(request, form, windows_form, status=400)


class CampaignCreateView(AuthenticatedMixin, View):
    """A new campaign year, set up from the current one (windows, roster, integrity texts)."""

    required_permission = MANAGE

    def get(self, request: HttpRequest) -> HttpResponse:
        source = current_campaign_or_404()
        form = CampaignCreateForm(
            initial={
                "year": source.year + 1,
                "name": source.name.replace(str(source.year), str(source.year + 1)),
            }
        )
        return render(
            request,
            "campaign/form_page.html",
            {
                "title": f"新建执法行动年度（以{source.name}为基础）",
                "form": form,
                "back": "campaign:calendar",
            },
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        source = current_campaign_or_404()
        form = CampaignCreateForm(request.POST)
        if form.is_valid():
            try:
                campaign = calendar_services.campaign_create_from(
                    actor=request.user, source=source, **form.cleaned_data
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for message in errors:
                        form.add_error(field if field in form.fields else None, message)
            else:
                messages.success(
                    request, f"已新建{campaign.name}，并设为当前年度。请核对各阶段时间。"
                )
                return redirect("campaign:calendar-edit")
        return render(
            request,
            "campaign/form_page.html",
            {"title": "新建执法行动年度", "form": form, "back": "campaign:calendar"},
            status=400,
        )


class CityWindowSetView(AuthenticatedMixin, View):
    required_permission = CITY_WINDOW

    def post(self, request: HttpRequest) -> HttpResponse:
        campaign = current_campaign_or_404()
        cities = access.regions_in_reach(
            request.user, Region.objects.filter(level=Region.Level.CITY)
        )
        form = CityWindowForm(request.POST, cities=cities)
        if form.is_valid():
            try:
                calendar_services.city_window_set(
                    actor=request.user, campaign=campaign, **form.cleaned_data
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request, f"已为{form.cleaned_data['city'].name}设置本市的阶段时间。"
                )
                return redirect("campaign:calendar")
        return render(
            request,
            "campaign/form_page.html",
            {"title": "设置本市阶段时间", "form": form, "back": "campaign:calendar"},
            status=400,
        )


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
