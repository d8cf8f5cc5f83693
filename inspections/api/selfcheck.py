"""API of stage 1: self-check tables, and their filing or return by the bureau."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from campaign import access
from campaign.api import RequiredPermission, ScopedReadOnlyViewSet
from inspections import filters
from inspections.api.evidence import EvidenceLinkSerializer
from inspections.models import (
    SelfCheck,
    SelfCheckAnswer,
)
from inspections.selectors import selfcheck as selectors
from inspections.services import selfcheck as services


class AnswerSerializer(serializers.ModelSerializer):
    item_code = serializers.CharField(source="item.code", read_only=True)

    class Meta:
        model = SelfCheckAnswer
        fields = ["item_code", "result", "problem", "measure", "deadline", "responsible"]


class SelfCheckSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    credit_code = serializers.CharField(source="enterprise.credit_code", read_only=True)
    county_code = serializers.CharField(source="county.code", read_only=True)
    city_code = serializers.CharField(source="city.code", read_only=True)
    catalogue_version = serializers.CharField(source="version.code", read_only=True)
    answers = AnswerSerializer(many=True, read_only=True)
    pdf_url = serializers.SerializerMethodField()

    class Meta:
        model = SelfCheck
        fields = [
            "id",
            "enterprise_name",
            "credit_code",
            "county_code",
            "city_code",
            "catalogue_version",
            "status",
            "filler_name",
            "filled_on",
            "env_manager",
            "env_manager_phone",
            "submitted_at",
            "is_late",
            "reviewed_at",
            "review_comment",
            "answers",
            "pdf_url",
        ]

    def get_pdf_url(self, obj) -> str | None:
        return (
            reverse("inspections:self-check-pdf", args=[obj.pk])
            if obj.status == SelfCheck.Status.FILED
            else None
        )


class FileRequestSerializer(serializers.Serializer):
    confirm = serializers.BooleanField(help_text="须为 true：确认备案")
    comment = serializers.CharField(required=False, allow_blank=True, default="")

    def validate_confirm(self, value):
        if value is not True:
            raise serializers.ValidationError("请确认备案（confirm: true）。")
        return value


class ReturnRequestSerializer(serializers.Serializer):
    comment = serializers.CharField(
        help_text="退回原因", error_messages={"required": "退回时必须填写退回原因。"}
    )


class SelfCheckSummarySerializer(SelfCheckSerializer):
    """A table in a list: its header and status; the answers are at the table's own address."""

    class Meta(SelfCheckSerializer.Meta):
        fields = [f for f in SelfCheckSerializer.Meta.fields if f != "answers"]


class SelfCheckViewSet(ScopedReadOnlyViewSet):
    """排污单位自查情况表（企业：本单位；生态环境部门：管辖范围）。列表不含逐项自查内容，逐项内容见单个自查表。"""

    queryset = SelfCheck.objects.all()  # the model, for the schema and the matrix
    required_permission = "inspections.view_selfcheck"
    serializer_class = SelfCheckSerializer
    filterset_class = filters.SelfCheckFilter

    def get_serializer_class(self):
        return SelfCheckSerializer if self.action == "retrieve" else SelfCheckSummarySerializer

    def get_queryset(self):
        queryset = selectors.self_check_list(user=self.request.user).select_related("version")
        if self.action == "retrieve":
            return queryset.prefetch_related("answers__item")
        return queryset


class _ReviewAPI(GenericAPIView):
    """A review action on one table: role permission first, then the policy (404), then the service."""

    access = "scoped"
    required_permission = "inspections.review_selfcheck"
    permission_classes = [IsAuthenticated, RequiredPermission]
    queryset = SelfCheck.objects.select_related("enterprise", "county", "city", "version")
    serializer_class = SelfCheckSerializer
    request_serializer: type[serializers.Serializer]

    def get_queryset(self):
        return access.visible(self.request.user, super().get_queryset())

    def act(self, self_check, data):
        raise NotImplementedError

    def post(self, request, pk: int):
        self_check = self.get_object()
        body = self.request_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        self_check = self.act(self_check, body.validated_data)
        return Response(SelfCheckSerializer(self_check, context={"request": request}).data)


class SelfCheckFileAPI(_ReviewAPI):
    """备案：不符合项登记为问题台账中的企业自查问题。"""

    request_serializer = FileRequestSerializer

    @extend_schema(request=FileRequestSerializer, responses=SelfCheckSerializer)
    def post(self, request, pk: int):
        return super().post(request, pk)

    def act(self, self_check, data):
        return services.self_check_file(
            actor=self.request.user, self_check=self_check, comment=data["comment"]
        )


class SelfCheckReturnAPI(_ReviewAPI):
    """退回修改（须填写退回原因）。"""

    request_serializer = ReturnRequestSerializer

    @extend_schema(request=ReturnRequestSerializer, responses=SelfCheckSerializer)
    def post(self, request, pk: int):
        return super().post(request, pk)

    def act(self, self_check, data):
        return services.self_check_return(
            actor=self.request.user, self_check=self_check, comment=data["comment"]
        )


class AnswerStateSerializer(AnswerSerializer):
    """One item after a save: what it holds, what it still lacks, and its evidence."""

    missing = serializers.SerializerMethodField(help_text="提交前尚缺的内容")
    evidence = EvidenceLinkSerializer(many=True, read_only=True)

    class Meta(AnswerSerializer.Meta):
        fields = ["id", *AnswerSerializer.Meta.fields, "missing", "updated_at", "evidence"]

    def get_missing(self, obj) -> list[str]:
        return obj.missing()


class AnswerWriteSerializer(serializers.Serializer):
    result = serializers.ChoiceField(
        choices=SelfCheckAnswer.Result.choices, error_messages={"required": "请选择自查结果。"}
    )
    problem = serializers.CharField(required=False, allow_blank=True)
    measure = serializers.CharField(required=False, allow_blank=True)
    deadline = serializers.DateField(required=False, allow_null=True)
    responsible = serializers.CharField(required=False, allow_blank=True)


class _AnswerAPI(GenericAPIView):
    """A write on one item of the enterprise's own table: role first, then the policy (404)."""

    access = "scoped"
    required_permission = "inspections.fill_selfcheck"
    permission_classes = [IsAuthenticated, RequiredPermission]
    queryset = SelfCheckAnswer.objects.select_related("self_check__enterprise", "item")
    serializer_class = AnswerStateSerializer

    def get_queryset(self):
        return access.visible(self.request.user, super().get_queryset())


class AnswerSaveAPI(_AnswerAPI):
    """保存自查表的一项（草稿可不完整，提交时检查）。"""

    @extend_schema(request=AnswerWriteSerializer, responses=AnswerStateSerializer)
    def post(self, request, pk: int):
        answer = self.get_object()
        body = AnswerWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        answer = services.self_check_save_answer(
            actor=request.user, answer=answer, values=body.validated_data
        )
        return Response(AnswerStateSerializer(answer).data)


class AnswerEvidenceRequestSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="照片或 PDF，不超过 15 MB")


class AnswerEvidenceAPI(_AnswerAPI):
    """为自查表的一项上传证据材料。"""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": AnswerEvidenceRequestSerializer},
        responses=AnswerStateSerializer,
    )
    def post(self, request, pk: int):
        answer = self.get_object()
        body = AnswerEvidenceRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.self_check_add_evidence(
            actor=request.user, answer=answer, upload=body.validated_data["file"]
        )
        return Response(AnswerStateSerializer(answer).data, status=status.HTTP_201_CREATED)
