"""/api/v1/ of stage 3: cases with their clocks, a case's step, classification."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from campaign import access
from campaign.api import RequiredPermission, ScopedActionAPI, ScopedReadOnlyViewSet
from campaign.models import User
from cases import filters
from cases.models import (
    Case,
    Classification,
    Deadline,
    Measure,
    Notice,
    NoticeItem,
    Path,
    Reply,
)
from cases.selectors import case as selectors
from cases.services import case as case_services
from cases.services import classification as classification_services
from cases.services import measure as measure_services
from cases.services import notice as notice_services
from inspections.selectors.onsite import plannable_inspectors


class DeadlineSerializer(serializers.ModelSerializer):
    overdue = serializers.SerializerMethodField(help_text="未完成且已过届满日")
    warning = serializers.CharField(read_only=True, help_text="缺少节假日数据时的提示")

    class Meta:
        model = Deadline
        fields = [
            "key",
            "label",
            "basis",
            "unit",
            "length",
            "extension",
            "against",
            "start_event",
            "start_date",
            "due_date",
            "unknown_years",
            "warning",
            "calendar_version",
            "done_on",
            "done_note",
            "overdue",
        ]

    def get_overdue(self, obj: Deadline) -> bool:
        from django.utils import timezone

        return obj.is_overdue(timezone.localdate())


class CaseSummarySerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    county_code = serializers.CharField(source="county.code", read_only=True)
    violation_type_code = serializers.CharField(
        source="violation_type.code", read_only=True, allow_null=True
    )

    class Meta:
        model = Case
        fields = [
            "id",
            "enterprise_name",
            "county_code",
            "title",
            "violation_type_code",
            "path",
            "source",
            "discovered_on",
            "filed_on",
            "rules",
            "status",
            "proposed_fine",
            "fine",
            "decided_on",
            "served_on",
            "closed_on",
        ]


class MeasureSerializer(serializers.ModelSerializer):
    class Meta:
        model = Measure
        fields = [
            "id",
            "kind",
            "status",
            "started_on",
            "detail",
            "original_fine",
            "total_days",
            "total_amount",
            "approved_on",
            "ended_on",
        ]


class CaseSerializer(CaseSummarySerializer):
    deadlines = DeadlineSerializer(many=True, read_only=True)
    measures = MeasureSerializer(many=True, read_only=True)
    problems = serializers.SerializerMethodField(help_text="本案处理的问题台账编号")
    investigators = serializers.SlugRelatedField(slug_field="username", many=True, read_only=True)

    class Meta(CaseSummarySerializer.Meta):
        fields = [
            *CaseSummarySerializer.Meta.fields,
            "facts",
            "investigators",
            "problems",
            "deadlines",
            "measures",
        ]

    def get_problems(self, obj: Case) -> list[int]:
        return [link.problem_id for link in obj.case_problems.all()]


class CaseViewSet(ScopedReadOnlyViewSet):
    """案件（县、市局：本辖区；省厅：全部）。单个案件含其全部办案期限：依据、单位、期间、起算和届满日。"""

    queryset = Case.objects.all()
    required_permission = "cases.view_case"
    serializer_class = CaseSerializer
    filterset_class = filters.CaseFilter

    def get_serializer_class(self):
        return CaseSerializer if self.action == "retrieve" else CaseSummarySerializer

    def get_queryset(self):
        queryset = selectors.case_list(user=self.request.user)
        if self.action == "retrieve":
            return queryset.prefetch_related(
                "deadlines", "case_problems", "investigators", "measures"
            )
        return queryset


class DeadlineListSerializer(DeadlineSerializer):
    case = serializers.IntegerField(source="case_id", read_only=True)
    case_title = serializers.CharField(source="case.title", read_only=True)
    enterprise_name = serializers.CharField(source="case.enterprise.name", read_only=True)

    class Meta(DeadlineSerializer.Meta):
        fields = ["case", "case_title", "enterprise_name", *DeadlineSerializer.Meta.fields]


class DeadlineViewSet(ScopedReadOnlyViewSet):
    """到期提醒：辖区内未完成的办案期限，按届满日排列（within=N：N 个工作日内到期）。"""

    queryset = Deadline.objects.all()
    required_permission = "cases.view_case"
    serializer_class = DeadlineListSerializer
    filterset_class = filters.DeadlineFilter

    def get_queryset(self):
        return selectors.deadline_list(user=self.request.user)


class StepRequestSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=Case.Status.choices, help_text="目标环节")
    expected = serializers.ChoiceField(
        choices=Case.Status.choices, help_text="办理人看到的当前环节（他人已办理时拒绝）"
    )
    on = serializers.DateField(required=False, allow_null=True, help_text="办理日期，默认今天")
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    report = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    reviewer = serializers.SlugRelatedField(
        slug_field="username", queryset=User.objects.all(), required=False
    )
    proposed_fine = serializers.IntegerField(required=False, min_value=0)
    fine = serializers.IntegerField(required=False, min_value=0)
    hearing_right = serializers.BooleanField(required=False)
    party_waived = serializers.BooleanField(required=False)
    nothing_to_rectify = serializers.BooleanField(required=False)
    needs_legal_review = serializers.BooleanField(
        required=False, help_text="调查报告：须经法制审核"
    )
    major = serializers.BooleanField(required=False, help_text="调查报告：重大案件，须集体讨论")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:  # only people the caller may assign are found at all
            self.fields["reviewer"].queryset = plannable_inspectors(user=user)


class CaseStepAPI(ScopedActionAPI):
    """办理案件的一个环节（立案审批、调查报告、告知、决定、送达、结案及中止、移送、撤销等）。"""

    required_permission = "cases.handle_case"
    queryset = Case.objects.all()
    serializer_class = CaseSerializer

    @extend_schema(request=StepRequestSerializer, responses=CaseSerializer)
    def post(self, request, pk: int):
        case = self.get_object()
        body = StepRequestSerializer(data=request.data, user=request.user)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        case = case_services.case_step(
            actor=request.user,
            case=case,
            to=data.pop("to"),
            expected=data.pop("expected"),
            note=data.pop("note", ""),
            on=data.pop("on", None),
            **data,
        )
        case = (
            self.get_queryset()
            .prefetch_related("deadlines", "case_problems", "measures")
            .get(pk=case.pk)
        )
        return Response(CaseSerializer(case).data)


class ClassifyRequestSerializer(serializers.Serializer):
    problems = serializers.ListField(
        child=serializers.IntegerField(), min_length=1, max_length=500, help_text="问题台账编号"
    )
    path = serializers.ChoiceField(choices=Path.choices)
    reason = serializers.CharField(max_length=2000)
    investigators = serializers.ListField(
        child=serializers.CharField(max_length=150),
        required=False,
        default=list,
        help_text="立案的案件的承办人员（用户名）",
    )


class ClassificationSerializer(serializers.ModelSerializer):
    case = serializers.SerializerMethodField(help_text="违法问题登记的案件编号")

    class Meta:
        model = Classification
        fields = [
            "id",
            "problem",
            "path",
            "suggested_path",
            "suggestion",
            "reason",
            "classified_at",
            "case",
        ]

    def get_case(self, obj: Classification) -> int | None:
        link = obj.problem.case_links.order_by("-pk").first()
        return link.case_id if link else None


class ClassifyAPI(GenericAPIView):
    """分类处置：一批问题同一处置方式；违法问题逐个登记案件。全部成功或全部不变。"""

    access = "scoped"
    required_permission = "cases.handle_case"
    permission_classes = [IsAuthenticated, RequiredPermission]
    queryset = Classification.objects.all()
    serializer_class = ClassificationSerializer

    @extend_schema(
        request=ClassifyRequestSerializer, responses={201: ClassificationSerializer(many=True)}
    )
    def post(self, request):
        body = ClassifyRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        problems = list(
            selectors.classification_queue(user=request.user).filter(pk__in=data["problems"])
        )
        if len(problems) != len(set(data["problems"])):
            raise serializers.ValidationError(
                {"problems": "所选问题不存在、不在您的管辖范围内或已分类。"}
            )
        people = plannable_inspectors(user=request.user).filter(username__in=data["investigators"])
        if people.count() != len(set(data["investigators"])):
            raise serializers.ValidationError(
                {"investigators": "承办人员须为您可以指派的执法人员。"}
            )
        made = classification_services.classify(
            actor=request.user,
            problems=problems,
            path=data["path"],
            reason=data["reason"],
            investigators=list(people),
        )
        return Response(
            ClassificationSerializer(made, many=True).data, status=status.HTTP_201_CREATED
        )


# --- the combined notice ------------------------------------------------------------------


class NoticeItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = NoticeItem
        fields = ["order", "case", "problem", "facts", "basis", "proposal"]


class NoticeSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    items = NoticeItemSerializer(many=True, read_only=True)
    pdf_url = serializers.SerializerMethodField()

    class Meta:
        model = Notice
        fields = [
            "id",
            "number",
            "enterprise",
            "enterprise_name",
            "supplements",
            "status",
            "hearing_right",
            "served_on",
            "method",
            "recipient",
            "items",
            "pdf_url",
        ]

    def get_pdf_url(self, obj: Notice) -> str:
        from django.urls import reverse

        return reverse("cases:notice-pdf", args=[obj.pk])


class NoticeViewSet(ScopedReadOnlyViewSet):
    """事先告知书（执法机关：辖区内全部；企业：已送达本单位的）。"""

    queryset = Notice.objects.all()
    required_permission = "cases.view_notice"
    serializer_class = NoticeSerializer
    filterset_class = filters.NoticeFilter

    def get_queryset(self):
        return selectors.notice_list(user=self.request.user).prefetch_related("items")


class NoticeDraftRequestSerializer(serializers.Serializer):
    enterprise = serializers.IntegerField(help_text="企业编号")


class NoticeDraftAPI(GenericAPIView):
    """拟定企业的事先告知书：一次列明所有已审查的案件和管理问题。"""

    access = "scoped"
    required_permission = "cases.handle_case"
    permission_classes = [IsAuthenticated, RequiredPermission]
    queryset = Notice.objects.all()
    serializer_class = NoticeSerializer

    @extend_schema(request=NoticeDraftRequestSerializer, responses={201: NoticeSerializer})
    def post(self, request):
        from enterprises.models import Enterprise

        body = NoticeDraftRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        found = access.visible(
            request.user, Enterprise.objects.filter(pk=body.validated_data["enterprise"])
        ).first()
        if found is None:
            raise serializers.ValidationError({"enterprise": "企业不存在或不在您的管辖范围内。"})
        notice = notice_services.notice_draft(actor=request.user, enterprise=found)
        return Response(NoticeSerializer(notice).data, status=status.HTTP_201_CREATED)


class NoticeServeRequestSerializer(serializers.Serializer):
    served_on = serializers.DateField()
    method = serializers.ChoiceField(choices=Notice.Method.choices)
    recipient = serializers.CharField(required=False, allow_blank=True, default="", max_length=50)
    refusal = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class _NoticeActionAPI(ScopedActionAPI):
    queryset = Notice.objects.all()
    serializer_class = NoticeSerializer


class NoticeServeAPI(_NoticeActionAPI):
    """送达告知书：编号，各案件进入事先告知，陈述申辩和听证期限开始计算。"""

    required_permission = "cases.handle_case"

    @extend_schema(request=NoticeServeRequestSerializer, responses=NoticeSerializer)
    def post(self, request, pk: int):
        notice = self.get_object()
        body = NoticeServeRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        notice = notice_services.notice_serve(
            actor=request.user, notice=notice, **body.validated_data
        )
        return Response(NoticeSerializer(notice).data)


class ReplyRequestSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Reply.Kind.choices)
    text = serializers.CharField(max_length=10000)


class ReplySerializer(serializers.ModelSerializer):
    class Meta:
        model = Reply
        fields = ["id", "notice", "kind", "text", "submitted_at", "is_late", "due_date"]


class NoticeReplyAPI(_NoticeActionAPI):
    """当事人在线陈述申辩或申请听证；逾期的记为逾期提交，由执法机关决定。"""

    required_permission = "cases.reply_notice"

    @extend_schema(request=ReplyRequestSerializer, responses={201: ReplySerializer})
    def post(self, request, pk: int):
        notice = self.get_object()
        body = ReplyRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        reply = notice_services.reply_submit(
            actor=request.user, notice=notice, **body.validated_data
        )
        return Response(ReplySerializer(reply).data, status=status.HTTP_201_CREATED)


# --- measures -----------------------------------------------------------------------------


class MeasureStartRequestSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Measure.Kind.choices)
    on = serializers.DateField(required=False, allow_null=True)
    detail = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    original_fine = serializers.IntegerField(required=False, allow_null=True, min_value=1)


class MeasureStartAPI(ScopedActionAPI):
    """采取措施或移送（按日连续处罚、查封扣押、限产停产、停业关闭、移送拘留、移送涉罪），各自的期限记入案件。"""

    required_permission = "cases.handle_case"
    queryset = Case.objects.all()
    serializer_class = MeasureSerializer

    @extend_schema(request=MeasureStartRequestSerializer, responses={201: MeasureSerializer})
    def post(self, request, pk: int):
        case = self.get_object()
        body = MeasureStartRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        measure = measure_services.measure_start(
            actor=request.user, case=case, **body.validated_data
        )
        return Response(MeasureSerializer(measure).data, status=status.HTTP_201_CREATED)


class MeasureActRequestSerializer(serializers.Serializer):
    action = serializers.ChoiceField(
        choices=sorted({a for acts in measure_services.ACTIONS.values() for a in acts} | {"cancel"})
    )
    on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    refused = serializers.BooleanField(required=False, allow_null=True, default=None)


class MeasureActAPI(ScopedActionAPI):
    """办理措施的一个环节（复查、延长、解除、批准、移交、撤销等）。"""

    required_permission = "cases.handle_case"
    queryset = Measure.objects.all()
    serializer_class = MeasureSerializer

    @extend_schema(request=MeasureActRequestSerializer, responses=MeasureSerializer)
    def post(self, request, pk: int):
        measure = self.get_object()
        body = MeasureActRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        measure = measure_services.measure_act(
            actor=request.user, measure=measure, **body.validated_data
        )
        measure.refresh_from_db()
        return Response(MeasureSerializer(measure).data)
