"""API of the problem ledger: primaries, each with its confirmations."""

from __future__ import annotations

from rest_framework import serializers

from campaign.api import ScopedReadOnlyViewSet
from inspections import filters
from inspections.models import (
    Problem,
)
from inspections.selectors import ledger as selectors


class ProblemSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    county_code = serializers.CharField(source="county.code", read_only=True)
    city_code = serializers.CharField(source="city.code", read_only=True)
    item_code = serializers.CharField(source="item.code", read_only=True)

    class Meta:
        model = Problem
        fields = [
            "id",
            "enterprise_name",
            "county_code",
            "city_code",
            "item_code",
            "source",
            "self_found",
            "kind",
            "severity",
            "description",
            "measure",
            "deadline",
            "responsible",
            "status",
            "found_at",
            "confirmations",
        ]
        extra_kwargs = {
            "measure": {"help_text": "企业自查申报的整改措施（整改项目另行跟踪）"},
            "confirmations": {
                "help_text": "同一问题其他途径发现的记录编号（已并入本问题，不重复计数）"
            },
        }


class ProblemViewSet(ScopedReadOnlyViewSet):
    """问题台账：只列主问题；同一问题的其他发现（确认）列在主问题的 confirmations 中。"""

    queryset = Problem.objects.filter(primary__isnull=True)  # the matrix reads the model here
    required_permission = "inspections.view_problem"
    serializer_class = ProblemSerializer
    filterset_class = filters.ProblemFilter

    def get_queryset(self):
        return selectors.problem_list(user=self.request.user)
