"""API of the check-item catalogue."""

from __future__ import annotations

from rest_framework import serializers

from campaign.api import ScopedReadOnlyViewSet
from inspections.models import (
    CheckItem,
)


class CheckItemSerializer(serializers.ModelSerializer):
    version = serializers.CharField(source="version.code", read_only=True)

    class Meta:
        model = CheckItem
        fields = [
            "id",
            "version",
            "area",
            "code",
            "title",
            "points",
            "standard",
            "legal_basis",
            "problem_kind",
            "industry_prefixes",
            "key_types",
            "key_unit_only",
            "hazardous_waste",
            "auto_monitoring",
            "tailings_pond",
            "radiation",
            "permit_classes",
        ]


class CheckItemViewSet(ScopedReadOnlyViewSet):
    """检查项目目录（各版本；?version=2020-v1）。"""

    queryset = CheckItem.objects.select_related("version")
    serializer_class = CheckItemSerializer
    filterset_fields = ["area", "problem_kind"]

    def base_queryset(self):
        queryset = super().base_queryset()
        version = self.request.query_params.get("version")
        return queryset.filter(version__code=version) if version else queryset
