"""API building blocks and the campaign app's own endpoints."""

from __future__ import annotations

import json

from axes.handlers.proxy import AxesProxyHandler
from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import exceptions, serializers, viewsets
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from campaign import access, edge, filters, selectors
from campaign.forms import ExcelUploadForm
from campaign.models import (
    Assignment,
    Campaign,
    Complaint,
    Industry,
    IntegrityCommitment,
    Job,
    LiaisonTable,
    PoolMembership,
    Region,
    RosterGroup,
    StageWindow,
)
from campaign.services.jobs import job_start
from campaign.validators import USERNAME_MAX


class RequiredPermission(BasePermission):
    """The view's `required_permission` (a role permission), checked before any object."""

    message = "您的角色没有此项操作权限。"

    def has_permission(self, request, view) -> bool:
        needed = getattr(view, "required_permission", None)
        return not needed or request.user.has_perm(needed)


class ScopedReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """Every scoped API list and detail starts from the access policy: out of scope is 404."""

    access = "scoped"
    # a role without the model's view permission gets 403 before any row is looked at
    permission_classes = [IsAuthenticated, RequiredPermission]
    required_permission: str | None = None

    def base_queryset(self):
        return self.queryset.all()

    def get_queryset(self):
        return access.visible(self.request.user, self.base_queryset())


class ScopedActionAPI(GenericAPIView):
    """A write on one object (a step, a service): role permission first, then the policy (out of
    scope is 404), then the subclass's service call."""

    access = "scoped"
    permission_classes = [IsAuthenticated, RequiredPermission]
    required_permission: str | None = None

    def get_queryset(self):
        return access.visible(self.request.user, super().get_queryset())


class TokenView(ObtainAuthToken):
    """POST username and password; returns {"token": "..."} for `Authorization: Token ...`.

    Failed attempts count towards the same lockout as the login page (django-axes).
    """

    access = "public"
    parser_classes = api_settings.DEFAULT_PARSER_CLASSES  # ObtainAuthToken names its own
    error_responses = {"429": "多次登录失败，账号暂时锁定"}

    def post(self, request: Request, *args, **kwargs) -> Response:
        username = request.data.get("username", "")
        if not isinstance(username, str) or len(username) > USERNAME_MAX:
            return Response(
                {"username": [f"用户名须为不超过 {USERNAME_MAX} 个字符的文本。"]}, status=400
            )
        credentials = {"username": username}
        if AxesProxyHandler.is_locked(request._request, credentials):
            return Response(
                {
                    "detail": "多次登录失败，该账号已被暂时锁定 30 分钟。请稍后再试或联系系统管理员。"
                },
                status=429,
            )
        return super().post(request, *args, **kwargs)


class RegionSerializer(serializers.ModelSerializer):
    parent_code = serializers.CharField(
        source="parent.code", default=None, allow_null=True, read_only=True
    )

    class Meta:
        model = Region
        fields = ["id", "code", "name", "level", "kind", "parent_code"]


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    """The province's regions (reference data, the same for every signed-in user)."""

    access = "authenticated"
    serializer_class = RegionSerializer
    filterset_fields = ["level", "kind"]
    search_fields = ["name", "code"]
    queryset = Region.objects.select_related("parent")


class IndustrySerializer(serializers.ModelSerializer):
    parent_code = serializers.CharField(
        source="parent.code", default=None, allow_null=True, read_only=True
    )

    class Meta:
        model = Industry
        fields = ["code", "name", "level", "parent_code"]


class IndustryViewSet(viewsets.ReadOnlyModelViewSet):
    """国民经济行业分类 (GB/T 4754-2017), reference data."""

    access = "authenticated"
    serializer_class = IndustrySerializer
    filterset_fields = ["level"]
    search_fields = ["name", "code"]
    lookup_field = "code"
    queryset = selectors.industry_list().select_related("parent")


class MeView(APIView):
    access = "authenticated"

    @extend_schema(
        responses=inline_serializer(
            "Me",
            {
                "username": serializers.CharField(),
                "full_name": serializers.CharField(),
                "role": serializers.CharField(),
                "role_display": serializers.CharField(),
                "region_code": serializers.CharField(allow_null=True),
                "reach": serializers.CharField(),
            },
        )
    )
    def get(self, request: Request) -> Response:
        user = request.user
        return Response(
            {
                "username": user.username,
                "full_name": user.full_name,
                "role": user.role,
                "role_display": user.get_role_display(),
                "region_code": user.region.code if user.region_id else None,
                "reach": access.jurisdiction(user).reach.value,
            }
        )


# --- organisation (issue: campaign organisation) ---------------------------------------------


def _region_codes(region) -> dict:
    if region is None:
        return {"county_code": None, "city_code": None}
    if region.level == "county":
        return {
            "county_code": region.code,
            "city_code": region.parent.code if region.parent_id else None,
        }
    if region.level == "city":
        return {"county_code": None, "city_code": region.code}
    return {"county_code": None, "city_code": None}


