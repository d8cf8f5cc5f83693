"""/api/v1/ of the bureau's side of stage 4: 核查销号 or 退回, extension decisions, and the proposals
to handle an unfinished 攻坚 facility task as "未建设污染防治设施"."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from campaign.api import ScopedActionAPI, ScopedReadOnlyViewSet
from campaign.models import User
from campaign.selectors.calendar import campaign_current
from inspections.selectors.onsite import plannable_inspectors
from rectification.api.plan import ExtensionSerializer, ItemCheckSerializer, ProposalFilter
from rectification.models import Extension, FacilityProposal, ItemCheck, RectificationItem
from rectification.selectors import plan as selectors
from rectification.services import plan as plan_services
from rectification.services import verification as services


def _people(user: User, names: list[str], field: str) -> list[User]:
    """Usernames resolved only among the people this user may assign, in the order given: the
    answer never tells whether an account exists outside the caller's reach."""
    found = {u.username: u for u in plannable_inspectors(user=user).filter(username__in=names)}
    unknown = [name for name in dict.fromkeys(names) if name not in found]
    if unknown:
        raise serializers.ValidationError(
            {
                field: [
                    "以下人员不能指派（账号不存在、不是持证执法人员或不在您的管辖范围内）："
                    + "、".join(unknown)
                ]
            }
        )
    return [found[name] for name in dict.fromkeys(names)]


class CheckRequestSerializer(serializers.Serializer):
    method = serializers.ChoiceField(choices=ItemCheck.Method.choices, help_text="核查方式")
    checked_on = serializers.DateField(help_text="核查日期")
    officers = serializers.ListField(
        child=serializers.CharField(max_length=150),
        max_length=20,
        help_text="核查人员（两名以上持证执法人员的用户名）",
    )
    conclusion = serializers.CharField(help_text="核查结论")
    close = serializers.BooleanField(help_text="是：予以销号；否：退回整改")
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="退回原因（企业可见）；或未满足销号条件仍予销号的理由",
    )
    expected = serializers.ChoiceField(
        choices=RectificationItem.Status.choices,
        required=False,
        allow_null=True,
        help_text="核查人看到的事项状态（他人已办理时拒绝）",
    )


class CheckAPI(ScopedActionAPI):
    """核查一个整改事项（现场或书面，两名以上持证人员）：予以销号，或退回整改并写明原因。
    未满足的销号条件须写明理由，并提请异地核查关注。"""

    required_permission = "rectification.handle_rectification"
    queryset = RectificationItem.objects.all()
    serializer_class = ItemCheckSerializer

    @extend_schema(request=CheckRequestSerializer, responses={201: ItemCheckSerializer})
    def post(self, request, pk: int):
        item = self.get_object()
        body = CheckRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        check = services.item_check(
            actor=request.user,
            item=item,
            method=data["method"],
            checked_on=data["checked_on"],
            officers=_people(request.user, data["officers"], "officers"),
            conclusion=data["conclusion"],
            close=data["close"],
            reason=data["reason"],
            expected=data.get("expected") or None,
        )
        return Response(ItemCheckSerializer(check).data, status=status.HTTP_201_CREATED)


class ExtensionDecideRequestSerializer(serializers.Serializer):
    grant = serializers.BooleanField(help_text="是：同意延期；否：不同意")
    deadline = serializers.DateField(
        required=False, allow_null=True, help_text="同意延至（不填按申请的日期）"
    )
    note = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="审核意见（不同意时必填，企业可见）"
    )


class ExtensionDecideAPI(ScopedActionAPI):
    """审核延期申请：同意（整改时限延至申请或另定的日期）或不同意（写明理由）。"""

    required_permission = "rectification.handle_rectification"
    queryset = Extension.objects.all()
    serializer_class = ExtensionSerializer

    @extend_schema(request=ExtensionDecideRequestSerializer, responses=ExtensionSerializer)
    def post(self, request, pk: int):
        extension = self.get_object()
        body = ExtensionDecideRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        extension = plan_services.extension_decide(
            actor=request.user, extension=extension, **body.validated_data
        )
        return Response(ExtensionSerializer(self.get_queryset().get(pk=extension.pk)).data)


# --- "facility not built" proposals -----------------------------------------------------------


class ProposalSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    item_number = serializers.IntegerField(source="item.number", read_only=True)
    enterprise_name = serializers.CharField(source="item.plan.enterprise.name", read_only=True)
    problem_description = serializers.CharField(
        source="item.problem.description", read_only=True, help_text="未完成的攻坚治理任务"
    )
    item_deadline = serializers.DateField(
        source="item.deadline", read_only=True, allow_null=True, help_text="整改时限"
    )

    class Meta:
        model = FacilityProposal
        fields = [
            "id",
            "item",
            "item_number",
            "enterprise_name",
            "problem_description",
            "item_deadline",
            "status",
            "status_label",
            "window_ended_on",
            "proposed_at",
            "problem",
            "case",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "problem": {"help_text": "确认后登记的违法问题"},
            "case": {"help_text": "确认后登记待立案审批的案件"},
        }


class ProposalViewSet(ScopedReadOnlyViewSet):
    """按未建设污染防治设施处理的建议（本年度；仅监管部门）：指导整改阶段结束时仍未完成的攻坚治理任务，
    待确认立案或不予处理。"""

    queryset = FacilityProposal.objects.select_related(
        "item", "item__plan__enterprise", "item__problem"
    )
    required_permission = "rectification.handle_rectification"
    serializer_class = ProposalSerializer
    filterset_class = ProposalFilter

    def get_queryset(self):
        if self.action == "retrieve":
            return super().get_queryset()
        rows = selectors.proposals(user=self.request.user, campaign=campaign_current())
        return rows.order_by("-proposed_at", "-pk")


class ProposalDecideRequestSerializer(serializers.Serializer):
    confirm = serializers.BooleanField(
        help_text="是：确认按未建设污染防治设施处理，登记问题并立案审批；否：不予处理"
    )
    note = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="意见（不予处理时必填）"
    )
    investigators = serializers.ListField(
        child=serializers.CharField(max_length=150),
        required=False,
        default=list,
        max_length=20,
        help_text="立案的承办人员（用户名）",
    )


class ProposalDecideAPI(ScopedActionAPI):
    """确认建议（登记违法问题，案件待立案审批）或不予处理（写明理由）。"""

    required_permission = "rectification.handle_rectification"
    queryset = FacilityProposal.objects.select_related(
        "item", "item__plan__enterprise", "item__problem"
    )
    serializer_class = ProposalSerializer

    @extend_schema(request=ProposalDecideRequestSerializer, responses=ProposalSerializer)
    def post(self, request, pk: int):
        proposal = self.get_object()
        body = ProposalDecideRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        if data["confirm"]:
            services.proposal_confirm(
                actor=request.user,
                proposal=proposal,
                note=data["note"],
                investigators=_people(request.user, data["investigators"], "investigators"),
            )
        else:
            services.proposal_dismiss(actor=request.user, proposal=proposal, note=data["note"])
        return Response(ProposalSerializer(self.get_queryset().get(pk=proposal.pk)).data)
