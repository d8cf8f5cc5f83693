"""Forms of the campaign app (calendar, roster, pools, liaisons, integrity, complaints)."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.conf import settings

from campaign import excel
from campaign.models import (
    Assignment,
    Campaign,
    Complaint,
    IntegrityDocument,
    LiaisonPerson,
    PoolMembership,
    Region,
    RosterGroup,
    RosterMember,
    StageWindow,
    User,
)
from campaign.models.integrity import SELF_CHECK_ITEMS
from campaign.validators import normalize_phone

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
XLSX_MAGIC = b"PK\x03\x04"


class ExcelUploadForm(forms.Form):
    file = forms.FileField(label="Excel 文件（.xlsx）")
    declared_rows: int | None = None  # the data rows the sheet says it holds, once cleaned

    @property
    def is_large(self) -> bool:
        """Whether the file is imported by a background job (more than IMPORT_JOB_ROWS rows; a
        sheet that could not be sized is sent to a job: it may be anything)."""
        return self.declared_rows is None or self.declared_rows > settings.IMPORT_JOB_ROWS

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError("只接受 .xlsx 格式的 Excel 文件，请用导入模板填写。")
        if upload.size > settings.MAX_IMPORT_FILE_BYTES:
            raise forms.ValidationError(
                f"文件过大：不能超过 {settings.MAX_IMPORT_FILE_BYTES // (1024 * 1024)} MB。"
            )
        head = upload.read(4)
        upload.seek(0)
        if head != XLSX_MAGIC:
            raise forms.ValidationError(
                "文件内容不是 Excel（.xlsx）格式，可能已损坏或只是改了扩展名。"
            )
        try:  # the sheet's declared size, before a single row is read
            self.declared_rows = excel.declared_rows(upload)
        except excel.SheetError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return upload


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = [
            "name",
            "is_current",
            "liaison_deadline",
            "weekly_report_weekday",
            "weekly_report_time",
            "complaint_phone",
            "complaint_email",
        ]
        widgets = {
            "liaison_deadline": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "weekly_report_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }


class WindowsForm(forms.Form):
    """Start and end of every stage, province-wide."""

    def __init__(self, *args, windows: dict[str, StageWindow], **kwargs):
        super().__init__(*args, **kwargs)
        for stage, label in StageWindow.Stage.choices:
            window = windows.get(stage)
            self.fields[f"{stage}_start"] = forms.DateField(
                label=f"{label} 开始", widget=DATE, initial=window.starts_on if window else None
            )
            self.fields[f"{stage}_end"] = forms.DateField(
                label=f"{label} 结束", widget=DATE, initial=window.ends_on if window else None
            )

    def clean(self):
        data = super().clean()
        for stage, label in StageWindow.Stage.choices:
            start, end = data.get(f"{stage}_start"), data.get(f"{stage}_end")
            if start and end and end < start:
                self.add_error(f"{stage}_end", f"{label}的结束日期不能早于开始日期。")
        return data

    def windows(self) -> dict:
        return {
            stage: (self.cleaned_data[f"{stage}_start"], self.cleaned_data[f"{stage}_end"])
            for stage, _ in StageWindow.Stage.choices
        }


class CityWindowForm(forms.Form):
    city = forms.ModelChoiceField(label="省辖市", queryset=Region.objects.none())
    stage = forms.ChoiceField(
        label="阶段", choices=StageWindow.Stage.choices, initial=StageWindow.Stage.INSPECTION
    )
    starts_on = forms.DateField(label="开始日期", widget=DATE)
    ends_on = forms.DateField(label="结束日期", widget=DATE)

    def __init__(self, *args, cities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = cities

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "结束日期不能早于开始日期。")
        return data


class CampaignCreateForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2020, max_value=2100)
    name = forms.CharField(label="名称", max_length=100)


class RosterGroupForm(forms.ModelForm):
    class Meta:
        model = RosterGroup
        fields = ["kind", "name", "duties"]
        widgets = {"duties": forms.Textarea(attrs={"rows": 3})}


class RosterMemberForm(forms.ModelForm):
    class Meta:
        model = RosterMember
        fields = ["name", "position", "unit"]


class PoolAddForm(forms.Form):
    pool = forms.ChoiceField(label="人员库", choices=PoolMembership.Pool.choices)
    lead_qualified = forms.BooleanField(label="可任主办人", required=False)
    note = forms.CharField(label="备注", max_length=200, required=False)


class PoolImportForm(ExcelUploadForm):
    pool = forms.ChoiceField(label="人员库", choices=PoolMembership.Pool.choices)
    field_order = ["pool", "file"]


class LiaisonPersonForm(forms.ModelForm):
    class Meta:
        model = LiaisonPerson
        fields = ["name", "unit_position", "duty", "office_phone", "mobile", "email"]

    def clean_office_phone(self):
        return normalize_phone(self.cleaned_data["office_phone"])

    def clean_mobile(self):
        return normalize_phone(self.cleaned_data["mobile"])


LiaisonFormSet = forms.formset_factory(
    LiaisonPersonForm, extra=0, min_num=1, validate_min=True, max_num=10
)


class IntegrityDocumentForm(forms.ModelForm):
    class Meta:
        model = IntegrityDocument
        fields = ["kind", "title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 14})}


class AssignmentForm(forms.ModelForm):
    class Meta:
        model = Assignment
        fields = ["user", "title", "destination", "starts_on", "ends_on"]
        widgets = {"starts_on": DATE, "ends_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(
            is_active=True,
            role__in=[User.Role.PROVINCE, User.Role.CITY, User.Role.COUNTY, User.Role.EXPERT],
        ).select_related("region")
        self.fields["user"].label_from_instance = lambda u: u.display_name
        self.fields["destination"].queryset = Region.objects.filter(level=Region.Level.CITY)


class CommitmentForm(forms.Form):
    agree = forms.BooleanField(
        label="我已阅读并承诺遵守上述规定",
        required=True,
        error_messages={"required": "请勾选确认已阅读并承诺遵守。"},
    )
    signed_name = forms.CharField(label="本人签名（输入姓名）", max_length=30)


class SelfCheckForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in SELF_CHECK_ITEMS:
            self.fields[f"{key}_ok"] = forms.TypedChoiceField(
                label=label,
                choices=[("yes", "遵守"), ("no", "有情况需说明")],
                widget=forms.RadioSelect,
                coerce=lambda v: v == "yes",
                error_messages={"required": "请选择。"},
            )
            self.fields[f"{key}_note"] = forms.CharField(
                label="情况说明", required=False, widget=forms.Textarea(attrs={"rows": 2})
            )

    def answers(self) -> dict:
        return {
            key: {
                "ok": self.cleaned_data.get(f"{key}_ok"),
                "note": self.cleaned_data.get(f"{key}_note", ""),
            }
            for key, _ in SELF_CHECK_ITEMS
        }

    def item_rows(self):
        return [(self[f"{key}_ok"], self[f"{key}_note"]) for key, _ in SELF_CHECK_ITEMS]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class ComplaintForm(forms.ModelForm):
    attachments = MultipleFileField(
        label="附件（选填，照片或 PDF，最多 5 个，每个不超过 10 MB）", required=False
    )
    website = forms.CharField(
        required=False, widget=forms.HiddenInput
    )  # a trap only robots fill in

    class Meta:
        model = Complaint
        fields = [
            "accused",
            "place",
            "happened_on",
            "description",
            "reporter_name",
            "reporter_contact",
        ]
        widgets = {"happened_on": DATE, "description": forms.Textarea(attrs={"rows": 6})}
        labels = {
            "reporter_name": "您的姓名（选填）",
            "reporter_contact": "联系方式（选填，仅巡查组可见）",
        }

    def clean_website(self):
        if self.cleaned_data.get("website"):
            raise forms.ValidationError("提交无效。")
        return ""


class ComplaintLookupForm(forms.Form):
    code = forms.CharField(label="查询码", max_length=20)


class ComplaintTransitionForm(forms.Form):
    to_status = forms.ChoiceField(label="办理", choices=Complaint.Status.choices)
    note = forms.CharField(
        label="说明 / 办理结论", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class HolidayYearForm(forms.Form):
    """A year's holidays and 调休 working days as the State Council's notice lists them: one date or
    range per line, optionally followed by the festival's name."""

    year = forms.IntegerField(label="年份", min_value=2000, max_value=2100)
    source = forms.CharField(
        label="依据（通知文号或标题）", max_length=200, help_text="如 国办发明电〔2026〕X号"
    )
    holidays = forms.CharField(
        label="放假日期",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="每行一天或一段，可加节日名称，如：2027-02-06 至 2027-02-13 春节",
    )
    workdays = forms.CharField(
        label="调休上班日期（周六、周日）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="每行一天，如：2027-02-20 春节",
    )

    LINE = re.compile(
        r"^(\d{4}-\d{1,2}-\d{1,2})(?:\s*(?:至|到|—|–|~|-{1,2})\s*(\d{4}-\d{1,2}-\d{1,2}))?\s*(.*)$"
    )

    def _dates(self, name: str, label: str) -> list[tuple[dt.date, str]]:
        found: list[tuple[dt.date, str]] = []
        seen: set[dt.date] = set()
        for number, line in enumerate(self.cleaned_data.get(name, "").splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            match = self.LINE.match(line)
            try:
                first = dt.date.fromisoformat(_iso(match.group(1))) if match else None
                last = (
                    dt.date.fromisoformat(_iso(match.group(2)))
                    if match and match.group(2)
                    else first
                )
            except ValueError:
                first = None
            if first is None or last < first or (last - first).days > 15:
                raise forms.ValidationError(
                    f"{label}第 {number} 行“{line}”看不懂：请写 2027-01-01 或 2027-02-06 至 2027-02-13"
                    "（一段不超过 16 天），可在后面加节日名称。"
                )
            day = first
            while day <= last:
                if day in seen:
                    raise forms.ValidationError(f"{label}中 {day:%Y-%m-%d} 出现了两次。")
                seen.add(day)
                found.append((day, match.group(3).strip()[:20]))
                day += dt.timedelta(days=1)
        return found

    def clean_holidays(self):
        return self._dates("holidays", "放假日期")

    def clean_workdays(self):
        dates = self._dates("workdays", "调休上班日期")
        for day, _name in dates:
            if day.weekday() < 5:
                raise forms.ValidationError(
                    f"{day:%Y-%m-%d} 是星期{'一二三四五'[day.weekday()]}：调休上班日应为周六或周日。"
                )
        return dates

    def clean(self):
        cleaned = super().clean()
        year = cleaned.get("year")
        days = {**dict(cleaned.get("holidays") or []), **dict(cleaned.get("workdays") or [])}
        # a notice may begin its 元旦 in the last days of the year before
        if year and any(not _near_year(day, year) for day in days):
            stray = sorted(d for d in days if not _near_year(d, year))[0]
            raise forms.ValidationError(f"{stray:%Y-%m-%d} 不在 {year} 年的安排之内。")
        both = {d for d, _ in cleaned.get("holidays") or []} & {
            d for d, _ in cleaned.get("workdays") or []
        }
        if both:
            raise forms.ValidationError(f"{min(both):%Y-%m-%d} 同时写在放假日期和调休上班日期中。")
        return cleaned


def _near_year(day: dt.date, year: int) -> bool:
    return dt.date(year - 1, 12, 15) <= day <= dt.date(year, 12, 31)


def _iso(text: str) -> str:
    year, month, day = text.split("-")
    return f"{year}-{int(month):02d}-{int(day):02d}"
