"""/api/v1/ of the verification records and accountability."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from campaign.api import ScopedActionAPI, ScopedReadOnlyViewSet
from campaign.models import User
from crosscheck.filters import AccountabilityFilter
from crosscheck.models import (
    Accountability,
    Capacity,
    Finding,
    SampledUnit,
    VerificationRecord,
)
from crosscheck.selectors import record as selectors
from crosscheck.services import record as services
from inspections.models import CheckItem, Problem

RECORDS = "crosscheck.view_verificationrecord"


class VerificationFindingSerializer(serializers.ModelSerializer):
    code_label = serializers.CharField(source="get_code_display", read_only=True)
    people = serializers.SerializerMethodField()

    class Meta:
        model = Finding
        fields = [
            "id",
            "record",
            "number",
            "code",
            "code_label",
            "description",
            "self_check",
            "inspection",
            "case",
            "item",
            "problem",
            "people",
        ]
        read_only_fields = fields

    def get_people(self, obj) -> list[dict]:
        return [{"username": p.user.username, "capacity": p.capacity} for p in obj.people.all()]


class ResponsiblePersonSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    capacity = serializers.ChoiceField(choices=Capacity.choices)


class FindingRequestSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=Finding.Code.choices, help_text="核查结论")
    description = serializers.CharField(help_text="具体情况")
    about = serializers.DictField(
        child=serializers.IntegerField(),
        required=False,
        default=dict,
        help_text="针对的记录（至多一项）：self_check / inspection / case / item / problem → 编号",
    )
    people = ResponsiblePersonSerializer(
        many=True, required=False, default=list, help_text="责任人"
    )
    check_item = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="检查项目编码（新发现问题）"
    )
    severity = serializers.ChoiceField(
        choices=Problem.Severity.choices, required=False, allow_blank=True, default=""
    )


class FindingAddAPI(ScopedActionAPI):
    """在样本单位的核查情况表上记录一条核查发现（本组已签承诺书的成员，核查期间）。"""

    required_permission = RECORDS
    queryset = SampledUnit.objects.select_related("draw__round")
    serializer_class = VerificationFindingSerializer

    @extend_schema(request=FindingRequestSerializer, responses={201: VerificationFindingSerializer})
    def post(self, request, pk: int):
        unit = self.get_object()
        body = FindingRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        if services.member_of(request.user, unit) is None:  # before any name is looked up
            raise PermissionDenied("只有已签署廉洁自律承诺书的本组成员在核查期间可以记录核查发现。")
        # names resolve only among those who handled the unit: one answer for any other name
        handled = User.objects.filter(pk__in=services.handlers(unit.enterprise_id))
        names = [p["username"] for p in data["people"]]
        users = {u.username: u for u in handled.filter(username__in=names)}
        unknown = [n for n in names if n not in users]
        if unknown:
            raise serializers.ValidationError(
                {"people": ["责任人须为以该职责经办过该单位的人员：" + "、".join(unknown)]}
            )
        item = None
        if data["check_item"]:
            item = CheckItem.objects.filter(
                version__campaigns__campaign=unit.draw.round.campaign_id, code=data["check_item"]
            ).first()
            if item is None:
                raise serializers.ValidationError({"check_item": ["没有该检查项目编码。"]})
        finding = services.finding_record(
            actor=request.user,
            unit=unit,
            code=data["code"],
            description=data["description"],
            about=data["about"],
            people=[(users[p["username"]], p["capacity"]) for p in data["people"]],
            check_item=item,
            severity=data["severity"],
        )
        return Response(VerificationFindingSerializer(finding).data, status=status.HTTP_201_CREATED)


class RecordSignRequestSerializer(serializers.Serializer):
    signature = serializers.CharField(help_text="手写签名（PNG data URL）")
    summary = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="核查情况（总体）"
    )


class RecordSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = VerificationRecord
        fields = ["id", "unit", "team", "summary", "status", "status_label", "signed_at"]
        read_only_fields = fields


class RecordSignAPI(ScopedActionAPI):
    """本人在核查情况表上签名；全体成员签名后核查情况表签署完成，点名的责任人形成问责记录。"""

    required_permission = RECORDS
    queryset = VerificationRecord.objects.select_related("unit")
    serializer_class = RecordSerializer

    @extend_schema(request=RecordSignRequestSerializer, responses=RecordSerializer)
    def post(self, request, pk: int):
        record = self.get_object()
        body = RecordSignRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        record = services.record_sign(
            actor=request.user,
            record=record,
            signature=body.validated_data["signature"],
            summary=body.validated_data["summary"] or None,
        )
        return Response(RecordSerializer(record).data)


class AccountabilitySerializer(serializers.ModelSerializer):
    person_username = serializers.CharField(source="person.username", read_only=True)
    person_name = serializers.CharField(source="person.full_name", read_only=True)
    city_code = serializers.CharField(source="city.code", read_only=True)
    county_code = serializers.CharField(source="county.code", read_only=True, allow_null=True)
    enterprise_name = serializers.CharField(
        source="finding.record.unit.enterprise.name", read_only=True
    )
    code = serializers.CharField(source="finding.code", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    # empty until the province decides
    decision = serializers.ChoiceField(
        choices=Accountability.Decision.choices, allow_blank=True, read_only=True
    )

    class Meta:
        model = Accountability
        fields = [
            "id",
            "person_username",
            "person_name",
            "capacity",
            "city_code",
            "county_code",
            "enterprise_name",
            "code",
            "facts",
            "proposed",
            "response_due",
            "response",
            "decision",
            "decision_note",
            "status",
            "status_label",
        ]
        read_only_fields = fields


class AccountabilityViewSet(ScopedReadOnlyViewSet):
    """问责记录：省级全部，市局本市人员的，本人自己的，巡查组涉及廉洁的。"""

    queryset = selectors.accountabilities_all()
    required_permission = "crosscheck.view_accountability"
    serializer_class = AccountabilitySerializer
    filterset_class = AccountabilityFilter

    def get_queryset(self):
        return super().get_queryset().order_by("response_due", "pk")


class RespondRequestSerializer(serializers.Serializer):
    response = serializers.CharField(help_text="市局反馈（调查核实情况及处理意见）")


class RespondAPI(ScopedActionAPI):
    """市局反馈问责记录。"""

    required_permission = "crosscheck.respond_accountability"
    queryset = selectors.accountabilities_all()
    serializer_class = AccountabilitySerializer

    @extend_schema(request=RespondRequestSerializer, responses=AccountabilitySerializer)
    def post(self, request, pk: int):
        row = self.get_object()
        body = RespondRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        row = services.accountability_respond(actor=request.user, row=row, **body.validated_data)
        return Response(AccountabilitySerializer(row).data)


class DecideRequestSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=Accountability.Decision.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class DecideAPI(ScopedActionAPI):
    """省级作出问责决定（市局反馈后，或反馈期限届满后）。"""

    required_permission = "crosscheck.decide_accountability"
    queryset = selectors.accountabilities_all()
    serializer_class = AccountabilitySerializer

    @extend_schema(request=DecideRequestSerializer, responses=AccountabilitySerializer)
    def post(self, request, pk: int):
        row = self.get_object()
        body = DecideRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        row = services.accountability_decide(actor=request.user, row=row, **body.validated_data)
        return Response(AccountabilitySerializer(row).data)
