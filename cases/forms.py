"""Forms of stage 3: choices limited to the user's reach; the services check again."""

from __future__ import annotations

from django import forms

from campaign import access
from campaign.models import User
from cases.models import Case, Measure, Notice, Path, Reply, ViolationType
from enterprises.models import Enterprise
from inspections.selectors.onsite import plannable_inspectors

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PeopleField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.full_name or obj.username}（{obj.badge_no}）"


class CaseOpenForm(forms.Form):
    enterprise = forms.ModelChoiceField(label="当事人（企业）", queryset=Enterprise.objects.none())
    title = forms.CharField(label="案由", max_length=200)
    source = forms.ChoiceField(label="案件来源", choices=Case.Source.choices)
    path = forms.ChoiceField(
        label="处置方式",
        choices=[(p.value, p.label) for p in (Path.LENIENT, Path.STRICT, Path.TRANSFER)],
        initial=Path.STRICT,
    )
    discovered_on = forms.DateField(label="发现违法行为日期", widget=DATE)
    violation_type = forms.ModelChoiceField(
        label="违法行为类型", queryset=ViolationType.objects.all(), required=False
    )
    facts = forms.CharField(
        label="违法事实", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    investigators = PeopleField(
        label="承办人员（至少两名持证人员）", queryset=User.objects.none(), required=False
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = access.visible(user, Enterprise.objects.all())
        self.fields["investigators"].queryset = plannable_inspectors(user=user)


class ClassifyForm(forms.Form):
    problems = forms.ModelMultipleChoiceField(label="问题", queryset=None)
    path = forms.ChoiceField(label="处置方式", choices=Path.choices)
    reason = forms.CharField(label="处置理由", widget=forms.Textarea(attrs={"rows": 2}))
    investigators = PeopleField(
        label="承办人员（立案的案件）", queryset=User.objects.none(), required=False
    )

    def __init__(self, *args, user: User, queue, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["problems"].queryset = queue
        self.fields["problems"].error_messages["invalid_choice"] = (
            "所选问题 %(value)s 不存在、不在您的管辖范围内或已分类。"
        )
        self.fields["investigators"].queryset = plannable_inspectors(user=user)


class StepForm(forms.Form):
    """One form for every step: each step's panel shows the fields it records."""

    to = forms.ChoiceField(choices=Case.Status.choices, widget=forms.HiddenInput)
    expected = forms.ChoiceField(choices=Case.Status.choices, widget=forms.HiddenInput)
    on = forms.DateField(label="日期", widget=DATE, required=False)
    note = forms.CharField(
        label="意见或理由", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    report = forms.CharField(
        label="调查报告", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    reviewer = forms.ModelChoiceField(
        label="案件审查人", queryset=User.objects.none(), required=False
    )
    proposed_fine = forms.IntegerField(label="拟处罚款（元）", min_value=0, required=False)
    fine = forms.IntegerField(label="罚款（元）", min_value=0, required=False)
    hearing_right = forms.BooleanField(label="告知听证权利（责令停产停业等）", required=False)
    party_waived = forms.BooleanField(label="当事人已陈述申辩或明确放弃", required=False)
    nothing_to_rectify = forms.BooleanField(label="无需整改（问题直接销号）", required=False)
    needs_legal_review = forms.BooleanField(label="须经法制审核", required=False)
    major = forms.BooleanField(label="重大案件，须集体讨论", required=False)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = plannable_inspectors(user=user)

    def step_data(self) -> dict:
        """What the step records, without the empty fields (a step keeps what it had)."""
        data = self.cleaned_data
        return {
            name: data[name]
            for name in (
                "report",
                "reviewer",
                "proposed_fine",
                "fine",
                "hearing_right",
                "party_waived",
                "nothing_to_rectify",
            )
            if data.get(name) not in (None, "", False)
        } | (
            {"needs_legal_review": data["needs_legal_review"], "major": data["major"]}
            if data.get("to") == "reviewing" and data.get("expected") == "investigating"
            else {}
        )


class NoticeServeForm(forms.Form):
    served_on = forms.DateField(label="送达日期", widget=DATE)
    method = forms.ChoiceField(label="送达方式", choices=Notice.Method.choices)
    recipient = forms.CharField(label="签收人", max_length=50, required=False)
    refusal = forms.CharField(label="拒收事由及见证人（留置送达）", max_length=200, required=False)


class NoticeWithdrawForm(forms.Form):
    reason = forms.CharField(label="撤回理由", widget=forms.Textarea(attrs={"rows": 2}))


class ReplyForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=Reply.Kind.choices)
    text = forms.CharField(label="内容", widget=forms.Textarea(attrs={"rows": 6}))


class MeasureStartForm(forms.Form):
    kind = forms.ChoiceField(label="措施", choices=Measure.Kind.choices)
    on = forms.DateField(label="决定（送达）日期", widget=DATE, required=False)
    detail = forms.CharField(
        label="内容",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="查封扣押的设施物品、限产范围、移送对象等",
    )
    original_fine = forms.IntegerField(
        label="原处罚款（元，按日连续处罚）", min_value=1, required=False
    )


class MeasureActForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    on = forms.DateField(label="日期", widget=DATE, required=False)
    note = forms.CharField(label="说明", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    refused = forms.TypedChoiceField(
        label="复查结果",
        choices=[("", "—"), ("yes", "仍在违法排放（拒不改正）"), ("no", "已改正")],
        coerce=lambda v: v == "yes",
        empty_value=None,
        required=False,
    )


class CommitmentForm(forms.Form):
    signed_on = forms.DateField(label="承诺书签署日期", widget=DATE)
    file = forms.FileField(label="承诺书扫描件（PDF 或照片）", required=False)
    follow_up_due = forms.DateField(
        label="复查期限", widget=DATE, required=False, help_text="默认签署后三十日"
    )


class FollowUpForm(forms.Form):
    on = forms.DateField(label="复查日期", widget=DATE)
    passed = forms.TypedChoiceField(
        label="复查结论",
        choices=[("yes", "已按承诺改正"), ("no", "未改正")],
        coerce=lambda v: v == "yes",
    )
    result = forms.CharField(label="复查情况", widget=forms.Textarea(attrs={"rows": 3}))
