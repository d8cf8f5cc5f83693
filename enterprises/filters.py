"""The enterprise list's filters, shared by the page, the export and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q

from campaign.filters import RegionFilter
from campaign.widgets import YesNoAll
from enterprises.models import Enterprise


class EnterpriseFilter(RegionFilter):
    q = django_filters.CharFilter(label="关键字", method="filter_q")
    industry = django_filters.CharFilter(label="行业代码", method="filter_industry")
    is_key_unit = django_filters.BooleanFilter(label="重点排污单位", widget=YesNoAll)
    in_yellow_river_basin = django_filters.BooleanFilter(label="黄河流域", widget=YesNoAll)

    class Meta:
        model = Enterprise
        fields = ["q", "city", "county", "industry", "is_key_unit", "in_yellow_river_basin"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(credit_code__icontains=value.upper()))

    def filter_industry(self, queryset, name, value):
        # a division (2 digits) or group (3) matches every class under it
        value = value.strip()
        return queryset.filter(industry__code__startswith=value) if value else queryset
