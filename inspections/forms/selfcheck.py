from __future__ import annotations

from django import forms

from inspections.models import SelfCheck, SelfCheckAnswer

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class HeaderForm(forms.ModelForm):
    class Meta:
        model = SelfCheck
        fields = ["filler_name", "filled_on", "env_manager", "env_manager_phone", "declaration"]
        widgets = {"filled_on": DATE}


class AnswerForm(forms.ModelForm):
    result = forms.ChoiceField(
        label="自查结果",
        choices=SelfCheckAnswer.Result.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择自查结果。"},
    )

    class Meta:
        model = SelfCheckAnswer
        fields = ["result", "problem", "measure", "deadline", "responsible"]
        widgets = {
            "deadline": DATE,
            "problem": forms.Textarea(attrs={"rows": 2}),
            "measure": forms.Textarea(attrs={"rows": 2}),
        }


class EvidenceForm(forms.Form):
    file = forms.FileField(label="证据材料（照片或 PDF，不超过 15 MB）")


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label="退回原因",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "退回时必须填写退回原因。"},
    )


class FileForm(forms.Form):
    confirm = forms.CharField(widget=forms.HiddenInput, error_messages={"required": "请确认备案。"})
    comment = forms.CharField(
        label="备案意见（选填）", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_confirm(self):
        if self.cleaned_data["confirm"] != "yes":
            raise forms.ValidationError("请确认备案。")
        return "yes"
