"""The discretion calculator at work: compute a case's fine (pure) and record it as the case's
proposed fine (a handler, in reach, before the decision)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from campaign import access
from campaign.models import User
from campaign.validators import check_text
from cases import discretion
from cases.models import Case, DiscretionRecord

S = Case.Status
# the proposed fine is set while the case is investigated and reviewed; once notified, the party
# has been told the amount (a new amount needs a new notice), and a decided case keeps its fine
OPEN_STATUSES = (S.INVESTIGATING, S.REVIEWING, S.LEGAL_REVIEW)


def _statute(case: Case) -> discretion.Statute:
    if case.violation_type is None:
        raise ValidationError({"violation_type": "请先选择案件的违法行为类型。"})
    return discretion.Statute.of(case.violation_type)


def _cents(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.01"))


def discretion_compute(
    *,
    case: Case,
    levels: Mapping[str, int],
    base: int | None = None,
    adjustments: Iterable[discretion.Adjustment | Mapping[str, Any]] = (),
    on: dt.date | None = None,
) -> discretion.Result:
    """The fine for the case's violation with these factor levels, by the formula in force on
    `on` (today by default). Writes nothing; refusals are Chinese ValidationErrors naming the
    field (levels, base, adjustments, violation_type)."""
    statute = _statute(case)
    try:
        return discretion.compute(
            statute,
            levels,
            base=base if statute.needs_base else None,
            adjustments=adjustments,
            on=on or timezone.localdate(),
        )
    except discretion.InputError as exc:
        raise ValidationError({exc.field: exc.message}) from exc


@transaction.atomic
def discretion_record(
    *,
    actor: User,
    case: Case,
    levels: Mapping[str, int],
    base: int | None,
    adjustments: Iterable[discretion.Adjustment | Mapping[str, Any]],
    amount: int | None = None,
    reason: str = "",
) -> DiscretionRecord:
    """Compute the case's fine and make it the case's proposed fine.

    `amount` is the handler's own amount when it differs from the computed one: allowed only with
    a written `reason`, never above the statutory maximum, below the minimum only with 减轻; such
    a record is flagged for the reviewer and the cross-region verification (宽松软)."""
    if not actor.has_perm("cases.handle_case"):
        raise PermissionDenied("您的角色不能办理案件。")
    case = access.get_visible_or_404(actor, Case.objects.select_for_update(), pk=case.pk)
    if not access.region_in_reach(actor, case.county):
        raise PermissionDenied("该案件不在您的办理范围内。")
    if case.status not in OPEN_STATUSES:
        raise ValidationError(
            f"案件当前为“{case.get_status_display()}”，只能在调查取证、案件审查或法制审核环节计算罚款。"
        )
    result = discretion_compute(case=case, levels=levels, base=base, adjustments=adjustments)

    reason = (reason or "").strip()
    check_text(DiscretionRecord, {"override_reason": reason})
    chosen = result.amount if amount is None else amount
    if isinstance(chosen, bool) or not isinstance(chosen, int) or chosen < 0:
        raise ValidationError({"amount": "罚款金额须为不小于0的整数（元）。"})
    rng = result.range
    if result.exempt and chosen != 0:
        raise ValidationError({"amount": "已适用免予处罚，罚款金额应为0元。"})
    if chosen > rng.high_yuan:
        raise ValidationError({"amount": f"罚款金额不能超过法定上限{discretion.money(rng.high)}。"})
    if chosen < rng.low_yuan and not (result.mitigated or result.exempt):
        raise ValidationError(
            {
                "amount": f"罚款金额低于法定下限{discretion.money(rng.low)}的，须适用减轻处罚并写明理由。"
            }
        )
    flagged = chosen != result.amount
    if flagged and not reason:
        raise ValidationError(
            {"reason": f"罚款金额与计算结果（{result.amount}元）不一致的，须写明理由。"}
        )
    lines = list(result.lines)
    if flagged:
        lines.append(
            f"承办人员另定罚款金额：{chosen}元（人民币{discretion.yuan_in_words(chosen)}），"
            f"与计算结果{result.amount}元不一致，理由：{reason}"
        )

    for previous in case.discretion_records.filter(current=True):
        previous.current = False
        previous.save(update_fields=["current"])
    record = DiscretionRecord.objects.create(
        case=case,
        formula=result.formula,
        applied_on=result.on,
        inputs={key: int(level) for key, level in levels.items()},
        base_amount=result.range.base,
        range_low=_cents(rng.low),
        range_high=_cents(rng.high),
        adjustments=[a.as_dict() for a in result.adjustments],
        computed_amount=result.amount,
        chosen_amount=chosen,
        override_reason=reason if flagged else "",
        flagged=flagged,
        lines=lines,
        computed_by=actor,
    )
    case.proposed_fine = chosen
    case.save(update_fields=["proposed_fine", "updated_at"])
    return record
