from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from campaign.api import ScopedReadOnlyViewSet
from enterprises.filters import EnterpriseFilter
from enterprises.models import Enterprise


class EnterpriseSerializer(serializers.ModelSerializer):
    county_code = serializers.CharField(source="county.code", read_only=True)
    county_name = serializers.CharField(source="county.name", read_only=True)
    city_code = serializers.CharField(source="city.code", read_only=True)
    city_name = serializers.CharField(source="city.name", read_only=True)
    industry_code = serializers.CharField(source="industry.code", read_only=True)
    industry_name = serializers.CharField(source="industry.name", read_only=True)
    key_types = serializers.SerializerMethodField()
    web_url = serializers.SerializerMethodField()

    class Meta:
        model = Enterprise
        fields = [
            "id",
            "credit_code",
            "name",
            "county_code",
            "county_name",
            "city_code",
            "city_name",
            "address",
            "longitude",
            "latitude",
            "industry_code",
            "industry_name",
            "is_key_unit",
            "key_types",
            "in_yellow_river_basin",
            "in_census",
            "permit_class",
            "has_hazardous_waste",
            "has_tailings_pond",
            "has_radiation",
            "permit_no",
            "permit_valid_until",
            "auto_monitoring_installed",
            "auto_monitoring_connected",
            "legal_representative",
            "contact_person",
            "contact_phone",
            "web_url",
            "updated_at",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_key_types(self, obj: Enterprise) -> list[str]:
        return obj.key_type_labels

    def get_web_url(self, obj: Enterprise) -> str:
        return reverse("enterprises:detail", args=[obj.pk])


class EnterpriseViewSet(ScopedReadOnlyViewSet):
    """排污单位名录（按管辖范围过滤）。"""

    queryset = Enterprise.objects.select_related("industry").prefetch_related("county", "city")
    required_permission = "enterprises.view_enterprise"
    serializer_class = EnterpriseSerializer
    filterset_class = EnterpriseFilter
    search_fields = []  # the filter's `q` searches name and credit code
    ordering_fields = ["name", "credit_code", "updated_at"]