class StageWindowSerializer(serializers.ModelSerializer):
    city_code = serializers.CharField(
        source="city.code", default=None, allow_null=True, read_only=True
    )

    class Meta:
        model = StageWindow
        fields = ["stage", "city_code", "starts_on", "ends_on"]


@extend_schema_field(
    {
        "type": "string",
        "pattern": r"^\d{2}:\d{2}:\d{2}$",
        "example": "17:30:00",
        "description": "北京时间（Asia/Shanghai），时:分:秒",
    }
)
class LocalTimeField(serializers.TimeField):
    """A wall-clock time in Beijing time, sent as 17:30:00 (OpenAPI's "time" format would demand
    an offset, which a time of day in one fixed zone does not carry)."""


class CampaignSerializer(serializers.ModelSerializer):
    windows = StageWindowSerializer(many=True, read_only=True)
    weekly_report_time = LocalTimeField(read_only=True)

    class Meta:
        model = Campaign
        fields = [
            "year",
            "name",
            "is_current",
            "liaison_deadline",
            "weekly_report_weekday",
            "weekly_report_time",
            "complaint_phone",
            "windows",
        ]


class CampaignViewSet(ScopedReadOnlyViewSet):
    """执法行动年度与各阶段时间（含各市单独调整的时间，city_code 非空）。"""

    queryset = Campaign.objects.prefetch_related("windows__city")
    serializer_class = CampaignSerializer
    lookup_field = "year"


class RosterGroupSerializer(serializers.ModelSerializer):
    members = serializers.SerializerMethodField()

    class Meta:
        model = RosterGroup
        fields = ["id", "kind", "name", "duties", "members"]

    def get_members(self, obj) -> list[dict]:
        return [
            {"name": m.name, "position": m.get_position_display(), "unit": m.unit}
            for m in obj.members.all()
        ]


class RosterGroupViewSet(ScopedReadOnlyViewSet):
    """领导小组、工作组和办公室（省级角色可见）。"""

    queryset = RosterGroup.objects.prefetch_related("members")
    serializer_class = RosterGroupSerializer
    filterset_fields = ["kind"]


class PoolMembershipSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(source="user.full_name", read_only=True)
    badge_no = serializers.CharField(source="user.badge_no", read_only=True)
    unit = serializers.CharField(source="user.unit", read_only=True)
    county_code = serializers.SerializerMethodField()
    city_code = serializers.SerializerMethodField()

    class Meta:
        model = PoolMembership
        fields = [
            "id",
            "pool",
            "full_name",
            "badge_no",
            "unit",
            "county_code",
            "city_code",
            "lead_qualified",
        ]

    def get_county_code(self, obj) -> str | None:
        return _region_codes(obj.user.region)["county_code"]

    def get_city_code(self, obj) -> str | None:
        return _region_codes(obj.user.region)["city_code"]


class PoolMembershipViewSet(ScopedReadOnlyViewSet):
    """千名精兵、执法能手和专家库。"""

    queryset = PoolMembership.objects.select_related("user__region__parent")
    serializer_class = PoolMembershipSerializer
    filterset_class = filters.PoolMembershipFilter


class LiaisonTableSerializer(serializers.ModelSerializer):
    city_code = serializers.CharField(source="city.code", read_only=True)
    county_code = serializers.SerializerMethodField()
    people = serializers.SerializerMethodField()

    class Meta:
        model = LiaisonTable
        fields = ["id", "city_code", "county_code", "submitted_at", "is_late", "people"]

    def get_county_code(self, obj) -> str | None:
        return None

    def get_people(self, obj) -> list[dict]:
        return [
            {
                "name": p.name,
                "unit_position": p.unit_position,
                "duty": p.get_duty_display(),
                "office_phone": p.office_phone,
                "mobile": p.mobile,
                "email": p.email,
            }
            for p in obj.people.all()
        ]


class LiaisonTableViewSet(ScopedReadOnlyViewSet):
    """各市联络人员信息统计表（附件7）。"""

    queryset = LiaisonTable.objects.select_related("city").prefetch_related("people")
    serializer_class = LiaisonTableSerializer


class AssignmentSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(source="user.full_name", read_only=True)
    city_code = serializers.CharField(source="destination.code", read_only=True)
    county_code = serializers.SerializerMethodField()
    commitment_signed_at = serializers.DateTimeField(
        source="commitment.signed_at", default=None, allow_null=True, read_only=True
    )
    commitment_version = serializers.IntegerField(
        source="commitment.document.version", default=None, allow_null=True, read_only=True
    )
    self_check_submitted_at = serializers.DateTimeField(
        source="self_check.submitted_at", default=None, allow_null=True, read_only=True
    )

    class Meta:
        model = Assignment
        fields = [
            "id",
            "full_name",
            "title",
            "city_code",
            "county_code",
            "starts_on",
            "ends_on",
            "commitment_signed_at",
            "commitment_version",
            "self_check_submitted_at",
        ]

    def get_county_code(self, obj) -> str | None:
        return None


