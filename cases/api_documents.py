"""/api/v1/ of a case's documents (文书): read them (an enterprise: those served on it, with the
deadlines that run against it), issue one, record its service."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response

from campaign.api import ScopedActionAPI, ScopedReadOnlyViewSet
from cases.models import Case, CaseDocument, Deadline, Notice, ServiceRecord
from cases.services import document as services


class ServiceRecordSerializer(serializers.ModelSerializer):
    pdf_url = serializers.SerializerMethodField(help_text="送达回证 PDF")

    class Meta:
        model = ServiceRecord
        fields = [
            "id",
            "method",
            "served_on",
            "address",
            "recipient",
            "refusal",
            "witnesses",
            "servers",
            "note",
            "pdf_url",
        ]

    def get_pdf_url(self, obj: ServiceRecord) -> str:
        return reverse("cases:service-record-pdf", args=[obj.pk])


class PartyDeadlineSerializer(serializers.ModelSerializer):
    class Meta:
        model = Deadline
        fields = [
            "key",
            "label",
            "basis",
            "unit",
            "length",
            "start_event",
            "start_date",
            "due_date",
            "done_on",
            "done_note",
        ]


class CaseDocumentSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    served_on_party = serializers.BooleanField(
        source="is_served_on_party", read_only=True, help_text="送达当事人的文书（内部审批表为否）"
    )
    enterprise_name = serializers.CharField(source="case.enterprise.name", read_only=True)
    service_records = ServiceRecordSerializer(many=True, read_only=True)
    pdf_url = serializers.SerializerMethodField(help_text="文书 PDF（与 API 令牌一同打开）")

    class Meta:
        model = CaseDocument
        fields = [
            "id",
            "case",
            "kind",
            "kind_label",
            "served_on_party",
            "number",
            "issued_on",
            "served_on",
            "enterprise_name",
            "service_records",
            "pdf_url",
        ]

    def get_pdf_url(self, obj: CaseDocument) -> str:
        return reverse("cases:document-pdf", args=[obj.pk])


class CaseDocumentDetailSerializer(CaseDocumentSerializer):
    content = serializers.JSONField(read_only=True, help_text="签发时固定的文书内容")
    party_deadlines = serializers.SerializerMethodField(
        help_text="对当事人计算的期限（缴纳罚款、报送整改方案、陈述申辩等）"
    )

    class Meta(CaseDocumentSerializer.Meta):
        fields = [*CaseDocumentSerializer.Meta.fields, "content", "party_deadlines"]

    @extend_schema_field(PartyDeadlineSerializer(many=True))
    def get_party_deadlines(self, obj: CaseDocument) -> list[dict]:
        found = services.party_deadlines([obj]).get(obj.case_id, [])
        return PartyDeadlineSerializer(found, many=True).data


class CaseDocumentViewSet(ScopedReadOnlyViewSet):
    """案件文书（执法机关：辖区内全部；企业：已送达本单位的决定书、责令改正决定书和听证通知书）。
    单个文书含签发时固定的内容和对当事人计算的期限。"""

    queryset = CaseDocument.objects.all()
    required_permission = "cases.view_casedocument"
    serializer_class = CaseDocumentSerializer
    filterset_fields = ["case", "kind"]

    def get_serializer_class(self):
        if self.action == "retrieve":
            return CaseDocumentDetailSerializer
        return CaseDocumentSerializer

    def get_queryset(self):
        return services.document_list(user=self.request.user)


class DocumentIssueRequestSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=CaseDocument.Kind.choices)
    on = serializers.DateField(required=False, allow_null=True, help_text="文书日期，默认今天")
    opinion = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    facts = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    evidence = serializers.CharField(
        required=False, allow_blank=True, max_length=5000, help_text="每行一项"
    )
    correction = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    correct_by = serializers.DateField(required=False, allow_null=True)
    government = serializers.CharField(required=False, allow_blank=True, max_length=200)
    court = serializers.CharField(required=False, allow_blank=True, max_length=200)
    hearing_on = serializers.DateField(required=False, allow_null=True)
    hearing_time = serializers.CharField(required=False, allow_blank=True, max_length=200)
    hearing_place = serializers.CharField(required=False, allow_blank=True, max_length=200)
    hearing_host = serializers.CharField(required=False, allow_blank=True, max_length=200)
    contact = serializers.CharField(required=False, allow_blank=True, max_length=200)
    bank_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    bank_account_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    bank_account = serializers.CharField(required=False, allow_blank=True, max_length=200)
    summary = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    result = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    litigation = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    execution = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    receiver = serializers.CharField(required=False, allow_blank=True, max_length=200)
    procuratorate = serializers.CharField(required=False, allow_blank=True, max_length=200)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    materials = serializers.CharField(required=False, allow_blank=True, max_length=5000)

    def validate(self, attrs):
        kind = attrs["kind"]
        extra = sorted(
            name
            for name, value in attrs.items()
            if name not in ("kind", "on", *services.FIELDS[kind]) and value not in (None, "")
        )
        if extra:
            raise serializers.ValidationError(
                {name: f"{CaseDocument.Kind(kind).label}没有这项内容。" for name in extra}
            )
        return attrs


class DocumentIssueAPI(ScopedActionAPI):
    """签发案件文书：按案件环节检查，编号（每局、每类、每年连续不断号），并固定文书内容。"""

    required_permission = "cases.handle_case"
    queryset = Case.objects.all()
    serializer_class = CaseDocumentDetailSerializer

    @extend_schema(
        request=DocumentIssueRequestSerializer, responses={201: CaseDocumentDetailSerializer}
    )
    def post(self, request, pk: int):
        case = self.get_object()
        body = DocumentIssueRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        kind = data.pop("kind")
        on = data.pop("on", None)
        document = services.document_issue(actor=request.user, case=case, kind=kind, on=on, **data)
        document = services.document_get(user=request.user, pk=document.pk)
        return Response(CaseDocumentDetailSerializer(document).data, status=status.HTTP_201_CREATED)


class DocumentServeRequestSerializer(serializers.Serializer):
    served_on = serializers.DateField()
    method = serializers.ChoiceField(choices=Notice.Method.choices)
    recipient = serializers.CharField(required=False, allow_blank=True, default="", max_length=50)
    refusal = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    witnesses = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    address = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class DocumentServeAPI(ScopedActionAPI):
    """登记文书的送达（送达回证）。处罚决定书送达后，案件环节“决定书已送达”仍由案件办理完成。"""

    required_permission = "cases.handle_case"
    queryset = CaseDocument.objects.all()
    serializer_class = ServiceRecordSerializer

    @extend_schema(request=DocumentServeRequestSerializer, responses={201: ServiceRecordSerializer})
    def post(self, request, pk: int):
        document = self.get_object()
        body = DocumentServeRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        record = services.document_serve(
            actor=request.user, document=document, **body.validated_data
        )
        return Response(ServiceRecordSerializer(record).data, status=status.HTTP_201_CREATED)
