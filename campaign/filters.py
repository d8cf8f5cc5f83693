"""The organisation lists' filters: one FilterSet per list, used by the page, its export and its
API list alike."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django_filters.widgets import BooleanWidget

from campaign import selectors
from campaign.models import Assignment, Complaint, PoolMembership, Region, User
from campaign.widgets import QuickSelect


class RegionFilter(django_filters.FilterSet):
    """The city and county pickers of a list: only the regions in the actor's reach are offered
    (a code out of reach is refused by the form, never silently matched), and a picker with a
    single choice is not shown (a county inspector has nothing to pick)."""

    city = django_filters.ModelChoiceFilter(
        label="省辖市",
        queryset=Region.objects.none(),
        to_field_name="code",
        field_name="city",
        widget=QuickSelect,
    )
    county = django_filters.ModelChoiceFilter(
        label="县（区）",
        queryset=Region.objects.none(),
        to_field_name="code",
        field_name="county",
        widget=QuickSelect,
    )

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        self.filters["city"].queryset = selectors.city_choices_for(user)
        self.filters["county"].queryset = selectors.region_choices_for(user).select_related(
            "parent"
        )

    @property
    def region_fields(self) -> list:
        """The pickers worth showing: those offering more than one region."""
        return [
            self.form[name]
            for name in ("city", "county")
            if self.filters[name].queryset.count() > 1
        ]


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
    q = django_filters.CharFilter(label="人员、任务或前往地", method="filter_q", max_length=100)
    missing = django_filters.ChoiceFilter(
        label="尚缺",
        choices=(("commitment", "廉洁承诺"), ("self_check", "廉洁自查")),
        method="filter_missing",
    )

    class Meta:
        model = Assignment
        fields = ["q", "missing"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(user__full_name__icontains=value)
            | Q(title__icontains=value)
            | Q(destination__name__icontains=value)
        )

    def filter_missing(self, queryset, name, value):
        if value == "commitment":
            return queryset.filter(commitment__isnull=True)
        if value == "self_check":
            return queryset.filter(self_check__isnull=True)
        return queryset


class ComplaintFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="查询码、被举报人员或地点", method="filter_q", max_length=100
    )
    status = django_filters.ChoiceFilter(label="状态", choices=Complaint.Status.choices)

    class Meta:
        model = Complaint
        fields = ["q", "status"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(tracking_code__iexact=value) | Q(accused__icontains=value) | Q(place__icontains=value)
        )
