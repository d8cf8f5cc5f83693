"""The organisation lists' filters: one FilterSet per list, used by the page, its export and its
API list alike."""

from __future__ import annotations

import operator
from functools import reduce

import django_filters
from django.db.models import Q
from django_filters.widgets import BooleanWidget

from campaign import selectors
from campaign.models import Assignment, Complaint, PoolMembership, Region, User
from campaign.widgets import QuickSelect


def date_range(field: str, label: str) -> tuple[django_filters.DateFilter, ...]:
    """A pair of filters 「label起」「label止」 on one date (or moment) field."""
    # moments are compared by their Beijing date (USE_TZ with TIME_ZONE Asia/Shanghai)
    lookup = "date__" if field.endswith("_at") else ""
    return (
        django_filters.DateFilter(label=f"{label}起", field_name=field, lookup_expr=f"{lookup}gte"),
        django_filters.DateFilter(label=f"{label}止", field_name=field, lookup_expr=f"{lookup}lte"),
    )


class KeywordFilter(django_filters.CharFilter):
    """One search box over several fields: a row matches when any of the lookups matches what was
    typed (surrounding spaces ignored; nothing typed, every row)."""

    def __init__(self, *args, lookups: list[str], **kwargs):
        kwargs.setdefault("max_length", 100)
        super().__init__(*args, **kwargs)
        self.lookups = lookups

    def filter(self, qs, value):
        value = (value or "").strip()
        if not value:
            return qs
        return qs.filter(reduce(operator.or_, (Q(**{lookup: value}) for lookup in self.lookups)))


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

    def filter_queryset(self, queryset):
        # a filter the form refuses (a county out of reach, a malformed date) matches nothing:
        # the page shows why, an export is empty rather than everything (the API answers 400)
        if self.is_bound and not self.form.is_valid():
            return queryset.none()
        return super().filter_queryset(queryset)

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
    q = KeywordFilter(
        label="姓名、执法证号或单位",
        lookups=[
            "user__full_name__icontains",
            "user__badge_no__icontains",
            "user__unit__icontains",
        ],
    )
    lead_qualified = django_filters.BooleanFilter(label="可任主办人", widget=BooleanWidget)

    class Meta:
        model = PoolMembership
        fields = ["pool", "q", "lead_qualified"]


class PeopleFilter(django_filters.FilterSet):
    q = KeywordFilter(
        label="姓名、账号或执法证号",
        lookups=["full_name__icontains", "username__icontains", "badge_no__icontains"],
    )
    role = django_filters.ChoiceFilter(label="角色", choices=User.Role.choices)

    class Meta:
        model = User
        fields = ["q", "role"]


class AssignmentFilter(django_filters.FilterSet):
    q = KeywordFilter(
        label="人员、任务或前往地",
        lookups=["user__full_name__icontains", "title__icontains", "destination__name__icontains"],
    )
    missing = django_filters.ChoiceFilter(
        label="尚缺",
        choices=(("commitment", "廉洁承诺"), ("self_check", "廉洁自查")),
        method="filter_missing",
    )

    class Meta:
        model = Assignment
        fields = ["q", "missing"]

    def filter_missing(self, queryset, name, value):
        if value == "commitment":
            return queryset.filter(commitment__isnull=True)
        if value == "self_check":
            return queryset.filter(self_check__isnull=True)
        return queryset


class ComplaintFilter(django_filters.FilterSet):
    q = KeywordFilter(
        label="查询码、被举报人员或地点",
        lookups=["tracking_code__iexact", "accused__icontains", "place__icontains"],
    )
    status = django_filters.ChoiceFilter(label="状态", choices=Complaint.Status.choices)

    class Meta:
        model = Complaint
        fields = ["q", "status"]
