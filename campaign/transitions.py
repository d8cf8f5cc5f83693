"""The one way a stateful record changes status.

Every workflow record (self-check, inspection, complaint, problem, and every later stage's case,
rectification item, verification finding …) declares:

- ``status``: a ``TextChoices`` field;
- ``TRANSITIONS``: a map from each status to the statuses it may move to;
- ``INITIAL``: the statuses a new row may start in (default: the field's default);
- ``STATUS_EVENTS``: the related name of its event model, a subclass of `StatusEvent`.

`transition` locks the row, refuses a move the map does not allow (or a row someone else moved
meanwhile), saves the status with the fields the step sets, writes one event row of one shape
(from, to, who, when, note) in the same transaction and schedules side effects on commit.
`record_created` writes the first event of a new row. Nothing else assigns ``.status``
(tests/test_one_way.py reads the source to hold that).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

M = TypeVar("M", bound=models.Model)


class StatusEvent(models.Model):
    """One status change of a record: the same shape for every stateful model."""

    from_status = models.CharField("原状态", max_length=30, blank=True)
    to_status = models.CharField("新状态", max_length=30)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField("时间", default=timezone.now)
    note = models.TextField("说明", blank=True)

    # the foreign key to the record whose status this is (set by each concrete event model)
    RECORD = ""

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    def _label(self, value: str) -> str:
        return status_label(self._meta.get_field(self.RECORD).related_model, value)

    @property
    def from_label(self) -> str:
        return self._label(self.from_status)

    @property
    def to_label(self) -> str:
        return self._label(self.to_status)


def status_label(model: type[models.Model], value: str) -> str:
    choices = dict(model._meta.get_field("status").choices or ())
    return str(choices.get(value, value or "—"))


def _event_manager(obj: models.Model):
    return getattr(obj, type(obj).STATUS_EVENTS)


def _auto_now_fields(model: type[models.Model]) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if getattr(f, "auto_now", False)]


def record_created(
    obj: models.Model,
    *,
    actor: Any,
    note: str = "",
    at: dt.datetime | None = None,
    **event_fields: Any,
) -> models.Model:
    """The first event of a row just created (from nothing to its initial status)."""
    model = type(obj)
    initial = getattr(model, "INITIAL", None) or {model._meta.get_field("status").default}
    if obj.status not in initial:
        raise ValueError(f"{model.__name__} cannot start in {obj.status!r}")
    return _event_manager(obj).create(
        from_status="",
        to_status=obj.status,
        by=actor,
        note=note,
        at=at or timezone.now(),
        **event_fields,
    )


def transition(
    obj: M,
    to: str,
    *,
    actor: Any,
    note: str = "",
    values: dict[str, Any] | None = None,
    at: dt.datetime | None = None,
    on_commit: Callable[[], None] | Iterable[Callable[[], None]] | None = None,
    expected: str | None = None,
    **event_fields: Any,
) -> models.Model:
    """Move `obj` to status `to`, setting `values` with it; returns the event row.

    Must run inside the caller's transaction: the row is locked here (again, if the caller
    already locked it to check its own rules). `expected` is the status the user saw when they
    chose the step (a page's hidden field, an API body); if the stored status differs, someone
    else acted meanwhile and the step is refused, so two people acting at once never both
    succeed. Without it, the status of `obj` as the caller read it is compared.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("transition() runs inside the service's transaction")
    model = type(obj)
    stored = (
        model._default_manager.select_for_update()
        .filter(pk=obj.pk)
        .values_list("status", flat=True)
        .first()
    )
    name = model._meta.verbose_name
    if stored != (expected if expected is not None else obj.status):
        raise ValidationError(
            f"该{name}已被他人更新为“{status_label(model, stored)}”，请刷新页面后再操作。"
        )
    if to not in model.TRANSITIONS.get(stored, ()):
        raise ValidationError(
            f"{name}当前为“{status_label(model, stored)}”，不能变为“{status_label(model, to)}”。"
        )
    values = values or {}
    for field, value in values.items():
        setattr(obj, field, value)
    obj.status = to
    obj.save(update_fields=["status", *values, *_auto_now_fields(model)])
    event = _event_manager(obj).create(
        from_status=stored,
        to_status=to,
        by=actor,
        note=note,
        at=at or timezone.now(),
        **event_fields,
    )
    callbacks = [on_commit] if callable(on_commit) else list(on_commit or ())
    for callback in callbacks:
        transaction.on_commit(callback)
    return event
