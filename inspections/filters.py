"""The filters of stage 1, stage 2 and the ledger: one FilterSet per list, used by the page, its
Excel export and its API list alike (the API takes the same filters as the page)."""

from __future__ import annotations

import django_filters
from django_filters.widgets import BooleanWidget

from inspections.models import Area, Inspection, Problem, ProblemKind, SelfCheck


class ProblemFilter(django_filters.FilterSet):
    """问题台账. The figures of 问题统计 open here by campaign year, county or city code and area."""

    source = django_filters.ChoiceFilter(label="发现途径", choices=Problem.Source.choices)
    kind = django_filters.ChoiceFilter(label="问题类型", choices=ProblemKind.choices)
    status = django_filters.ChoiceFilter(
        label="状态",
        choices=[(s.value, s.label) for s in Problem.Status if s != Problem.Status.MERGED],
    )
    self_found = django_filters.BooleanFilter(label="企业自查发现", widget=BooleanWidget)
    county = django_filters.CharFilter(label="县（区）代码", field_name="county__code")
    city = django_filters.CharFilter(label="市代码", field_name="city__code")
    area = django_filters.ChoiceFilter(
        label="检查内容", field_name="item__area", choices=Area.choices
    )
    campaign = django_filters.NumberFilter(label="年度", field_name="campaign__year")

    class Meta:
        model = Problem
        fields = ["source", "kind", "status", "self_found", "county", "city", "area", "campaign"]

    def filter_queryset(self, queryset):
        # the list shows what 问题统计 counts; withdrawn records only when asked for by status
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.filter(status__in=Problem.COUNTED)
        return super().filter_queryset(queryset)


class SelfCheckFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label="状态", choices=SelfCheck.Status.choices)
    is_late = django_filters.BooleanFilter(label="逾期提交", widget=BooleanWidget)
    county = django_filters.CharFilter(label="县（区）代码", field_name="county__code")

    class Meta:
        model = SelfCheck
        fields = ["status", "is_late", "county"]


class InspectionFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label="状态", choices=Inspection.Status.choices)
    source = django_filters.ChoiceFilter(label="检查来源", choices=Inspection.Source.choices)
    is_late = django_filters.BooleanFilter(label="非当日上传", widget=BooleanWidget)
    mine = django_filters.BooleanFilter(
        label="我参加的", method="filter_mine", widget=BooleanWidget
    )

    class Meta:
        model = Inspection
        fields = ["status", "source", "is_late", "mine"]

    def filter_mine(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        if not value or user is None:
            return queryset
        return queryset.filter(members__user=user)
