"""/api/v1/ of the plans and their items (一企一案, 整改台账) and the work on an item: its plan, a
measure done, progress, evidence, 申请销号 and 延期. Each write is one service call; the services
decide which part the enterprise and the bureau may write."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response

from campaign.api import ScopedActionAPI, ScopedReadOnlyViewSet
from campaign.models import User
from campaign.selectors.calendar import campaign_current
from inspections.selectors.onsite import plannable_inspectors
from rectification import filters
from rectification.models import (
    Extension,
    ItemCheck,
    ItemEvidence,
    ItemMeasure,
    Milestone,
    ProgressReport,
    RectificationItem,
    RectificationPlan,
)
from rectification.selectors import plan as selectors
from rectification.services import plan as services

ID_MAX = 2**63 - 1  # a body's id beyond the column's range is "not found", not a database error


# --- what the API shows ----------------------------------------------------------------------


class PersonSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="full_name", read_only=True)

    class Meta:
        model = User
        fields = ["username", "name"]
        read_only_fields = fields


class ItemProblemSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    description = serializers.CharField(read_only=True)
    source = serializers.CharField(read_only=True, help_text="发现途径")
    item_code = serializers.CharField(source="item.code", read_only=True, help_text="检查项目编号")
    item_title = serializers.CharField(source="item.title", read_only=True)


class ItemMeasureSerializer(serializers.ModelSerializer):
    class Meta:
        model = ItemMeasure
        fields = ["id", "number", "text", "done_on"]
        read_only_fields = fields


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["id", "number", "title", "due_on", "done_on"]
        read_only_fields = fields


class ItemEvidenceSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    name = serializers.CharField(source="evidence.original_name", read_only=True)
    url = serializers.SerializerMethodField(help_text="文件地址（同一 API 令牌可访问）")
    taken_at = serializers.DateTimeField(
        source="evidence.taken_at", read_only=True, allow_null=True, help_text="拍摄时间"
    )
    # numbers, as a phone's GPS gives them (not the decimal strings of the stored columns)
    latitude = serializers.FloatField(source="evidence.latitude", read_only=True, allow_null=True)
    longitude = serializers.FloatField(source="evidence.longitude", read_only=True, allow_null=True)

    class Meta:
        model = ItemEvidence
        fields = [
            "id",
            "kind",
            "kind_label",
            "name",
            "url",
            "taken_at",
            "latitude",
            "longitude",
            "note",
            "report",
            "added_at",
        ]
        read_only_fields = fields

    def get_url(self, obj: ItemEvidence) -> str:
        return reverse("inspections:evidence", args=[obj.evidence_id])


class ProgressReportSerializer(serializers.ModelSerializer):
    evidence = ItemEvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = ProgressReport
        fields = ["id", "item", "milestone", "on", "text", "milestone_done", "at", "evidence"]
        read_only_fields = fields


class ExtensionSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Extension
        fields = [
            "id",
            "item",
            "status",
            "status_label",
            "reason",
            "requested_deadline",
            "previous_deadline",
            "granted_deadline",
            "decision_note",
            "requested_at",
        ]
        read_only_fields = fields


class ItemCheckSerializer(serializers.ModelSerializer):
    officers = serializers.SlugRelatedField(slug_field="username", many=True, read_only=True)
    unmet = serializers.ListField(
        child=serializers.ChoiceField(choices=ItemCheck.Condition.choices),
        read_only=True,
        help_text="未满足的销号条件",
    )

    class Meta:
        model = ItemCheck
        fields = [
            "id",
            "item",
            "method",
            "checked_on",
            "officers",
            "conclusion",
            "outcome",
            "unmet",
            "skip_reason",
            "flagged",
            "recorded_at",
        ]
        read_only_fields = fields


class ItemSummarySerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="plan.enterprise.name", read_only=True)
    county_code = serializers.CharField(source="plan.county.code", read_only=True)
    problem = ItemProblemSerializer(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    supervisor = PersonSerializer(read_only=True, allow_null=True, help_text="监管责任人")
    closing_flagged = serializers.SerializerMethodField(
        help_text="未满足全部销号条件仍予销号（提请异地核查关注；仅监管部门可见，企业为 null）"
    )

    class Meta:
        model = RectificationItem
        fields = [
            "id",
            "plan",
            "enterprise_name",
            "county_code",
            "number",
            "problem",
            "requirement",
            "deadline",
            "supervisor",
            "facility_task",
            "status",
            "status_label",
            "closing_flagged",
            "overdue_since",
            "escalated_on",
            "closed_on",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.BooleanField(allow_null=True))
    def get_closing_flagged(self, item) -> bool | None:
        user = self.context.get("user") or getattr(self.context.get("request"), "user", None)
        if user is None or not user.has_perm("rectification.handle_rectification"):
            return None
        return item.closing_flagged


class ItemSerializer(ItemSummarySerializer):
    measures = ItemMeasureSerializer(many=True, read_only=True)
    milestones = MilestoneSerializer(many=True, read_only=True)
    evidence = serializers.SerializerMethodField(help_text="佐证材料")
    reports = serializers.SerializerMethodField(help_text="整改进展")
    extensions = serializers.SerializerMethodField(help_text="延期申请及审核")
    checks = serializers.SerializerMethodField(help_text="核查记录（仅监管部门可见）")

    class Meta(ItemSummarySerializer.Meta):
        fields = [
            *ItemSummarySerializer.Meta.fields,
            "requirement_source",
            "original_deadline",
            "funds",
            "responsible",
            "responsible_phone",
            "progress",
            "applied_at",
            "return_reason",
            "measures",
            "milestones",
            "evidence",
            "reports",
            "extensions",
            "checks",
        ]
        read_only_fields = fields

    @extend_schema_field(ItemEvidenceSerializer(many=True))
    def get_evidence(self, obj: RectificationItem) -> list[dict]:
        return ItemEvidenceSerializer(self.context["history"]["evidence"], many=True).data

    @extend_schema_field(ProgressReportSerializer(many=True))
    def get_reports(self, obj: RectificationItem) -> list[dict]:
        return ProgressReportSerializer(self.context["history"]["reports"], many=True).data

    @extend_schema_field(ExtensionSerializer(many=True))
    def get_extensions(self, obj: RectificationItem) -> list[dict]:
        return ExtensionSerializer(self.context["history"]["extensions"], many=True).data

    @extend_schema_field(ItemCheckSerializer(many=True))
    def get_checks(self, obj: RectificationItem) -> list[dict]:
        return ItemCheckSerializer(self.context["history"]["checks"], many=True).data


def item_answer(user: User, item: RectificationItem) -> dict:
    """The item as this user may see it (the enterprise: without the bureau's checks)."""
    history = selectors.item_history(user=user, item=item)
    return ItemSerializer(item, context={"history": history, "user": user}).data


class PlanSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    county_code = serializers.CharField(source="county.code", read_only=True)
    city_code = serializers.CharField(source="city.code", read_only=True)
    pdf_url = serializers.SerializerMethodField(help_text="整改方案 PDF（同一 API 令牌可访问）")

    class Meta:
        model = RectificationPlan
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "county_code",
            "city_code",
            "created_at",
            "note",
            "pdf_url",
        ]
        read_only_fields = fields

    def get_pdf_url(self, obj: RectificationPlan) -> str:
        return reverse("rectification:plan-pdf", args=[obj.pk])


