"""The filters of stage 5: one FilterSet per list, used by the page, its export and its API."""

from __future__ import annotations

import django_filters
from django.db.models import Q

from campaign.filters import RegionFilter
from crosscheck.models import (
    Accountability,
    Finding,
    SampledUnit,
    VerificationRecord,
    VerificationRound,
)


class RoundFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="名称", field_name="title", lookup_expr="icontains")
    level = django_filters.ChoiceFilter(label="层级", choices=VerificationRound.Level.choices)
    status = django_filters.ChoiceFilter(label="状态", choices=VerificationRound.Status.choices)

    class Meta:
        model = VerificationRound
        fields = ["q", "level", "status"]

    def filter_queryset(self, queryset):
        if self.is_bound and not self.form.is_valid():
            return queryset.none()
        return super().filter_queryset(queryset)


class SampleFilter(RegionFilter):
    q = django_filters.CharFilter(label="单位名称或信用代码", method="filter_unit", max_length=100)
    stratum = django_filters.CharFilter(label="行业大类代码", max_length=4)

    class Meta:
        model = SampledUnit
        fields = ["q", "city", "county", "stratum"]

    def filter_unit(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(enterprise__name__icontains=value)
            | Q(enterprise__credit_code__startswith=value.upper())
        )


class AccountabilityFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="责任人或单位", method="filter_q", max_length=100)
    status = django_filters.ChoiceFilter(label="状态", choices=Accountability.Status.choices)
    proposed = django_filters.ChoiceFilter(
        label="建议问责方式", choices=Accountability.Measure.choices
    )
    code = django_filters.ChoiceFilter(
        label="核查结论", choices=Finding.Code.choices, field_name="finding__code"
    )
    city = django_filters.CharFilter(label="所在市代码", field_name="city__code", max_length=12)
    round = django_filters.NumberFilter(
        label="核查轮次", field_name="finding__record__unit__draw__round"
    )
    unit_city = django_filters.CharFilter(
        label="核查市代码", field_name="finding__record__unit__city__code", max_length=12
    )

    class Meta:
        model = Accountability
        fields = ["q", "status", "proposed", "code", "city", "round", "unit_city"]

    def filter_queryset(self, queryset):
        if self.is_bound and not self.form.is_valid():
            return queryset.none()
        return super().filter_queryset(queryset)

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(person__full_name__icontains=value)
            | Q(finding__record__unit__enterprise__name__icontains=value)
        )


class FindingFilter(django_filters.FilterSet):
    round = django_filters.NumberFilter(label="核查轮次", field_name="record__unit__draw__round")
    city = django_filters.CharFilter(
        label="核查市代码", field_name="record__unit__city__code", max_length=12
    )
    code = django_filters.ChoiceFilter(label="核查结论", choices=Finding.Code.choices)
    status = django_filters.ChoiceFilter(
        label="核查情况表状态",
        field_name="record__status",
        choices=VerificationRecord.Status.choices,
    )
    q = django_filters.CharFilter(
        label="单位名称", field_name="record__unit__enterprise__name", lookup_expr="icontains"
    )

    class Meta:
        model = Finding
        fields = ["q", "round", "city", "code", "status"]

    def filter_queryset(self, queryset):
        if self.is_bound and not self.form.is_valid():
            return queryset.none()
        return super().filter_queryset(queryset)
