"""The filters of stage 4: one FilterSet per list, used by the page, its export and its API."""

from __future__ import annotations

import copy

import django_filters
from django.db.models import Q

from campaign.filters import RegionFilter, date_range
from campaign.widgets import YesNoAll
from inspections.models import Problem
from rectification.models import (
    FacilityProposal,
    GuidanceActivity,
    RectificationItem,
    RectificationPlan,
)


class _PlanRegionFilter(RegionFilter):
    """Region pickers and the unit search on the plan's stored county and city."""

    q = django_filters.CharFilter(label="单位名称或信用代码", method="filter_unit", max_length=100)
    enterprise = django_filters.NumberFilter(label="单位", field_name="plan__enterprise_id")

    PREFIX = "plan__"

    def filter_unit(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        p = self.PREFIX
        return queryset.filter(
            Q(**{f"{p}enterprise__name__icontains": value})
            | Q(**{f"{p}enterprise__credit_code__startswith": value.upper()})
        )


class ItemFilter(_PlanRegionFilter):
    """整改台账. The 完成率 figures open here by county or city, status and overdue."""

    status = django_filters.ChoiceFilter(label="整改状态", choices=RectificationItem.Status.choices)
    open = django_filters.BooleanFilter(label="未销号", method="filter_open", widget=YesNoAll)
    source = django_filters.ChoiceFilter(
        label="发现途径", field_name="problem__source", choices=Problem.Source.choices
    )
    facility_task = django_filters.BooleanFilter(label="攻坚设施任务", widget=YesNoAll)
    closing_flagged = django_filters.BooleanFilter(
        label="未满足条件销号", method="filter_flagged", widget=YesNoAll
    )
    escalated = django_filters.BooleanFilter(
        label="已提请市级督办",
        field_name="escalated_on",
        lookup_expr="isnull",
        exclude=True,
        widget=YesNoAll,
    )
    supervisor = django_filters.NumberFilter(label="监管责任人", field_name="supervisor_id")
    deadline_from, deadline_to = date_range("deadline", "整改时限")

    class Meta:
        model = RectificationItem
        fields = [
            "q",
            "status",
            "open",
            "source",
            "facility_task",
            "closing_flagged",
            "escalated",
            "city",
            "county",
            "deadline_from",
            "deadline_to",
            "enterprise",
            "supervisor",
        ]

    def filter_flagged(self, queryset, name, value):
        # the bureau's flag for the cross-region verification: ignored for anyone else
        user = getattr(self.request, "user", None)
        if value is None or not (user and user.has_perm("rectification.handle_rectification")):
            return queryset
        return queryset.filter(closing_flagged=value)

    def filter_open(self, queryset, name, value):
        if value is None:
            return queryset
        condition = Q(status__in=RectificationItem.OPEN)
        return queryset.filter(condition) if value else queryset.exclude(condition)


class ProposalFilter(_PlanRegionFilter):
    PREFIX = "item__plan__"

    status = django_filters.ChoiceFilter(label="状态", choices=FacilityProposal.Status.choices)
    enterprise = django_filters.NumberFilter(label="单位", field_name="item__plan__enterprise_id")

    class Meta:
        model = FacilityProposal
        fields = ["q", "status", "city", "county", "enterprise"]


def _on_the_plan(filterset: type[_PlanRegionFilter]) -> None:
    """The region pickers read the plan's stored county and city, declared on the class (the API
    schema reads the class)."""
    for name in ("city", "county"):
        filterset.base_filters[name] = copy.deepcopy(filterset.base_filters[name])
        filterset.base_filters[name].field_name = f"{filterset.PREFIX}{name}"


_on_the_plan(ItemFilter)
_on_the_plan(ProposalFilter)


class PlanFilter(RegionFilter):
    """一企一案: the plans by unit name or credit code, city and county."""

    q = django_filters.CharFilter(label="单位名称或信用代码", method="filter_q", max_length=100)

    class Meta:
        model = RectificationPlan
        fields = ["q", "city", "county"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(enterprise__name__icontains=value)
            | Q(enterprise__credit_code__startswith=value.upper())
        )


class GuidanceFilter(RegionFilter):
    kind = django_filters.ChoiceFilter(label="类型", choices=GuidanceActivity.Kind.choices)
    q = django_filters.CharFilter(label="主题或企业", method="filter_q", max_length=100)
    held_from, held_to = date_range("held_on", "日期")

    class Meta:
        model = GuidanceActivity
        fields = ["q", "kind", "city", "county", "held_from", "held_to"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(topic__icontains=value) | Q(enterprises__name__icontains=value)
        ).distinct()
