"""The filters of stage 1, stage 2 and the ledger: one FilterSet per list, used by the page, its
Excel export and its API list alike (the API takes the same filters as the page)."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django_filters.widgets import BooleanWidget

from campaign.filters import RegionFilter, date_range
from campaign.widgets import YesNoAll
from enterprises.models import Enterprise
from inspections.models import Area, Inspection, Problem, ProblemKind, SelfCheck

DATE = {"type": "date"}


class UnitFilter(RegionFilter):
    """What every list of an enterprise's records is searched by: the unit's name or credit code,
    the unit itself (the enterprise page links to its records this way), and the city or county
    the record belongs to."""

    q = django_filters.CharFilter(label="单位名称或信用代码", method="filter_unit", max_length=100)
    enterprise = django_filters.NumberFilter(label="单位", field_name="enterprise_id")

    def filter_unit(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(enterprise__name__icontains=value)
            | Q(enterprise__credit_code__startswith=value.upper())
        )


class MissingFilter(RegionFilter):
    """未提交自查表的单位: the units themselves, by name or code, city and county."""

    q = django_filters.CharFilter(label="单位名称或信用代码", method="filter_q", max_length=100)
    is_key_unit = django_filters.BooleanFilter(label="重点排污单位", widget=YesNoAll)

    class Meta:
        model = Enterprise
        fields = ["q", "city", "county", "is_key_unit"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(credit_code__startswith=value.upper()))


class ProblemFilter(UnitFilter):
    """问题台账. The figures of 问题统计 open here by campaign year, county or city code and area."""

    source = django_filters.ChoiceFilter(label="发现途径", choices=Problem.Source.choices)
    kind = django_filters.ChoiceFilter(label="问题类型", choices=ProblemKind.choices)
    status = django_filters.ChoiceFilter(
        label="状态",
        choices=[(s.value, s.label) for s in Problem.Status if s != Problem.Status.MERGED],
    )
    self_found = django_filters.BooleanFilter(label="企业自查发现", widget=BooleanWidget)
    area = django_filters.ChoiceFilter(
        label="检查内容", field_name="item__area", choices=Area.choices
    )
    campaign = django_filters.NumberFilter(label="年度", field_name="campaign__year")
    found_from, found_to = date_range("found_at", "发现日期")

    class Meta:
        model = Problem
        fields = [
            "q",
            "source",
            "kind",
            "status",
            "self_found",
            "county",
            "city",
            "area",
            "campaign",
            "found_from",
            "found_to",
            "enterprise",
        ]

    def filter_queryset(self, queryset):
        # the list shows what 问题统计 counts; withdrawn records only when asked for by status
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.filter(status__in=Problem.COUNTED)
        return super().filter_queryset(queryset)


class SelfCheckFilter(UnitFilter):
    status = django_filters.ChoiceFilter(label="状态", choices=SelfCheck.Status.choices)
    is_late = django_filters.BooleanFilter(label="逾期提交", widget=BooleanWidget)
    submitted_from, submitted_to = date_range("submitted_at", "提交日期")

    class Meta:
        model = SelfCheck
        fields = [
            "q",
            "status",
            "is_late",
            "city",
            "county",
            "submitted_from",
            "submitted_to",
            "enterprise",
        ]


class InspectionFilter(UnitFilter):
    status = django_filters.ChoiceFilter(label="状态", choices=Inspection.Status.choices)
    source = django_filters.ChoiceFilter(label="检查来源", choices=Inspection.Source.choices)
    is_late = django_filters.BooleanFilter(label="非当日上传", widget=BooleanWidget)
    mine = django_filters.BooleanFilter(
        label="我参加的", method="filter_mine", widget=BooleanWidget
    )
    planned_from, planned_to = date_range("planned_on", "检查日期")

    class Meta:
        model = Inspection
        fields = [
            "q",
            "status",
            "source",
            "is_late",
            "mine",
            "city",
            "county",
            "planned_from",
            "planned_to",
            "enterprise",
        ]

    def filter_mine(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        if not value or user is None:
            return queryset
        return queryset.filter(members__user=user)
