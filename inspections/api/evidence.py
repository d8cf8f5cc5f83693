"""Evidence as the API shows it beside the answer or record line it belongs to."""

from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from inspections.models import Evidence


class EvidenceLinkSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="original_name", read_only=True)
    url = serializers.SerializerMethodField(help_text="下载地址（同一 API 令牌可访问）")
    # numbers, as a phone's GPS gives them (not the decimal strings of the stored columns)
    latitude = serializers.FloatField(read_only=True, allow_null=True)
    longitude = serializers.FloatField(read_only=True, allow_null=True)

    class Meta:
        model = Evidence
        fields = ["id", "name", "url", "taken_at", "latitude", "longitude"]
        read_only_fields = fields

    def get_url(self, obj) -> str:
        return reverse("inspections:evidence", args=[obj.pk])