class AssignmentViewSet(ScopedReadOnlyViewSet):
    """异地执法任务及其承诺书、自查表状态（city_code 为前往地区）。"""

    queryset = Assignment.objects.select_related(
        "user", "destination", "commitment__document", "self_check"
    )
    serializer_class = AssignmentSerializer
    filterset_class = filters.AssignmentFilter


class CommitmentSerializer(serializers.ModelSerializer):
    assignment = serializers.IntegerField(source="assignment_id", read_only=True)
    document_version = serializers.IntegerField(source="document.version", read_only=True)
    city_code = serializers.CharField(source="assignment.destination.code", read_only=True)
    county_code = serializers.SerializerMethodField()

    class Meta:
        model = IntegrityCommitment
        fields = [
            "id",
            "assignment",
            "signed_name",
            "signed_at",
            "document_version",
            "is_late",
            "city_code",
            "county_code",
        ]

    def get_county_code(self, obj) -> str | None:
        return None


class CommitmentViewSet(ScopedReadOnlyViewSet):
    """廉洁自律承诺书签署记录。"""

    queryset = IntegrityCommitment.objects.select_related("document", "assignment__destination")
    serializer_class = CommitmentSerializer


class ComplaintSerializer(serializers.ModelSerializer):
    class Meta:
        model = Complaint
        fields = [
            "id",
            "tracking_code",
            "accused",
            "place",
            "happened_on",
            "description",
            "reporter_name",
            "reporter_contact",
            "status",
            "conclusion",
            "received_at",
            "concluded_at",
        ]


class ComplaintViewSet(ScopedReadOnlyViewSet):
    """群众举报（仅巡查组）。"""

    required_permission = "campaign.handle_complaint"
    permission_classes = [IsAuthenticated, RequiredPermission]
    queryset = Complaint.objects.all()
    serializer_class = ComplaintSerializer
    filterset_class = filters.ComplaintFilter


class JobSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    percent = serializers.IntegerField(read_only=True, allow_null=True)
    file_url = serializers.SerializerMethodField(help_text="结果文件的下载地址（完成后）")
    page_url = serializers.SerializerMethodField(help_text="任务页面")

    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "title",
            "status",
            "status_label",
            "done",
            "total",
            "percent",
            "message",
            "result_name",
            "file_url",
            "result_url",
            "page_url",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_file_url(self, obj) -> str | None:
        if obj.status == Job.Status.DONE and obj.result_file:
            return reverse("job-file", args=[obj.pk])  # opens with the API token too
        return None

    def get_page_url(self, obj) -> str:
        return reverse("job", args=[obj.pk])


@extend_schema_field({"type": "object", "additionalProperties": True})
class ParamsField(serializers.JSONField):
    """An object: as JSON in a JSON body, or as a JSON string in a multipart form (an import)."""

    def to_internal_value(self, data):
        if isinstance(data, str):
            try:
                data = json.loads(data)
            except (ValueError, RecursionError) as exc:
                raise serializers.ValidationError("应为 JSON 对象。") from exc
        if not isinstance(data, dict):
            raise serializers.ValidationError("应为 JSON 对象。")
        try:  # what the strict JSON parser checks in a JSON body: depth, NUL characters
            edge.check_json(data)
        except exceptions.ParseError as exc:
            raise serializers.ValidationError(str(exc.detail)) from exc
        return data


class JobStartSerializer(serializers.Serializer):
    kind = serializers.CharField(
        help_text="任务类型：enterprises.export、enterprises.import、problems.export、"
        "inspections.export、self_checks.export、self_checks.missing_export"
    )
    params = ParamsField(
        required=False,
        default=dict,
        help_text='导出：与对应列表相同的筛选条件；导入：{"list_kind": "key_units"}',
    )
    file = serializers.FileField(required=False, help_text="导入时上传的 Excel 文件（.xlsx）")


class JobViewSet(ScopedReadOnlyViewSet):
    """The caller's own background jobs: start one, follow its progress, download its file."""

    queryset = Job.objects.all()
    serializer_class = JobSerializer

    @extend_schema(request=JobStartSerializer, responses={202: JobSerializer})
    def create(self, request: Request) -> Response:
        body = JobStartSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        upload = body.validated_data.get("file")
        if upload is not None:
            form = ExcelUploadForm(files={"file": upload})
            if not form.is_valid():
                raise serializers.ValidationError({"file": form.errors["file"]})
        job = job_start(
            actor=request.user,
            kind=body.validated_data["kind"],
            params=body.validated_data["params"],
            upload=upload,
            upload_name=upload.name if upload is not None else "",
        )
        return Response(JobSerializer(job).data, status=202)
