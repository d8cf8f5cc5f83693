"""/api/v1/ of the verification rounds: the rounds, a round's sample, 抽取 and 复核抽取."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from campaign import access
from campaign.api import RequiredPermission, ScopedActionAPI, ScopedReadOnlyViewSet
from campaign.selectors.calendar import campaign_current
from crosscheck import sampling
from crosscheck.filters import RoundFilter, SampleFilter
from crosscheck.models import DrawReplay, SampleDraw, SampledUnit, VerificationRound
from crosscheck.selectors import round as selectors
from crosscheck.services import round as services

READ = "crosscheck.view_verificationround"
DRAW = "crosscheck.draw_sample"


class DrawSerializer(serializers.ModelSerializer):
    class Meta:
        model = SampleDraw
        fields = ["seed", "frame_size", "frame_digest", "rule", "drawn_at", "drawn_by", "witnesses"]
        read_only_fields = fields


class RoundSerializer(serializers.ModelSerializer):
    level_label = serializers.CharField(source="get_level_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    city_code = serializers.CharField(source="city.code", read_only=True, allow_null=True)
    draw = DrawSerializer(read_only=True, allow_null=True)

    class Meta:
        model = VerificationRound
        fields = [
            "id",
            "level",
            "level_label",
            "city_code",
            "title",
            "share",
            "minimum",
            "weights",
            "many_problems",
            "release_at",
            "ends_on",
            "status",
            "status_label",
            "closed_at",
            "draw",
        ]
        read_only_fields = fields


class RoundCreateSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=VerificationRound.Level.choices, help_text="层级")
    title = serializers.CharField(max_length=100, help_text="名称")
    share = serializers.CharField(max_length=10, help_text="每市抽取比例（0.1 或 10%）")
    minimum = serializers.IntegerField(help_text="每市最少抽取（家）")
    many_problems = serializers.IntegerField(default=5, help_text="“问题较多”的问题个数")
    weights = serializers.DictField(
        child=serializers.IntegerField(),
        required=False,
        default=dict,
        help_text="风险加权：" + "，".join(f"{k}={v}" for k, v in sampling.SIGNALS.items()),
    )
    release_at = serializers.DateTimeField(help_text="样本发布时间")
    ends_on = serializers.DateField(help_text="核查截止日期")


class SampledUnitSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    credit_code = serializers.CharField(source="enterprise.credit_code", read_only=True)
    city_code = serializers.CharField(source="city.code", read_only=True)
    county_code = serializers.CharField(source="county.code", read_only=True)

    class Meta:
        model = SampledUnit
        fields = [
            "position",
            "enterprise",
            "enterprise_name",
            "credit_code",
            "city_code",
            "county_code",
            "stratum",
            "signals",
            "weight",
        ]
        read_only_fields = fields


class ReplaySerializer(serializers.ModelSerializer):
    class Meta:
        model = DrawReplay
        fields = ["at", "by", "sample_same", "frame_same", "frame_digest", "changes"]
        read_only_fields = fields


class RoundViewSet(ScopedReadOnlyViewSet):
    """异地核查轮次（本年度）：省级轮次及其样本在发布时间前仅省级可见；市级轮次为组织市所有。
    POST 新建轮次（设定抽取规则）。"""

    queryset = VerificationRound.objects.select_related("city", "draw")
    required_permission = READ
    serializer_class = RoundSerializer
    filterset_class = RoundFilter

    def get_queryset(self):
        if self.action == "retrieve":
            return super().get_queryset()
        return selectors.rounds(user=self.request.user, campaign=campaign_current()).order_by(
            "-created_at", "-pk"
        )


class RoundCreateAPI(ScopedActionAPI):
    """新建核查轮次：省级（重点排污单位，省级用户）或市级（本市非重点排污单位）。"""

    required_permission = DRAW
    queryset = VerificationRound.objects.all()
    serializer_class = RoundSerializer

    @extend_schema(request=RoundCreateSerializer, responses={201: RoundSerializer})
    def post(self, request):
        body = RoundCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        row = services.round_open(actor=request.user, **body.validated_data)
        return Response(RoundSerializer(row).data, status=status.HTTP_201_CREATED)


class DrawRequestSerializer(serializers.Serializer):
    witnesses = serializers.CharField(max_length=200, help_text="见证人")
    seed = serializers.CharField(
        max_length=64, required=False, allow_blank=True, default="", help_text="随机种子（可不填）"
    )
    release_now = serializers.BooleanField(
        required=False,
        default=False,
        help_text="样本发布时间已过时须为 true：确认抽取后样本立即对被核查市县公开",
    )


class DrawAPI(ScopedActionAPI):
    """抽取样本（每轮一次）：存档抽样框、摘要、规则、种子、时间和见证人。"""

    required_permission = DRAW
    queryset = VerificationRound.objects.all()
    serializer_class = RoundSerializer

    @extend_schema(request=DrawRequestSerializer, responses={201: RoundSerializer})
    def post(self, request, pk: int):
        row = self.get_object()
        body = DrawRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.sample_draw(actor=request.user, row=row, **body.validated_data)
        fresh = VerificationRound.objects.select_related("city", "draw").get(pk=row.pk)
        return Response(RoundSerializer(fresh).data, status=status.HTTP_201_CREATED)


class RescheduleRequestSerializer(serializers.Serializer):
    release_at = serializers.DateTimeField(help_text="新的样本发布时间（须晚于现在）")
    ends_on = serializers.DateField(help_text="核查截止日期")


class RescheduleAPI(ScopedActionAPI):
    """修改尚未抽取的轮次的样本发布时间和核查截止日期。"""

    required_permission = DRAW
    queryset = VerificationRound.objects.all()
    serializer_class = RoundSerializer

    @extend_schema(request=RescheduleRequestSerializer, responses={200: RoundSerializer})
    def post(self, request, pk: int):
        row = self.get_object()
        body = RescheduleRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.round_reschedule(actor=request.user, row=row, **body.validated_data)
        fresh = VerificationRound.objects.select_related("city", "draw").get(pk=row.pk)
        return Response(RoundSerializer(fresh).data)


class CloseRequestSerializer(serializers.Serializer):
    confirm = serializers.BooleanField(help_text="须为 true：确认结束本轮（不可撤销）")
    note = serializers.CharField(
        max_length=500, required=False, allow_blank=True, default="", help_text="说明"
    )

    def validate_confirm(self, value: bool) -> bool:
        if not value:
            raise serializers.ValidationError("请确认结束本轮（confirm 为 true）。")
        return value


class CloseAPI(ScopedActionAPI):
    """结束本轮：核查情况表须已全部签署；核查组成员的查阅权限随即收回。"""

    required_permission = DRAW
    queryset = VerificationRound.objects.all()
    serializer_class = RoundSerializer

    @extend_schema(request=CloseRequestSerializer, responses={200: RoundSerializer})
    def post(self, request, pk: int):
        row = self.get_object()
        body = CloseRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.round_close(actor=request.user, row=row, note=body.validated_data["note"])
        fresh = VerificationRound.objects.select_related("city", "draw").get(pk=row.pk)
        return Response(RoundSerializer(fresh).data)


class ReplayRequestSerializer(serializers.Serializer):
    frame_digest = serializers.CharField(
        max_length=64, help_text="您核对的抽取记录的抽样框摘要（见轮次的 draw.frame_digest）"
    )


class ReplayAPI(ScopedActionAPI):
    """复核抽取：以存档的抽样框、规则和种子重抽，核对样本；并比较当前抽样框与存档。"""

    required_permission = READ
    queryset = VerificationRound.objects.all()
    serializer_class = ReplaySerializer

    @extend_schema(request=ReplayRequestSerializer, responses={201: ReplaySerializer})
    def post(self, request, pk: int):
        row = self.get_object()
        body = ReplayRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        draw = SampleDraw.objects.filter(round=row).first()
        if draw is None:
            raise ValidationError("该轮次尚未抽取，无可复核。")
        if body.validated_data["frame_digest"] != draw.frame_digest:
            raise serializers.ValidationError({"frame_digest": ["与该轮次的抽取记录不符。"]})
        replay = services.sample_replay(actor=request.user, draw=draw)
        return Response(ReplaySerializer(replay).data, status=status.HTTP_201_CREATED)


class SampleAPI(ListAPIView):
    """一个轮次的样本单位（按抽取顺序；仅您可见的部分）。"""

    access = "scoped"
    scoped_model = VerificationRound  # the route's object is the round
    permission_classes = [IsAuthenticated, RequiredPermission]
    required_permission = READ
    serializer_class = SampledUnitSerializer
    filterset_class = SampleFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema: no round to look up
            return SampledUnit.objects.none()
        row = access.get_visible_or_404(
            self.request.user, VerificationRound.objects.all(), pk=self.kwargs["pk"]
        )
        return selectors.sample(user=self.request.user, row=row)