class PlanSummarySerializer(PlanSerializer):
    item_count = serializers.IntegerField(read_only=True, help_text="整改事项（不含已撤销）")
    closed_count = serializers.IntegerField(read_only=True, help_text="已销号")
    overdue_count = serializers.IntegerField(read_only=True, help_text="逾期")
    applied_count = serializers.IntegerField(read_only=True, help_text="申请销号待核查")

    class Meta(PlanSerializer.Meta):
        fields = [
            *PlanSerializer.Meta.fields,
            "item_count",
            "closed_count",
            "overdue_count",
            "applied_count",
        ]
        read_only_fields = fields


class PlanItemSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    problem_description = serializers.CharField(source="problem.description", read_only=True)

    class Meta:
        model = RectificationItem
        fields = ["id", "number", "status", "status_label", "deadline", "problem_description"]
        read_only_fields = fields


class PlanDetailSerializer(PlanSerializer):
    items = serializers.SerializerMethodField(help_text="整改事项")

    class Meta(PlanSerializer.Meta):
        fields = [*PlanSerializer.Meta.fields, "items"]
        read_only_fields = fields

    @extend_schema_field(PlanItemSerializer(many=True))
    def get_items(self, obj: RectificationPlan) -> list[dict]:
        items = selectors.plan_items(user=self.context["request"].user, plan=obj)
        return PlanItemSerializer(items, many=True).data


