"""API of stage 2: inspections with their record lines, planning, line saves with revisions
(409), evidence upload, amendment and submission."""

from __future__ import annotations

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone as _tz
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from campaign import access
from campaign.api import RequiredPermission, ScopedReadOnlyViewSet
from enterprises.models import Enterprise
from inspections import filters
from inspections.api.evidence import EvidenceLinkSerializer
from inspections.models import (
    Inspection,
    InspectionFinding,
    InspectionMember,
)
from inspections.selectors import onsite as selectors
from inspections.services import onsite


class FindingSerializer(serializers.ModelSerializer):
    item_code = serializers.CharField(source="item.code", read_only=True)
    evidence = EvidenceLinkSerializer(many=True, read_only=True)
    missing = serializers.SerializerMethodField(help_text="提交前本项尚缺的内容")

    class Meta:
        model = InspectionFinding
        fields = [
            "id",
            "item_code",
            "result",
            "note",
            "description",
            "kind",
            "severity",
            "legal_basis",
            "sampling_numbers",
            "revision",
            "evidence",
            "missing",
        ]

    def get_missing(self, obj) -> list[str]:
        return obj.missing()


class InspectionSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    credit_code = serializers.CharField(source="enterprise.credit_code", read_only=True)
    county_code = serializers.CharField(source="county.code", read_only=True)
    city_code = serializers.CharField(source="city.code", read_only=True)
    team = serializers.SerializerMethodField()
    findings = FindingSerializer(many=True, read_only=True)
    pdf_url = serializers.SerializerMethodField()

    class Meta:
        model = Inspection
        fields = [
            "id",
            "enterprise_name",
            "credit_code",
            "county_code",
            "city_code",
            "source",
            "planned_on",
            "status",
            "started_at",
            "ended_at",
            "place",
            "representative_name",
            "summary",
            "suggestion",
            "submitted_at",
            "is_late",
            "late_reason",
            "revision",
            "team",
            "findings",
            "pdf_url",
        ]

    def get_team(self, obj) -> list[dict]:
        return [
            {
                "name": m.user.full_name,
                "role": m.role,
                "badge_no": m.user.badge_no,
                "signed": m.signed_at is not None,  # set with the signature, which stays unread
            }
            for m in obj.members.all()
        ]

    def get_pdf_url(self, obj) -> str | None:
        return (
            reverse("inspections:inspection-pdf", args=[obj.pk])
            if obj.status == Inspection.Status.SUBMITTED
            else None
        )


class InspectionSummarySerializer(InspectionSerializer):
    """An inspection in a list: header, team and status; the record's lines are at its own address."""

    class Meta(InspectionSerializer.Meta):
        fields = [f for f in InspectionSerializer.Meta.fields if f != "findings"]


class InspectionViewSet(ScopedReadOnlyViewSet):
    """现场检查及其检查记录（附件3）。列表不含逐项检查结果，逐项结果见单个检查。"""

    queryset = Inspection.objects.all()  # the model, for the schema and the matrix
    required_permission = "inspections.view_inspection"
    serializer_class = InspectionSerializer
    filterset_class = filters.InspectionFilter

    def get_serializer_class(self):
        return InspectionSerializer if self.action == "retrieve" else InspectionSummarySerializer

    def get_queryset(self):
        team = InspectionMember.objects.select_related("user").defer("signature")
        queryset = (
            selectors.inspection_list(user=self.request.user)
            # what a list never shows: the frozen original and the signature images
            .defer("original", "representative_signature")
            .prefetch_related(None)
            .prefetch_related("county", "city", Prefetch("members", queryset=team))
        )
        if self.action == "retrieve":
            return queryset.prefetch_related("findings__item", "findings__evidence")
        return queryset


class PlanRequestSerializer(serializers.Serializer):
    enterprise = serializers.IntegerField()
    planned_on = serializers.DateField()
    source = serializers.ChoiceField(choices=Inspection.Source.choices)
    lead = serializers.CharField(help_text="主办人用户名")
    inspectors = serializers.ListField(child=serializers.CharField(), help_text="协办人用户名")
    experts = serializers.ListField(child=serializers.CharField(), required=False, default=list)


