from __future__ import annotations

from django import forms
from django.db.models import Exists, OuterRef

from campaign import access
from campaign.models import User
from enterprises.models import Enterprise
from inspections.models import Inspection, InspectionFinding
from inspections.selectors import onsite as selectors

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class PlanForm(forms.Form):
    enterprise = forms.ModelChoiceField(label="被检查单位", queryset=Enterprise.objects.none())
    planned_on = forms.DateField(label="计划检查日期", widget=DATE)
    source = forms.ChoiceField(
        label="检查来源", choices=Inspection.Source.choices, initial=Inspection.Source.SPECIAL
    )
    lead = forms.ModelChoiceField(label="主办人", queryset=User.objects.none())
    inspectors = forms.ModelMultipleChoiceField(
        label="协办人（至少一名，须持执法证）", queryset=User.objects.none()
    )
    experts = forms.ModelMultipleChoiceField(
        label="专家（选填）", queryset=User.objects.none(), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # key units and Yellow River basin units first (the plan: 重点先行，黄河流域优先)
        self.fields["enterprise"].queryset = (
            access.visible(user, Enterprise.objects.all())
            .select_related("county")
            .order_by("-is_key_unit", "-in_yellow_river_basin", "county__code", "name")
        )
        self.fields["enterprise"].label_from_instance = lambda e: (
            f"{'【重点】' if e.is_key_unit else ''}{'【黄河】' if e.in_yellow_river_basin else ''}{e.name}（{e.county.name}）"
        )
        inspectors = selectors.plannable_inspectors(user=user).select_related("region")
        self.fields["lead"].queryset = inspectors
        self.fields["inspectors"].queryset = inspectors
        for name in ("lead", "inspectors"):
            self.fields[name].label_from_instance = lambda u: (
                f"{u.full_name}（{u.badge_no}，{u.unit or u.region}）"
            )
        experts = selectors.plannable_experts().prefetch_related("industries")
        enterprise_id = str(self.data.get("enterprise") or self.initial.get("enterprise") or "")
        industry = None
        if enterprise_id.isascii() and enterprise_id.isdigit():
            # the unit's industry orders the experts: read only for a unit in the user's reach
            industry = (
                self.fields["enterprise"]
                .queryset.filter(pk=enterprise_id)
                .values_list("industry__code", flat=True)
                .first()
            )
        if industry:
            # experts whose industry covers the unit's come first (专家咨询组 by industry)
            prefixes = [industry[:n] for n in (1, 2, 3, 4)]
            matching = User.industries.through.objects.filter(
                user=OuterRef("pk"), industry__code__in=prefixes
            )
            experts = experts.annotate(match=Exists(matching)).order_by("-match", "full_name")
        self.fields["experts"].queryset = experts
        self.fields["experts"].label_from_instance = lambda u: (
            f"{'【行业匹配】' if getattr(u, 'match', False) else ''}{u.full_name}"
            f"（{'、'.join(i.name for i in u.industries.all()) or '未登记行业'}）"
        )


class HeaderForm(forms.ModelForm):
    revision = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        inspection = self.instance
        if inspection.pk:
            # this inspection's inspectors (one filter: the role on *this* inspection)
            self.fields["recorder"].queryset = selectors.team_signers(inspection=inspection)

    class Meta:
        model = Inspection
        fields = [
            "started_at",
            "ended_at",
            "place",
            "recorder",
            "representative_name",
            "representative_position",
            "representative_statement",
            "summary",
            "suggestion",
        ]
        widgets = {
            "started_at": DATETIME,
            "ended_at": DATETIME,
            # no recorder is null in the API, not an empty string
            "recorder": forms.Select(attrs={"data-nullable": ""}),
            "representative_statement": forms.Textarea(attrs={"rows": 2}),
            "summary": forms.Textarea(attrs={"rows": 3}),
        }


class FindingForm(forms.ModelForm):
    revision = forms.IntegerField(widget=forms.HiddenInput)
    result = forms.ChoiceField(
        label="检查结果",
        choices=InspectionFinding.Result.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择检查结果。"},
    )

    class Meta:
        model = InspectionFinding
        fields = [
            "result",
            "note",
            "description",
            "kind",
            "severity",
            "legal_basis",
            "sampling_numbers",
        ]
        widgets = {
            "note": forms.Textarea(attrs={"rows": 1}),
            "description": forms.Textarea(attrs={"rows": 2}),
            "legal_basis": forms.Textarea(attrs={"rows": 1}),
        }


class PhotoForm(forms.Form):
    file = forms.FileField(label="照片或文件")
    taken_at = forms.DateTimeField(required=False)
    latitude = forms.DecimalField(
        required=False, max_digits=9, decimal_places=6, min_value=-90, max_value=90
    )
    longitude = forms.DecimalField(
        required=False, max_digits=9, decimal_places=6, min_value=-180, max_value=180
    )


class SignForm(forms.Form):
    signature = forms.CharField(
        widget=forms.HiddenInput, error_messages={"required": "请在签名框内签名。"}
    )
    who = forms.ChoiceField(
        choices=[("me", "本人"), ("representative", "企业现场负责人")], widget=forms.HiddenInput
    )
    representative_name = forms.CharField(required=False, max_length=30)
    # the other inspector of the team signing on this device, with their own password
    signer = forms.IntegerField(required=False, widget=forms.HiddenInput)
    signer_password = forms.CharField(
        label="本人登录密码", required=False, max_length=128, widget=forms.PasswordInput
    )


class SubmitForm(forms.Form):
    late_reason = forms.CharField(
        label="延迟上传原因（非检查当日提交时必填）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PostponeForm(forms.Form):
    reason = forms.CharField(
        label="停产情况",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "请写明停产情况。"},
    )
    new_date = forms.DateField(label="新的检查日期", widget=DATE)


class AmendForm(forms.Form):
    # empty: the line keeps its result; a line wrongly marked 未发现问题 is corrected here too
    result = forms.ChoiceField(
        label="检查结果",
        required=False,
        choices=[("", "不更改"), *InspectionFinding.Result.choices],
    )
    kind = forms.ChoiceField(
        label="问题类型",
        required=False,
        choices=[("", "不更改"), *InspectionFinding._meta.get_field("kind").choices],
    )
    severity = forms.ChoiceField(
        label="严重程度",
        required=False,
        choices=[("", "不更改"), *InspectionFinding._meta.get_field("severity").choices],
    )
    note = forms.CharField(
        label="检查情况", required=False, widget=forms.Textarea(attrs={"rows": 1})
    )
    description = forms.CharField(
        label="问题描述", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    legal_basis = forms.CharField(
        label="法律依据", required=False, widget=forms.Textarea(attrs={"rows": 1})
    )
    sampling_numbers = forms.CharField(label="采样编号", required=False, max_length=200)
    reason = forms.CharField(
        label="更正原因",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "请填写更正原因。"},
    )