# --- lists and details -----------------------------------------------------------------------


ItemFilter = filters.ItemFilter
ProposalFilter = filters.ProposalFilter
PlanFilter = filters.PlanFilter


class PlanViewSet(ScopedReadOnlyViewSet):
    """一企一案整改方案（本年度；执法机关：辖区内；企业：本单位）。单个方案列出其整改事项，附 PDF 地址。"""

    queryset = RectificationPlan.objects.select_related("enterprise", "county", "city")
    required_permission = "rectification.view_rectificationplan"
    serializer_class = PlanSummarySerializer
    filterset_class = PlanFilter

    def get_serializer_class(self):
        return PlanDetailSerializer if self.action == "retrieve" else PlanSummarySerializer

    def get_queryset(self):
        if self.action == "retrieve":  # any year's plan the user may see, as on its page
            return super().get_queryset()
        return selectors.plans(user=self.request.user, campaign=campaign_current())

    def paginate_queryset(self, queryset):
        # the figures of the page's plans only, as on the page
        page = super().paginate_queryset(queryset)
        return None if page is None else selectors.with_figures(page)


class ItemViewSet(ScopedReadOnlyViewSet):
    """整改台账（本年度，与页面相同的筛选条件）。单个事项含整改措施、进度节点、佐证材料、进展、延期申请，
    监管部门另见核查记录。"""

    queryset = RectificationItem.objects.select_related(
        "plan", "plan__enterprise", "plan__county", "problem", "problem__item", "supervisor"
    )
    required_permission = "rectification.view_rectificationplan"
    serializer_class = ItemSummarySerializer
    filterset_class = ItemFilter

    def get_serializer_class(self):
        return ItemSerializer if self.action == "retrieve" else ItemSummarySerializer

    def get_queryset(self):
        if self.action == "retrieve":
            return super().get_queryset()
        return selectors.items(user=self.request.user, campaign=campaign_current())

    def retrieve(self, request, *args, **kwargs):
        return Response(item_answer(request.user, self.get_object()))


# --- the work on an item ---------------------------------------------------------------------


def _item_after(request, item: RectificationItem) -> Response:
    """The item as it is after the write, read again through its selector."""
    return Response(item_answer(request.user, selectors.item_detail(user=request.user, pk=item.pk)))


class _ItemAPI(ScopedActionAPI):
    required_permission = "rectification.change_rectificationitem"
    queryset = RectificationItem.objects.all()
    serializer_class = ItemSerializer


class MilestoneRequestSerializer(serializers.Serializer):
    title = serializers.CharField(allow_blank=True, max_length=200, help_text="进度节点")
    due_on = serializers.DateField(help_text="计划完成日期")