class InspectionPlanAPI(GenericAPIView):
    """安排现场检查（主办人和至少一名协办人须持执法证）。"""

    access = "authenticated"
    required_permission = "inspections.plan_inspection"
    permission_classes = [IsAuthenticated, RequiredPermission]
    serializer_class = PlanRequestSerializer

    @extend_schema(request=PlanRequestSerializer, responses=InspectionSerializer)
    def post(self, request):
        body = PlanRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        enterprise = (
            access.visible(request.user, Enterprise.objects.all())
            .filter(pk=data["enterprise"])
            .first()
        )
        if enterprise is None:
            return Response(
                {"enterprise": ["单位不存在或不在您的管辖范围内。"]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        # names resolve only among the people this user may choose: the answer never tells
        # whether an account exists outside the caller's reach
        team = [data["lead"], *data["inspectors"]]
        people = {
            u.username: u
            for u in selectors.plannable_inspectors(user=request.user).filter(username__in=team)
        }
        people |= {
            u.username: u
            for u in selectors.plannable_experts().filter(username__in=data["experts"])
        }
        unknown = [n for n in [*team, *data["experts"]] if n not in people]
        if unknown:
            return Response(
                {
                    "detail": [
                        "以下人员不能安排（账号不存在、不是执法人员或专家，或不在您的管辖范围内）："
                        + "、".join(unknown)
                    ]
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        from campaign.selectors import calendar as calendar_selectors

        inspection = onsite.inspection_plan(
            actor=request.user,
            campaign=calendar_selectors.campaign_current(),
            enterprise=enterprise,
            planned_on=data["planned_on"],
            source=data["source"],
            lead=people[data["lead"]],
            inspectors=[people[n] for n in data["inspectors"]],
            experts=[people[n] for n in data["experts"]],
        )
        return Response(InspectionSerializer(inspection).data, status=status.HTTP_201_CREATED)


class _FindingAPI(GenericAPIView):
    access = "scoped"
    permission_classes = [IsAuthenticated]
    queryset = InspectionFinding.objects.select_related("inspection", "item")
    serializer_class = FindingSerializer

    def get_queryset(self):
        return access.visible(self.request.user, super().get_queryset())

    def team_only(self, finding):
        if (
            not finding.inspection.members.filter(user=self.request.user)
            .exclude(role="expert")
            .exists()
        ):
            raise ApiPermissionDenied("只有检查组的执法人员可以填写检查记录。")


class FindingWriteSerializer(serializers.Serializer):
    revision = serializers.IntegerField(
        help_text="读取时的 revision；他人已修改时返回 409 和最新内容"
    )
    result = serializers.ChoiceField(choices=InspectionFinding.Result.choices)
    note = serializers.CharField(required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)
    kind = serializers.ChoiceField(
        choices=InspectionFinding._meta.get_field("kind").choices, required=False, allow_blank=True
    )
    severity = serializers.ChoiceField(
        choices=InspectionFinding._meta.get_field("severity").choices,
        required=False,
        allow_blank=True,
    )
    legal_basis = serializers.CharField(required=False, allow_blank=True)
    sampling_numbers = serializers.CharField(required=False, allow_blank=True)


class FindingSaveAPI(_FindingAPI):
    """保存一个检查项目（带 revision 的乐观锁）。"""

    answers_conflict = True  # 409 with the stored version (documented in the schema)

    @extend_schema(request=FindingWriteSerializer, responses=FindingSerializer)
    def post(self, request, pk: int):
        finding = self.get_object()
        self.team_only(finding)
        body = FindingWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        values = dict(body.validated_data)
        revision = values.pop("revision")
        finding = onsite.finding_save(
            actor=request.user, finding=finding, values=values, revision=revision
        )
        return Response(FindingSerializer(finding).data)


class EvidenceUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    taken_at = serializers.DateTimeField(required=False, allow_null=True)
    # the same bounds as the page's form (and the service's own check)
    latitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, required=False, allow_null=True, min_value=-90, max_value=90
    )
    longitude = serializers.DecimalField(
        max_digits=9,
        decimal_places=6,
        required=False,
        allow_null=True,
        min_value=-180,
        max_value=180,
    )


class FindingEvidenceAPI(_FindingAPI):
    """上传证据（照片、文件）；拍摄时间和位置可随附。"""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": EvidenceUploadSerializer}, responses=FindingSerializer
    )
    def post(self, request, pk: int):
        finding = self.get_object()
        self.team_only(finding)
        body = EvidenceUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        onsite.finding_add_evidence(
            actor=request.user,
            finding=finding,
            upload=data["file"],
            taken_at=data.get("taken_at"),
            latitude=data.get("latitude"),
            longitude=data.get("longitude"),
        )
        return Response(FindingSerializer(finding).data, status=status.HTTP_201_CREATED)


class AmendRequestSerializer(serializers.Serializer):
    reason = serializers.CharField(error_messages={"required": "请填写更正原因。"})
    result = serializers.ChoiceField(choices=InspectionFinding.Result.choices, required=False)
    kind = serializers.ChoiceField(
        choices=InspectionFinding._meta.get_field("kind").choices, required=False
    )
    severity = serializers.ChoiceField(
        choices=InspectionFinding._meta.get_field("severity").choices, required=False
    )
    note = serializers.CharField(required=False)
    description = serializers.CharField(required=False)
    legal_basis = serializers.CharField(required=False)
    sampling_numbers = serializers.CharField(required=False, max_length=200)


class FindingAmendAPI(_FindingAPI):
    """更正已提交的记录（原始记录保留，须写明原因）。"""

    @extend_schema(request=AmendRequestSerializer, responses=FindingSerializer)
    def post(self, request, pk: int):
        finding = self.get_object()
        self.team_only(finding)
        body = AmendRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        values = dict(body.validated_data)
        reason = values.pop("reason")
        finding = onsite.inspection_amend(
            actor=request.user,
            inspection=finding.inspection,
            finding=finding,
            values=values,
            reason=reason,
        )
        return Response(FindingSerializer(finding).data)


class _TeamInspectionAPI(GenericAPIView):
    """A write on one inspection by its team: the policy first (404), then team membership (403)."""

    access = "scoped"
    permission_classes = [IsAuthenticated]
    queryset = Inspection.objects.select_related("enterprise", "county", "city")
    serializer_class = InspectionSerializer

    def get_queryset(self):
        return access.visible(self.request.user, super().get_queryset())

    def get_team_object(self) -> Inspection:
        inspection = self.get_object()
        if not inspection.members.filter(
            user=self.request.user, role__in=InspectionMember.SIGNERS
        ).exists():
            raise ApiPermissionDenied("只有检查组的执法人员可以填写检查记录。")
        return inspection


class HeaderSerializer(serializers.ModelSerializer):
    missing = serializers.SerializerMethodField(help_text="提交前尚缺的内容")
    # declared: a read-only model field loses allow_blank, and the schema would refuse ""
    suggestion = serializers.ChoiceField(
        choices=Inspection.Suggestion.choices, allow_blank=True, read_only=True
    )

    class Meta:
        model = Inspection
        fields = ["id", "revision", *onsite.HEADER_FIELDS, "missing"]
        read_only_fields = fields

    def get_missing(self, obj) -> list[str]:
        return onsite.inspection_missing(obj)


class HeaderWriteSerializer(serializers.Serializer):
    revision = serializers.IntegerField(
        help_text="读取时的 revision；他人已修改时返回 409 和最新内容"
    )
    started_at = serializers.DateTimeField(required=False, allow_null=True)
    ended_at = serializers.DateTimeField(required=False, allow_null=True)
    place = serializers.CharField(required=False, allow_blank=True)
    recorder = serializers.IntegerField(
        required=False, allow_null=True, help_text="记录人（本检查组执法人员的用户 id）"
    )
    representative_name = serializers.CharField(required=False, allow_blank=True)
    representative_position = serializers.CharField(required=False, allow_blank=True)
    representative_statement = serializers.CharField(required=False, allow_blank=True)
    summary = serializers.CharField(required=False, allow_blank=True)
    suggestion = serializers.CharField(required=False, allow_blank=True)


class InspectionHeaderAPI(_TeamInspectionAPI):
    """保存检查记录表头（带 revision 的乐观锁）。"""

    answers_conflict = True

    @extend_schema(request=HeaderWriteSerializer, responses=HeaderSerializer)
    def post(self, request, pk: int):
        inspection = self.get_team_object()
        body = HeaderWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        values = dict(body.validated_data)
        revision = values.pop("revision")
        if values.get("recorder") is not None:
            values["recorder"] = selectors.team_member(
                inspection=inspection, user_id=values["recorder"], field="recorder"
            )
        inspection = onsite.header_save(
            actor=request.user, inspection=inspection, values=values, revision=revision
        )
        return Response(HeaderSerializer(inspection).data)


class SignRequestSerializer(serializers.Serializer):
    signature = serializers.CharField(
        help_text="手写签名图像（data:image/png;base64,…）", max_length=400_000
    )
    who = serializers.ChoiceField(
        choices=[("me", "本人"), ("representative", "企业现场负责人")], default="me"
    )
    representative_name = serializers.CharField(required=False, allow_blank=True, max_length=30)
    signer = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text="在本机签名的另一名检查组执法人员（用户 id）；须同时提供其登录密码",
    )
    signer_password = serializers.CharField(
        required=False, allow_blank=True, write_only=True, max_length=128
    )


class InspectionSignAPI(_TeamInspectionAPI):
    """签名：检查人员本人签名，或由企业现场负责人在检查人员的设备上签名。"""

    @extend_schema(request=SignRequestSerializer, responses=InspectionSummarySerializer)
    def post(self, request, pk: int):
        inspection = self.get_team_object()
        body = SignRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        inspection = onsite.inspection_sign(
            actor=request.user,
            inspection=inspection,
            signature=data["signature"],
            for_representative=data["who"] == "representative",
            representative_name=data.get("representative_name", ""),
            signer=selectors.team_member(
                inspection=inspection, user_id=data.get("signer"), field="signer"
            ),
            signer_password=data.get("signer_password", ""),
        )
        return Response(InspectionSummarySerializer(inspection).data)


class SubmitRequestSerializer(serializers.Serializer):
    confirm = serializers.BooleanField()
    late_reason = serializers.CharField(required=False, allow_blank=True, default="")

    def validate_confirm(self, value):
        if value is not True:
            raise serializers.ValidationError("请确认提交（confirm: true）。")
        return value


class InspectionSubmitAPI(_TeamInspectionAPI):
    """提交检查记录（当日上传；非当日须写明原因）。提交后锁定。"""

    @extend_schema(request=SubmitRequestSerializer, responses=InspectionSerializer)
    def post(self, request, pk: int):
        inspection = self.get_team_object()
        body = SubmitRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        inspection = onsite.inspection_submit(
            actor=request.user,
            inspection=inspection,
            late_reason=body.validated_data["late_reason"],
            at=_tz.now(),
        )
        return Response(InspectionSerializer(inspection).data)
