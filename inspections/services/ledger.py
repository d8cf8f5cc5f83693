"""The problem ledger's one writer: nothing else creates or changes a `Problem`.

Every stage records what it found with `problem_record` and moves a problem along its life with
`problem_transition`; corrections of what was recorded (an amended inspection line) go through
`problem_correct`. Each writes a `ProblemEvent` in the same transaction, naming the stage record
that caused it, so the ledger can be read as of any past moment (`selectors.ledger.problems_as_of`)
and django-auditlog sees every field change (no queryset `.update()` on problems anywhere).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.dispatch import Signal

from campaign import transitions
from campaign.models import Campaign, User
from enterprises.models import Enterprise
from inspections.models import CheckItem, Evidence, Problem

P = Problem.Status
# what a later correction may change; where and when it was found, and by whom, stay as recorded
CORRECTABLE = ("description", "kind", "severity", "legal_basis", "sampling_numbers")

# Sent inside the writing transaction after every recording and status change, with `problem`,
# `from_status`, `to_status`, `ref` and `actor`: the higher stages keep their records in step
# (a new problem joins its enterprise's rectification plan) without the ledger importing them.
problem_changed = Signal()


def _ref(ref: models.Model | None) -> dict[str, Any]:
    if ref is None:
        return {}
    return {"ref_type": ContentType.objects.get_for_model(ref), "ref_id": ref.pk}


def primary_for(*, campaign: Campaign, enterprise: Enterprise, item: CheckItem) -> Problem | None:
    """The problem of this enterprise and item that a new finding confirms: the first recorded one
    still alive (a closed or withdrawn problem found again is a new problem, not a confirmation)."""
    return (
        Problem.objects.filter(
            campaign=campaign,
            enterprise=enterprise,
            item=item,
            primary__isnull=True,
            status__in=Problem.ACTIVE,
        )
        .order_by("recorded_at", "pk")
        .first()
    )


@transaction.atomic
def problem_record(
    *,
    actor: User | None,
    campaign: Campaign,
    enterprise: Enterprise,
    item: CheckItem,
    source: str,
    description: str,
    found_at: dt.datetime,
    found_by: User | None = None,
    kind: str = "",
    severity: str = "",
    self_found: bool = False,
    measure: str = "",
    deadline: dt.date | None = None,
    responsible: str = "",
    legal_basis: str = "",
    sampling_numbers: str = "",
    evidence: Iterable[Evidence] = (),
    ref: models.Model | None = None,
    note: str = "",
    region: models.Model | None = None,
    **links: Any,
) -> Problem:
    """Enter one finding into the ledger.

    A finding of an enterprise and item that already has a live problem becomes a confirmation of
    it (status 已并入, `primary` set) and is never counted on its own. A self-found problem with a
    declared measure starts as 整改中; anything else as 待处理. `links` are the stage-1/2 links kept
    on the row (`self_check_answer`, `inspection`). `region` is the record whose county and city
    the problem keeps (the self-check or inspection that found it; default: the enterprise now).
    """
    # one recorder per enterprise at a time, so two findings of one item never both become primary
    Enterprise.objects.select_for_update().filter(pk=enterprise.pk).first()
    primary = primary_for(campaign=campaign, enterprise=enterprise, item=item)
    if primary is not None:
        status = P.MERGED
    elif self_found and measure.strip():
        status = P.RECTIFYING
    else:
        status = P.OPEN
    problem = Problem.objects.create(
        campaign=campaign,
        enterprise=enterprise,
        county_id=(region or enterprise).county_id,
        city_id=(region or enterprise).city_id,
        item=item,
        source=source,
        self_found=self_found,
        kind=kind or item.problem_kind,
        severity=severity or Problem.Severity.MINOR,
        description=description,
        measure=measure,
        deadline=deadline,
        responsible=responsible,
        legal_basis=legal_basis,
        sampling_numbers=sampling_numbers,
        found_by=found_by,
        found_at=found_at,
        status=status,
        primary=primary,
        **links,
    )
    problem.evidence.set(list(evidence))
    if primary is not None and not note:
        note = f"同一问题已登记（{Problem.Source(primary.source).label}），本次记为确认"
    transitions.record_created(problem, actor=actor, note=note, **_ref(ref))
    problem_changed.send(
        sender=Problem, problem=problem, from_status="", to_status=status, ref=ref, actor=actor
    )
    return problem


@transaction.atomic
def problem_transition(
    *,
    actor: User | None,
    problem: Problem,
    to: str,
    note: str = "",
    ref: models.Model | None = None,
    at: dt.datetime | None = None,
    expected: str | None = None,
) -> Problem:
    """Move a primary problem along its life (see `Problem.TRANSITIONS`), naming the stage record
    (case, rectification item, verification finding …) that moved it. `expected` is the status
    the user saw: if someone moved the problem meanwhile, the step is refused."""
    # the row locked (only it), with what its audit entry names (`Problem.__str__`)
    problem = (
        Problem.objects.select_related("enterprise", "item")
        .select_for_update(of=("self",))
        .get(pk=problem.pk)
    )
    if to == P.WITHDRAWN and problem.confirmations.exclude(status=P.WITHDRAWN).exists():
        # another route confirmed it: it is a problem, and its confirmations would be orphaned
        raise ValidationError("该问题已由其他途径确认，不能撤销。")
    restoring = problem.status == P.WITHDRAWN and to in (P.OPEN, P.MERGED)
    if restoring and (to == P.MERGED) != bool(problem.primary_id):
        raise ValidationError("恢复的确认记录仍为“已并入主问题”，主问题恢复为“待处理”。")
    if restoring and to == P.MERGED and problem.primary.status == P.WITHDRAWN:
        raise ValidationError("主问题已撤销：请先恢复主问题，再恢复这条确认记录。")
    before = problem.status
    transitions.transition(
        problem, to, actor=actor, note=note, at=at, expected=expected, **_ref(ref)
    )
    problem_changed.send(
        sender=Problem, problem=problem, from_status=before, to_status=to, ref=ref, actor=actor
    )
    return problem


@transaction.atomic
def problem_correct(
    *,
    actor: User | None,
    problem: Problem,
    values: dict[str, Any],
    note: str,
    ref: models.Model | None = None,
) -> Problem:
    """Correct what was recorded (an amended inspection line); the audit history keeps the old
    values, and an event row (status unchanged) says why and from which record."""
    problem = Problem.objects.select_for_update().get(pk=problem.pk)
    changed = [
        name for name in CORRECTABLE if name in values and values[name] != getattr(problem, name)
    ]
    if not changed:
        return problem
    for name in changed:
        setattr(problem, name, values[name])
    problem.save(update_fields=changed)
    problem.events.create(
        from_status=problem.status, to_status=problem.status, by=actor, note=note, **_ref(ref)
    )
    return problem
