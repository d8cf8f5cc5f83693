"""Forms of stage 4: choices limited to the user's reach; the services check again."""

from __future__ import annotations

from django import forms

from campaign import access
from campaign.models import User
from enterprises.models import Enterprise
from inspections.selectors.onsite import plannable_inspectors
from rectification.models import GuidanceActivity, ItemCheck, ItemEvidence, RectificationItem
from rectification.selectors.plan import assignable_inspectors

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 3})


class PeopleField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.full_name or obj.username}（{obj.badge_no}）"


class PersonField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.full_name or obj.username}（{obj.badge_no}）"


class BuildForm(forms.Form):
    enterprise = forms.ModelChoiceField(
        label="企业", queryset=Enterprise.objects.none(), widget=forms.HiddenInput
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = access.visible(user, Enterprise.objects.all())


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class ItemForm(forms.Form):
    """The plan of one item. Measures one per line; milestones one per line as
    `YYYY-MM-DD 内容`. The enterprise sees only its part (the bureau's fields are removed); the
    bureau picks the supervisor among the inspectors of the item's county and city."""

    requirement = forms.CharField(label="整改要求", widget=TEXT)
    deadline = forms.DateField(label="整改时限", widget=DATE, required=False)
    supervisor = PersonField(label="监管责任人", queryset=User.objects.none(), required=False)
    facility_task = forms.BooleanField(
        label="攻坚污染防治设施任务（逾期按未建设污染防治设施处理）", required=False
    )
    measures = forms.CharField(
        label="整改措施（每行一条，按顺序编号）", widget=forms.Textarea(attrs={"rows": 4})
    )
    milestones = forms.CharField(
        label="工程进度节点（每行一个：日期 内容，如 2020-07-15 设备安装完成）",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    funds = forms.DecimalField(
        label="整改资金（万元）", required=False, min_value=0, max_digits=12, decimal_places=2
    )
    responsible = forms.CharField(label="企业责任人", max_length=30, required=False)
    responsible_phone = forms.CharField(label="责任人电话", max_length=30, required=False)

    BUREAU_FIELDS = ("requirement", "deadline", "supervisor", "facility_task")

    def __init__(self, *args, user: User, item: RectificationItem, **kwargs):
        super().__init__(*args, **kwargs)
        if user.has_perm("rectification.handle_rectification"):
            self.fields["supervisor"].queryset = assignable_inspectors(user=user, item=item)
        else:
            for name in self.BUREAU_FIELDS:
                del self.fields[name]

    @classmethod
    def initial_for(cls, item: RectificationItem) -> dict:
        return {
            "requirement": item.requirement,
            "deadline": item.deadline,
            "supervisor": item.supervisor_id,
            "facility_task": item.facility_task,
            "measures": "\n".join(m.text for m in item.measures.all()),
            "milestones": "\n".join(
                f"{m.due_on:%Y-%m-%d} {m.title}" for m in item.milestones.all()
            ),
            "funds": item.funds,
            "responsible": item.responsible,
            "responsible_phone": item.responsible_phone,
        }

    def clean_measures(self) -> list[str]:
        return _lines(self.cleaned_data["measures"])

    def clean_milestones(self) -> list[tuple[str, str]]:
        rows = []
        for number, line in enumerate(_lines(self.cleaned_data["milestones"]), 1):
            day, _, title = line.partition(" ")
            if not title.strip():
                raise forms.ValidationError(
                    f"第 {number} 行应为“日期 内容”，如 2020-07-15 设备安装完成。"
                )
            rows.append((title.strip(), day.strip()))
        return rows

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            name: data[name]
            for name in (*self.BUREAU_FIELDS, "funds", "responsible", "responsible_phone")
            if name in self.fields
        }


class ProgressForm(forms.Form):
    milestone = forms.ModelChoiceField(
        label="进度节点", queryset=None, required=False, empty_label="（整体进展）"
    )
    milestone_done = forms.BooleanField(label="该节点已完成", required=False)
    on = forms.DateField(label="进展日期", widget=DATE, required=False)
    text = forms.CharField(label="进展情况", widget=TEXT)
    kind = forms.ChoiceField(
        label="佐证材料类别", choices=ItemEvidence.Kind.choices, initial="photo"
    )
    files = forms.FileField(
        label="佐证材料（照片、监测报告或验收文件 PDF，可多选）",
        required=False,
        widget=forms.ClearableFileInput(attrs={"allow_multiple_selected": True}),
    )

    def __init__(self, *args, item: RectificationItem, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["milestone"].queryset = item.milestones.all()
        self.fields["files"].widget.attrs.update(
            {"accept": "image/jpeg,image/png,application/pdf", "multiple": True}
        )


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(label="材料类别", choices=ItemEvidence.Kind.choices)
    file = forms.FileField(label="文件（JPG、PNG 或 PDF）", required=False)
    upload = forms.IntegerField(widget=forms.HiddenInput, required=False)
    note = forms.CharField(label="说明", max_length=200, required=False)
    taken_at = forms.CharField(widget=forms.HiddenInput, required=False)
    latitude = forms.CharField(widget=forms.HiddenInput, required=False)
    longitude = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        data = super().clean()
        if not data.get("file") and not data.get("upload"):
            raise forms.ValidationError("请选择要上传的文件。")
        return data


class MeasureDoneForm(forms.Form):
    measure = forms.IntegerField(widget=forms.HiddenInput)
    done_on = forms.DateField(label="完成日期", widget=DATE, required=False)


class ApplyForm(forms.Form):
    expected = forms.CharField(widget=forms.HiddenInput, required=False)
    note = forms.CharField(label="整改完成情况说明", widget=TEXT, required=False)


class ExtensionForm(forms.Form):
    deadline = forms.DateField(label="申请延至", widget=DATE)
    reason = forms.CharField(label="延期理由", widget=TEXT)


class ExtensionDecideForm(forms.Form):
    grant = forms.TypedChoiceField(
        label="审核意见",
        choices=[("1", "同意延期"), ("0", "不同意")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    deadline = forms.DateField(label="同意延至（不填按申请日期）", widget=DATE, required=False)
    note = forms.CharField(label="理由（不同意时必填，企业可见）", widget=TEXT, required=False)


class CheckForm(forms.Form):
    expected = forms.CharField(widget=forms.HiddenInput, required=False)
    method = forms.ChoiceField(
        label="核查方式", choices=ItemCheck.Method.choices, widget=forms.RadioSelect
    )
    checked_on = forms.DateField(label="核查日期", widget=DATE)
    officers = PeopleField(label="核查人员（两名以上持证）", queryset=User.objects.none())
    conclusion = forms.CharField(label="核查结论", widget=TEXT)
    close = forms.TypedChoiceField(
        label="核查结果",
        choices=[("1", "予以销号"), ("0", "退回整改")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="退回原因（企业可见）/ 未满足销号条件仍予销号的理由",
        widget=TEXT,
        required=False,
    )

    def __init__(self, *args, user: User, item: RectificationItem, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officers"].queryset = assignable_inspectors(user=user, item=item)


class ProposalForm(forms.Form):
    confirm = forms.TypedChoiceField(
        label="处理意见",
        choices=[("1", "确认按未建设污染防治设施处理，登记问题并立案审批"), ("0", "不予处理")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    investigators = PeopleField(
        label="承办人员（立案时，两名持证人员）", queryset=User.objects.none(), required=False
    )
    note = forms.CharField(label="意见（不予处理时必填）", widget=TEXT, required=False)

    def __init__(self, *args, user: User, item: RectificationItem, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["investigators"].queryset = assignable_inspectors(user=user, item=item)


class GuidanceForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=GuidanceActivity.Kind.choices)
    held_on = forms.DateField(label="日期", widget=DATE)
    topic = forms.CharField(label="主题", max_length=200)
    enterprises = forms.ModelMultipleChoiceField(
        label="参加企业", queryset=Enterprise.objects.none()
    )
    officers = PeopleField(label="指导人员", queryset=User.objects.none())
    attendees = forms.IntegerField(label="参加人数", min_value=1, max_value=100000)
    attendee_names = forms.CharField(label="参加人员", widget=TEXT, required=False)
    material = forms.FileField(label="培训材料（PDF 或照片）", required=False)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprises"].queryset = access.visible(user, Enterprise.objects.all())
        self.fields["officers"].queryset = plannable_inspectors(user=user)
