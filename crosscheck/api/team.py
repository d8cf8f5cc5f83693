"""/api/v1/ of the teams: a round's teams, the random team draw and its replay, a person's own
places in teams, and conflicts declared."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from campaign.api import ScopedActionAPI
from crosscheck.api.round import ReplaySerializer
from crosscheck.models import ConflictDeclaration, Team, TeamDraw, TeamMember, VerificationRound
from crosscheck.selectors import team as selectors
from crosscheck.services import team as services

READ = "crosscheck.view_verificationround"
DRAW = "crosscheck.draw_sample"


class MemberSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    full_name = serializers.CharField(source="user.full_name", read_only=True)
    role_label = serializers.CharField(source="get_role_display", read_only=True)
    signed = serializers.SerializerMethodField(help_text="是否已签署廉洁自律承诺书")

    class Meta:
        model = TeamMember
        fields = ["username", "full_name", "role", "role_label", "assignment", "signed"]
        read_only_fields = fields

    def get_signed(self, obj) -> bool:
        return hasattr(obj.assignment, "commitment")


class TeamSerializer(serializers.ModelSerializer):
    target_city_code = serializers.CharField(source="target_city.code", read_only=True)
    target_county_code = serializers.CharField(
        source="target_county.code", read_only=True, allow_null=True
    )
    members = MemberSerializer(many=True, read_only=True)

    class Meta:
        model = Team
        fields = ["id", "number", "target_city_code", "target_county_code", "members"]
        read_only_fields = fields


class TeamsAPI(ScopedActionAPI):
    """一个轮次的核查组及成员（编组后；组织方可见）。"""

    required_permission = READ
    queryset = VerificationRound.objects.all()
    serializer_class = TeamSerializer
    pagination_class = None

    @extend_schema(responses=TeamSerializer(many=True))
    def get(self, request, pk: int):
        row = self.get_object()
        return Response(TeamSerializer(selectors.teams(user=request.user, row=row), many=True).data)


class TeamDrawRequestSerializer(serializers.Serializer):
    officers = serializers.IntegerField(default=2, help_text="每组执法能手人数（含组长，2–8）")
    experts = serializers.IntegerField(default=1, help_text="每组专家人数（1–5）")
    witnesses = serializers.CharField(max_length=200, help_text="见证人")
    seed = serializers.CharField(
        max_length=64, required=False, allow_blank=True, default="", help_text="随机种子（可不填）"
    )


class TeamDrawAPI(ScopedActionAPI):
    """随机编组（每轮一次，抽取样本之后）：存档人员库、回避情况、规则、种子和见证人。"""

    required_permission = DRAW
    queryset = VerificationRound.objects.all()
    serializer_class = TeamSerializer

    @extend_schema(request=TeamDrawRequestSerializer, responses={201: TeamSerializer(many=True)})
    def post(self, request, pk: int):
        row = self.get_object()
        body = TeamDrawRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.team_draw(actor=request.user, row=row, **body.validated_data)
        teams = selectors.teams(user=request.user, row=row)
        return Response(TeamSerializer(teams, many=True).data, status=status.HTTP_201_CREATED)


class TeamReplayRequestSerializer(serializers.Serializer):
    digest = serializers.CharField(max_length=64, help_text="您核对的编组记录的摘要")


class TeamReplayAPI(ScopedActionAPI):
    """复核编组：以存档的人员库、规则和种子重新编组并核对；比较当前人员库与存档。"""

    required_permission = READ
    queryset = VerificationRound.objects.all()
    serializer_class = ReplaySerializer

    @extend_schema(request=TeamReplayRequestSerializer, responses={201: ReplaySerializer})
    def post(self, request, pk: int):
        row = self.get_object()
        body = TeamReplayRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        record = TeamDraw.objects.filter(round=row).first()
        if record is None:
            raise ValidationError("该轮次尚未编组，无可复核。")
        if body.validated_data["digest"] != record.digest:
            raise serializers.ValidationError({"digest": ["与该轮次的编组记录不符。"]})
        replay = services.team_replay(actor=request.user, row=row)
        return Response(ReplaySerializer(replay).data, status=status.HTTP_201_CREATED)


class ConflictSerializer(serializers.ModelSerializer):
    class Meta:
        model = ConflictDeclaration
        fields = ["id", "credit_code", "unit_name", "reason", "declared_at"]
        read_only_fields = ["id", "declared_at"]


class ConflictsAPI(ListAPIView):
    """回避申报（本人的；组织方为全部）；POST 申报与某单位回避（以统一社会信用代码为准）。"""

    access = "scoped"
    permission_classes = [IsAuthenticated]
    queryset = ConflictDeclaration.objects.all()
    serializer_class = ConflictSerializer

    def get_queryset(self):
        rows = selectors.conflicts(user=self.request.user)
        if not self.request.user.has_perm(DRAW):  # the organisers read every declaration
            rows = rows.filter(user=self.request.user)
        return rows

    @extend_schema(request=ConflictSerializer, responses={201: ConflictSerializer})
    def post(self, request):
        body = ConflictSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        made = services.conflict_declare(actor=request.user, **data)
        return Response(ConflictSerializer(made).data, status=status.HTTP_201_CREATED)
