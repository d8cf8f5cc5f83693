"""Pages of the organisation: the task-force roster, the pools, people and the cities' liaisons
(附件7)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View

from campaign import access, excel, exports, filters
from campaign.forms import (
    LiaisonFormSet,
    PoolAddForm,
    PoolImportForm,
    RosterGroupForm,
    RosterMemberForm,
)
from campaign.models import (
    LiaisonTable,
    PoolImport,
    PoolMembership,
    Region,
    RosterGroup,
    RosterMember,
    User,
)
from campaign.selectors import calendar as calendar_selectors
from campaign.selectors import organisation as selectors
from campaign.services import organisation as services
from campaign.views import (
    ActionMixin,
    AuthenticatedMixin,
    ScopedListMixin,
    ScopedObjectMixin,
    add_service_errors,
    confirmed,
    xlsx_response,
)
from campaign.views.common import (
    MANAGE,
    current_campaign_or_404,
    stamp,
)


class RosterView(ScopedListMixin, View):
    scoped_model = RosterGroup

    def get(self, request: HttpRequest) -> HttpResponse:
        campaign = current_campaign_or_404()
        groups = list(selectors.roster_groups(user=request.user, campaign=campaign))
        for group in groups:
            # one add-member form per group: ids of its own, so each label focuses its own field
            group.member_form = RosterMemberForm(auto_id=f"id_g{group.pk}_%s")
        return render(
            request,
            "campaign/roster.html",
            {
                "campaign": campaign,
                "groups": groups,
                "can_edit": request.user.has_perm(MANAGE),
                "group_form": RosterGroupForm(auto_id="id_new_%s"),
            },
        )


class RosterExportView(ScopedListMixin, View):
    scoped_model = RosterGroup

    def get(self, request: HttpRequest) -> HttpResponse:
        campaign = current_campaign_or_404()
        groups = selectors.roster_groups(user=request.user, campaign=campaign)
        return xlsx_response(
            exports.roster_workbook(groups), f"组织机构-{campaign.year}-{stamp()}.xlsx"
        )


class RosterGroupAddView(AuthenticatedMixin, View):
    required_permission = MANAGE

    def post(self, request: HttpRequest) -> HttpResponse:
        form = RosterGroupForm(request.POST)
        if form.is_valid():
            try:
                group = services.roster_group_add(
                    actor=request.user, campaign=current_campaign_or_404(), **form.cleaned_data
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for message in errors:
                        form.add_error(field if field in form.fields else None, message)
            else:
                messages.success(request, f"已新增{group.name}。")
                return redirect("campaign:roster")
        return render(
            request,
            "campaign/form_page.html",
            {"title": "新增机构", "form": form, "back": "campaign:roster"},
            status=400,
        )


class RosterMemberAddView(ScopedObjectMixin, View):
    scoped_model = RosterGroup
    required_permission = MANAGE

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        group = self.get_object()
        form = RosterMemberForm(request.POST)
        if form.is_valid():
            try:
                services.roster_member_add(
                    actor=request.user, group=group, values=form.cleaned_data
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"已将{form.cleaned_data['name']}加入{group.name}。")
                return redirect("campaign:roster")
        return render(
            request,
            "campaign/form_page.html",
            {"title": f"{group.name}：添加成员", "form": form, "back": "campaign:roster"},
            status=400,
        )


class RosterGroupDutiesView(ScopedObjectMixin, View):
    scoped_model = RosterGroup
    required_permission = MANAGE

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        group = self.get_object()
        duties = request.POST.get("duties", "")
        if not duties.strip():
            messages.error(request, "主要职责不能为空。")
            return render(
                request, "campaign/confirm.html", {"question": "主要职责不能为空。"}, status=400
            )
        services.roster_group_update(actor=request.user, group=group, duties=duties)
        messages.success(request, f"已更新{group.name}的主要职责。")
        return redirect("campaign:roster")


class RosterMemberDeleteView(ScopedObjectMixin, View):
    scoped_model = RosterMember
    required_permission = MANAGE

    def get_scoped_queryset(self):
        return RosterMember.objects.select_related("group")

    def get_object(self):
        # a member is visible where its group is
        member = super().get_object()
        access.get_visible_or_404(self.request.user, RosterGroup.objects.all(), pk=member.group_id)
        return member

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        member = self.get_object()
        if not confirmed(request):
            return render(
                request,
                "campaign/confirm.html",
                {"question": f"确定将{member.name}移出{member.group.name}吗？"},
                status=400,
            )
        services.roster_member_remove(actor=request.user, member=member)
        messages.success(request, f"已将{member.name}移出{member.group.name}。")
        return redirect("campaign:roster")


class PoolListView(ScopedListMixin, View):
    scoped_model = PoolMembership

    def _filtered(self, request):
        campaign = current_campaign_or_404()
        members = filters.PoolMembershipFilter(
            request.GET,
            queryset=selectors.pool_members(user=request.user, campaign=campaign),
            request=request,
        ).qs
        return campaign, members, request.GET.get("pool") or "", request.GET.get("q") or ""

    def get(self, request: HttpRequest) -> HttpResponse:
        campaign, members, pool, q = self._filtered(request)
        return render(
            request,
            "campaign/pools.html",
            {
                "campaign": campaign,
                "members": members,
                "pool": pool,
                "q": q,
                "pools": PoolMembership.Pool.choices,
                "can_edit": request.user.has_perm(MANAGE),
                "query": request.GET.urlencode(),
            },
        )


class PoolExportView(PoolListView):
    def get(self, request: HttpRequest) -> HttpResponse:
        campaign, members, _pool, _q = self._filtered(request)
        return xlsx_response(
            exports.pool_workbook(members.iterator(chunk_size=1000)),
            f"人员库-{campaign.year}-{stamp()}.xlsx",
        )


class PoolMembershipDeleteView(ScopedObjectMixin, View):
    scoped_model = PoolMembership
    required_permission = MANAGE

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        membership = self.get_object()
        if not confirmed(request):
            return render(
                request,
                "campaign/confirm.html",
                {"question": f"确定将{membership.user}移出{membership.get_pool_display()}吗？"},
                status=400,
            )
        services.pool_remove(actor=request.user, membership=membership)
        messages.success(request, f"已将{membership.user}移出{membership.get_pool_display()}。")
        return redirect("campaign:person", pk=membership.user_id)


class PoolImportView(AuthenticatedMixin, View):
    required_permission = MANAGE

    def _render(self, request, form, status=200):
        recent = selectors.pool_imports(user=request.user)[:10]
        return render(
            request, "campaign/pool_import.html", {"form": form, "recent": recent}, status=status
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, PoolImportForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = PoolImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._render(request, form, status=400)
        upload = form.cleaned_data["file"]
        record = services.pool_import(
            actor=request.user,
            campaign=current_campaign_or_404(),
            pool=form.cleaned_data["pool"],
            file=upload,
            original_name=upload.name,
        )
        if record.status == PoolImport.Status.SUCCEEDED:
            messages.success(
                request,
                f"导入成功：新增 {record.created_count} 人，已在库中 {record.unchanged_count} 人。",
            )
        else:
            messages.error(request, f"校验发现 {record.error_count} 处错误，未写入任何数据。")
        return redirect("campaign:pool-import-detail", pk=record.pk)


class PoolImportTemplateView(AuthenticatedMixin, View):
    required_permission = MANAGE

    def get(self, request: HttpRequest) -> HttpResponse:
        workbook = excel.template_workbook(
            "人员库名单",
            services.POOL_COLUMNS,
            "按用户名或执法证号匹配平台账号，姓名须一致；任何一行有误时整个文件不写入。已在库中的人员不重复添加。",
        )
        return xlsx_response(workbook, "人员库导入模板.xlsx")


class PoolImportDetailView(ScopedObjectMixin, View):
    scoped_model = PoolImport

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return render(request, "campaign/pool_import_detail.html", {"record": self.get_object()})


class PoolImportErrorsView(ScopedObjectMixin, View):
    scoped_model = PoolImport

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        record = self.get_object()
        return xlsx_response(
            excel.errors_workbook(record.errors), f"人员库导入错误清单-{record.pk}.xlsx"
        )


class PeopleView(ScopedListMixin, View):
    scoped_model = User

    def _filtered(self, request):
        return filters.PeopleFilter(
            request.GET,
            queryset=selectors.people(user=request.user).order_by(
                "role", "region__code", "full_name", "pk"
            ),
            request=request,
        ).qs

    def get(self, request: HttpRequest) -> HttpResponse:
        page = Paginator(self._filtered(request), 50).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        q, role = request.GET.get("q") or "", request.GET.get("role") or ""
        return render(
            request,
            "campaign/people.html",
            {
                "page": page,
                "query": query.urlencode(),
                "q": q,
                "role": role,
                "roles": User.Role.choices,
            },
        )


class PeopleExportView(PeopleView):
    def get(self, request: HttpRequest) -> HttpResponse:
        return xlsx_response(
            exports.people_workbook(self._filtered(request).iterator(chunk_size=1000)),
            f"人员-{timezone.localtime():%Y%m%d-%H%M}.xlsx",
        )


class PersonView(ScopedObjectMixin, View):
    scoped_model = User

    def get_scoped_queryset(self):
        return User.objects.select_related("region").prefetch_related("industries")

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        person = self.get_object()
        return self._render(request, person, PoolAddForm())

    def _render(self, request, person, form, status=200):
        from campaign.history import history_rows

        campaign = calendar_selectors.campaign_current()
        memberships = (
            selectors.pool_members(user=request.user, campaign=campaign).filter(user=person)
            if campaign
            else []
        )
        return render(
            request,
            "campaign/person.html",
            {
                "person": person,
                "memberships": memberships,
                "form": form,
                "can_edit": request.user.has_perm(MANAGE),
                "history": history_rows(person),
            },
            status=status,
        )


class PersonPoolAddView(ActionMixin, PersonView):
    required_permission = MANAGE

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        person = self.get_object()
        form = PoolAddForm(request.POST)
        if form.is_valid():
            try:
                membership = services.pool_add(
                    actor=request.user,
                    campaign=current_campaign_or_404(),
                    user=person,
                    **form.cleaned_data,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"已将{person}加入{membership.get_pool_display()}。")
                return redirect("campaign:person", pk=person.pk)
        return self._render(request, person, form, status=400)


class LiaisonListView(ScopedListMixin, View):
    scoped_model = LiaisonTable

    def get(self, request: HttpRequest) -> HttpResponse:
        campaign = current_campaign_or_404()
        statuses = selectors.liaison_statuses(user=request.user, campaign=campaign)
        counts = {
            state: sum(1 for s in statuses if s.state == state)
            for state in ("complete", "late", "missing", "overdue")
        }
        return render(
            request,
            "campaign/liaisons.html",
            {
                "campaign": campaign,
                "statuses": statuses,
                "counts": counts,
                "can_fill": request.user.has_perm("campaign.submit_liaison"),
            },
        )


class LiaisonExportView(ScopedListMixin, View):
    scoped_model = LiaisonTable

    def get(self, request: HttpRequest) -> HttpResponse:
        campaign = current_campaign_or_404()
        statuses = selectors.liaison_statuses(user=request.user, campaign=campaign)
        return xlsx_response(
            exports.liaison_workbook(statuses, campaign.year),
            f"附件7-联络人员信息统计表-{campaign.year}-{stamp()}.xlsx",
        )


class LiaisonEditView(AuthenticatedMixin, View):
    """A city fills its own table; an administrator may fill any city's (?city=4101)."""

    required_permission = "campaign.submit_liaison"

    def _city(self, request: HttpRequest) -> Region | None:
        if request.user.role == User.Role.CITY:
            return request.user.region
        code = request.GET.get("city") or request.POST.get("city")
        # the choice goes through the policy like every choice field
        cities = access.regions_in_reach(
            request.user, Region.objects.filter(level=Region.Level.CITY)
        )
        return cities.filter(code=code).first()

    def _pick(self, request: HttpRequest, status: int) -> HttpResponse:
        cities = access.regions_in_reach(
            request.user, Region.objects.filter(level=Region.Level.CITY)
        )
        return render(
            request,
            "campaign/liaison_pick.html",
            {"cities": cities.order_by("code")},
            status=status,
        )

    def _render(self, request, city, formset, status=200):
        campaign = current_campaign_or_404()
        table = LiaisonTable.objects.filter(campaign=campaign, city=city).first()
        return render(
            request,
            "campaign/liaison_edit.html",
            {"campaign": campaign, "city": city, "formset": formset, "table": table},
            status=status,
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        city = self._city(request)
        if city is None:
            return self._pick(request, 200)
        campaign = current_campaign_or_404()
        table = LiaisonTable.objects.filter(campaign=campaign, city=city).first()
        initial = (
            [
                {
                    f: getattr(p, f)
                    for f in ("name", "unit_position", "duty", "office_phone", "mobile", "email")
                }
                for p in table.people.all()
            ]
            if table
            else [{"duty": "leader"}, {"duty": "contact"}]
        )
        formset = LiaisonFormSet(initial=initial)
        formset.extra = 0
        return self._render(request, city, formset)

    def post(self, request: HttpRequest) -> HttpResponse:
        city = self._city(request)
        if city is None:
            return self._pick(request, 400)
        formset = LiaisonFormSet(request.POST)
        if formset.is_valid():
            people = [
                f.cleaned_data
                for f in formset.forms
                if f.cleaned_data and not f.cleaned_data.get("DELETE")
            ]
            try:
                table = services.liaison_table_submit(
                    actor=request.user, campaign=current_campaign_or_404(), city=city, people=people
                )
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
            else:
                late = "（已过截止时间，记为逾期报送）" if table.is_late else ""
                messages.success(request, f"{city.name}联络人员信息已报送{late}。")
                return redirect("campaign:liaison-detail", pk=table.pk)
        return self._render(request, city, formset, status=400)


class LiaisonDetailView(ScopedObjectMixin, View):
    scoped_model = LiaisonTable

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        from campaign.history import history_rows

        table = self.get_object()
        return render(
            request,
            "campaign/liaison_detail.html",
            {
                "table": table,
                "people": table.people.all(),
                "history": history_rows(table),
                "can_edit": (
                    request.user.role == User.Role.CITY and request.user.region_id == table.city_id
                )
                or request.user.has_perm(MANAGE),
            },
        )
