"""The discretion calculator's page (罚款裁量): the case's statutory range and factor selects; a
valid post computes the fine, records it and makes it the case's proposed fine."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone

from campaign import access
from campaign.views import ScopedObjectMixin, ServiceFormView
from cases import discretion
from cases.forms_discretion import FACTOR_PREFIX, DiscretionForm
from cases.models import Case, DiscretionRecord
from cases.selectors import case as selectors
from cases.services import discretion as services

# the service names the list it checks; the form shows one select for it
_FIELD_OF = {"adjustments": "adjustment"}


class DiscretionView(ScopedObjectMixin, ServiceFormView):
    scoped_model = Case
    required_permission = "cases.handle_case"
    form_class = DiscretionForm
    template_name = "cases/discretion.html"
    case: Case

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        self.case = selectors.case_get(user=request.user, pk=pk)
        return super().get(request)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        self.case = selectors.case_get(user=request.user, pk=pk)
        return super().post(request)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {"case": self.case, "on": timezone.localdate(), "initial": self._last_inputs()}

    def _last_inputs(self) -> dict[str, Any]:
        """The current record's inputs, so a recomputation starts from them."""
        last = (
            access.visible(self.request.user, DiscretionRecord.objects.filter(case=self.case))
            .filter(current=True)
            .first()
        )
        if last is None:
            return {}
        initial: dict[str, Any] = {f"{FACTOR_PREFIX}{k}": v for k, v in last.inputs.items()}
        initial["base"] = last.base_amount
        for adjustment in last.adjustments[:1]:
            initial.update(
                adjustment=adjustment["kind"],
                exemption=adjustment.get("item", ""),
                adjustment_reason=adjustment.get("reason", ""),
            )
        return initial

    def get_context_data(self, form: DiscretionForm) -> dict[str, Any]:
        records = list(
            access.visible(self.request.user, DiscretionRecord.objects.filter(case=self.case))
            .select_related("computed_by")
            .order_by("-computed_at", "-pk")[:20]
        )
        current = next((r for r in records if r.current), None)
        tables = discretion.load_tables()
        violation = self.case.violation_type
        group = tables.groups.get(violation.group) if violation else None
        note = ""
        if group is not None:
            note = group.note + (f"（{group.source}）" if group.is_proposal else "")
        sections = [
            (
                f"个性裁量因素：{group.label}" if group else "个性裁量因素",
                note,
                form.individual_fields(),
            ),
            ("共性裁量因素", "只在案件存在该情形时选择；未选择的不计入。", form.common_fields()),
            ("基数、调整和金额", "", form.other_fields()),
        ]
        return {
            "form": form,
            "sections": sections,
            "case": self.case,
            "statute": discretion.Statute.of(violation) if violation else None,
            "formula": _formula_or_none(),
            "open": self.case.status in services.OPEN_STATUSES,
            "record": current,
            "records": records,
        }

    def perform(self, form: DiscretionForm) -> DiscretionRecord:
        try:
            return services.discretion_record(
                actor=self.request.user, case=self.case, **form.service_data()
            )
        except ValidationError as exc:
            raise _renamed(exc) from exc

    def get_success_url(self, result: DiscretionRecord) -> str:
        return reverse("cases:discretion", args=[self.case.pk])

    def get_success_message(self, result: DiscretionRecord) -> str:
        if result.flagged:
            return (
                f"已保存：计算罚款 {result.computed_amount} 元，另定拟处罚款 {result.chosen_amount} 元"
                "（与计算结果不一致，已提示审查）。"
            )
        return f"已保存：拟处罚款 {result.chosen_amount} 元。"


def _formula_or_none() -> discretion.Formula | None:
    try:
        return discretion.formula_for(timezone.localdate())
    except discretion.InputError:
        return None


def _renamed(exc: ValidationError) -> ValidationError:
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError({_FIELD_OF.get(k, k): v for k, v in exc.error_dict.items()})
