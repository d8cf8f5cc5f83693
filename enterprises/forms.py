from __future__ import annotations

from django import forms

from campaign import selectors as campaign_selectors
from campaign.forms import ExcelUploadForm
from campaign.models import Industry
from campaign.validators import normalize_credit_code, normalize_phone
from enterprises.models import Enterprise, EnterpriseImport


class EnterpriseForm(forms.ModelForm):
    industry_code = forms.CharField(
        label="行业代码",
        max_length=4,
        help_text="国民经济行业分类（GB/T 4754-2017）代码，如 2614（有机化学原料制造）。",
    )

    class Meta:
        model = Enterprise
        fields = [
            "credit_code",
            "name",
            "county",
            "address",
            "longitude",
            "latitude",
            "is_key_unit",
            "key_water",
            "key_air",
            "key_soil",
            "key_noise",
            "key_risk",
            "in_yellow_river_basin",
            "permit_class",
            "permit_no",
            "permit_valid_until",
            "has_hazardous_waste",
            "has_tailings_pond",
            "has_radiation",
            "auto_monitoring_installed",
            "auto_monitoring_connected",
            "legal_representative",
            "contact_person",
            "contact_phone",
        ]
        widgets = {"permit_valid_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # choice fields offer only regions in the user's reach (the policy, not the form, decides)
        self.fields["county"].queryset = campaign_selectors.region_choices_for(user).select_related(
            "parent"
        )
        self.fields["county"].label_from_instance = lambda r: (
            f"{r.parent.name if r.parent else ''} {r.name}（{r.code}）"
        )
        if self.instance.pk:
            self.fields["industry_code"].initial = self.instance.industry.code

    def clean_credit_code(self) -> str:
        return normalize_credit_code(self.cleaned_data["credit_code"])

    def clean_contact_phone(self) -> str:
        return normalize_phone(self.cleaned_data["contact_phone"])

    def clean_industry_code(self) -> Industry:
        code = self.cleaned_data["industry_code"].strip()
        industry = Industry.objects.filter(code=code).first()
        if industry is None:
            raise forms.ValidationError(
                f"行业代码“{code}”不在国民经济行业分类（GB/T 4754-2017）中。"
            )
        return industry

    def _post_clean(self) -> None:
        if "industry_code" in self.cleaned_data:
            self.instance.industry = self.cleaned_data["industry_code"]
        county = self.cleaned_data.get("county")
        if county is not None:
            self.instance.city = county.parent
        super()._post_clean()

    def service_values(self) -> dict:
        values = {name: self.cleaned_data[name] for name in self.Meta.fields}
        values["industry"] = self.cleaned_data["industry_code"]
        return values


class EnterpriseImportForm(ExcelUploadForm):
    """The list kind, and the workbook checked by content and size (shared with every Excel upload)."""

    list_kind = forms.ChoiceField(label="名单类型", choices=EnterpriseImport.ListKind.choices)
    field_order = ["list_kind", "file"]