class ItemPlanRequestSerializer(serializers.Serializer):
    """Only the fields sent are changed; measures and milestones are given whole, in order."""

    requirement = serializers.CharField(required=False, allow_blank=True, help_text="整改要求")
    deadline = serializers.DateField(required=False, allow_null=True, help_text="整改时限")
    supervisor = serializers.CharField(
        required=False, allow_null=True, max_length=150, help_text="监管责任人（用户名）"
    )
    facility_task = serializers.BooleanField(required=False, help_text="攻坚污染防治设施任务")
    funds = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=0,
        required=False,
        allow_null=True,
        help_text="整改资金（万元）",
    )
    responsible = serializers.CharField(required=False, allow_blank=True, max_length=30)
    responsible_phone = serializers.CharField(required=False, allow_blank=True, max_length=30)
    measures = serializers.ListField(
        child=serializers.CharField(allow_blank=True),
        required=False,
        max_length=100,
        help_text="整改措施，按顺序编号",
    )
    milestones = MilestoneRequestSerializer(
        many=True, required=False, max_length=100, help_text="工程进度节点，按顺序编号"
    )

    def validate(self, attrs):
        # a form post leaves out an unchecked box: only what was sent counts
        attrs = {name: value for name, value in attrs.items() if name in self.initial_data}
        if not attrs:
            raise serializers.ValidationError("请至少填写一项要修改的内容。")
        return attrs


class ItemPlanAPI(_ItemAPI):
    """修改一个事项的整改方案。监管部门：整改要求、时限、监管责任人、攻坚任务；企业和监管部门：
    整改措施、进度节点、资金和责任人。"""

    @extend_schema(request=ItemPlanRequestSerializer, responses=ItemSerializer)
    def post(self, request, pk: int):
        item = self.get_object()
        body = ItemPlanRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        values = dict(body.validated_data)
        measures = values.pop("measures", None)
        milestones = values.pop("milestones", None)
        if values.get("supervisor") is not None:
            # names resolve only among the people this user may assign: the answer never tells
            # whether an account exists outside the caller's reach
            found = plannable_inspectors(user=request.user).filter(username=values["supervisor"])
            values["supervisor"] = found.first()
            if values["supervisor"] is None:
                raise serializers.ValidationError(
                    {
                        "supervisor": [
                            "不能指派该人员（账号不存在、不是执法人员或不在您的管辖范围内）。"
                        ]
                    }
                )
        services.item_update(
            actor=request.user,
            item=item,
            values=values,
            measures=measures,
            milestones=(
                None if milestones is None else [(m["title"], m["due_on"]) for m in milestones]
            ),
        )
        return _item_after(request, item)


class MeasureDoneRequestSerializer(serializers.Serializer):
    measure = serializers.IntegerField(min_value=1, max_value=ID_MAX, help_text="整改措施编号")
    done_on = serializers.DateField(
        required=False, allow_null=True, help_text="完成日期；空为未完成"
    )


class MeasureDoneAPI(_ItemAPI):
    """记录一条整改措施完成（或未完成）。"""

    @extend_schema(request=MeasureDoneRequestSerializer, responses=ItemSerializer)
    def post(self, request, pk: int):
        item = self.get_object()
        body = MeasureDoneRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        measure = item.measures.filter(pk=body.validated_data["measure"]).first()
        if measure is None:
            raise serializers.ValidationError({"measure": ["该整改措施不属于本事项。"]})
        services.measure_done(
            actor=request.user,
            item=item,
            measure=measure,
            done_on=body.validated_data.get("done_on"),
        )
        return _item_after(request, item)


class ProgressRequestSerializer(serializers.Serializer):
    text = serializers.CharField(help_text="进展情况")
    on = serializers.DateField(required=False, allow_null=True, help_text="进展日期，默认今天")
    milestone = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=ID_MAX, help_text="进度节点编号"
    )
    milestone_done = serializers.BooleanField(required=False, default=False)
    kind = serializers.ChoiceField(
        choices=ItemEvidence.Kind.choices, required=False, default=ItemEvidence.Kind.PHOTO
    )


class ProgressUploadSerializer(ProgressRequestSerializer):
    files = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        default=list,
        max_length=20,
        help_text="佐证材料（照片、监测报告或验收文件 PDF），可多个",
    )


