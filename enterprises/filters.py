"""The enterprise list's filters, shared by the page, the export and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q

from campaign import selectors as campaign_selectors
from campaign.models import Region
from campaign.widgets import QuickSelect
from enterprises.models import Enterprise


class YesNoAll(django_filters.widgets.BooleanWidget):
    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = (("", "全部"), ("true", "是"), ("false", "否"))


class EnterpriseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="关键字", method="filter_q")
    city = django_filters.ModelChoiceFilter(
        label="省辖市",
        queryset=Region.objects.none(),
        to_field_name="code",
        field_name="city",
        widget=QuickSelect,
    )
    county = django_filters.ModelChoiceFilter(
        label="区县",
        queryset=Region.objects.none(),
        to_field_name="code",
        field_name="county",
        widget=QuickSelect,
    )
    industry = django_filters.CharFilter(label="行业代码", method="filter_industry")
    is_key_unit = django_filters.BooleanFilter(label="重点排污单位", widget=YesNoAll)
    in_yellow_river_basin = django_filters.BooleanFilter(label="黄河流域", widget=YesNoAll)

    class Meta:
        model = Enterprise
        fields = ["q", "city", "county", "industry", "is_key_unit", "in_yellow_river_basin"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        # choice fields go through the access policy too: only regions in reach are offered
        self.filters["city"].queryset = campaign_selectors.city_choices_for(user)
        self.filters["county"].queryset = campaign_selectors.region_choices_for(
            user
        ).select_related("parent")

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(credit_code__icontains=value.upper()))

    def filter_industry(self, queryset, name, value):
        # a division (2 digits) or group (3) matches every class under it
        value = value.strip()
        return queryset.filter(industry__code__startswith=value) if value else queryset
