"""The organisation lists' filters: one FilterSet per list, used by the page, its export and its
API list alike."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django_filters.widgets import BooleanWidget

from campaign.models import Assignment, Complaint, PoolMembership, User


class PoolMembershipFilter(django_filters.FilterSet):
    pool = django_filters.ChoiceFilter(label="人员库", choices=PoolMembership.Pool.choices)
    q = django_filters.CharFilter(label="姓名、执法证号或单位", method="filter_q")
    lead_qualified = django_filters.BooleanFilter(label="可任主办人", widget=BooleanWidget)

    class Meta:
        model = PoolMembership
        fields = ["pool", "q", "lead_qualified"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(user__full_name__icontains=value)
            | Q(user__badge_no__icontains=value)
            | Q(user__unit__icontains=value)
        )


class PeopleFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="姓名、账号或执法证号", method="filter_q")
    role = django_filters.ChoiceFilter(label="角色", choices=User.Role.choices)

    class Meta:
        model = User
        fields = ["q", "role"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(full_name__icontains=value)
            | Q(username__icontains=value)
            | Q(badge_no__icontains=value)
        )


class AssignmentFilter(django_filters.FilterSet):
    missing = django_filters.ChoiceFilter(
        label="尚缺",
        choices=(("commitment", "廉洁承诺"), ("self_check", "廉洁自查")),
        method="filter_missing",
    )

    class Meta:
        model = Assignment
        fields = ["missing"]

    def filter_missing(self, queryset, name, value):
        if value == "commitment":
            return queryset.filter(commitment__isnull=True)
        if value == "self_check":
            return queryset.filter(self_check__isnull=True)
        return queryset


class ComplaintFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label="状态", choices=Complaint.Status.choices)

    class Meta:
        model = Complaint
        fields = ["status"]