class ProgressAPI(_ItemAPI):
    """报送整改进展（整体或一个进度节点），可附佐证材料。"""

    @extend_schema(
        request={
            "multipart/form-data": ProgressUploadSerializer,
            "application/json": ProgressRequestSerializer,
        },
        responses={201: ProgressReportSerializer},
    )
    def post(self, request, pk: int):
        item = self.get_object()
        body = ProgressUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        milestone = None
        if data.get("milestone") is not None:
            milestone = item.milestones.filter(pk=data["milestone"]).first()
            if milestone is None:
                raise serializers.ValidationError({"milestone": ["该进度节点不属于本事项。"]})
        report = services.progress_report(
            actor=request.user,
            item=item,
            text=data["text"],
            on=data.get("on"),
            milestone=milestone,
            milestone_done=data["milestone_done"],
            uploads=[(data["kind"], upload, {}) for upload in data["files"]],
        )
        report = ProgressReport.objects.prefetch_related("evidence__evidence").get(pk=report.pk)
        return Response(ProgressReportSerializer(report).data, status=status.HTTP_201_CREATED)


class ItemEvidenceRequestSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ItemEvidence.Kind.choices, help_text="材料类别")
    upload = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=ID_MAX,
        help_text="已上传完整的断点续传文件编号（POST /api/v1/uploads/）",
    )
    taken_at = serializers.DateTimeField(required=False, allow_null=True, help_text="拍摄时间")
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
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class ItemEvidenceUploadSerializer(ItemEvidenceRequestSerializer):
    file = serializers.FileField(required=False, help_text="文件（JPG、PNG 或 PDF）")


class EvidenceAPI(_ItemAPI):
    """上传一份佐证材料：随表单上传文件，或给出已用断点续传上传完整的文件编号（upload）。"""

    @extend_schema(
        request={
            "multipart/form-data": ItemEvidenceUploadSerializer,
            "application/json": ItemEvidenceRequestSerializer,
        },
        responses={201: ItemEvidenceSerializer},
    )
    def post(self, request, pk: int):
        item = self.get_object()
        body = ItemEvidenceUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        added = services.evidence_attach(
            actor=request.user,
            item=item,
            kind=data["kind"],
            upload=data.get("file"),
            upload_id=data.get("upload"),
            meta={k: data.get(k) for k in ("taken_at", "latitude", "longitude", "note")},
        )
        added = ItemEvidence.objects.select_related("evidence").get(pk=added.pk)
        return Response(ItemEvidenceSerializer(added).data, status=status.HTTP_201_CREATED)


class ApplyRequestSerializer(serializers.Serializer):
    note = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="整改完成情况说明"
    )
    expected = serializers.ChoiceField(
        choices=RectificationItem.Status.choices,
        required=False,
        allow_null=True,
        help_text="申请人看到的当前状态（他人已办理时拒绝）",
    )


class ApplyAPI(_ItemAPI):
    """申请销号（须已上传佐证材料）。"""

    @extend_schema(request=ApplyRequestSerializer, responses=ItemSerializer)
    def post(self, request, pk: int):
        item = self.get_object()
        body = ApplyRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.item_apply(
            actor=request.user,
            item=item,
            note=body.validated_data["note"],
            expected=body.validated_data.get("expected") or None,
        )
        return _item_after(request, item)


class ExtensionRequestSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="延期理由")
    deadline = serializers.DateField(help_text="申请延至")


class ExtensionRequestAPI(_ItemAPI):
    """申请延期（写明理由）；同一时间只能有一项待审核的申请。"""

    @extend_schema(request=ExtensionRequestSerializer, responses={201: ExtensionSerializer})
    def post(self, request, pk: int):
        item = self.get_object()
        body = ExtensionRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        extension = services.extension_request(actor=request.user, item=item, **body.validated_data)
        return Response(ExtensionSerializer(extension).data, status=status.HTTP_201_CREATED)
