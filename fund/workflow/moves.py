"""One way to move a status: each status field declares its allowed moves once, as a table, and every
change goes through `move_status` — checked against the table, compare-and-set on the old value (so two
requests racing for the same record move it once), with a `StatusChange` history row and an audit event.

    BILL_MOVES = MoveTable(RemittanceBill, noun="缴款单", moves={
        BillState.DRAFT: {BillState.CONFIRMED, BillState.CANCELLED}, ...})
    move_status(bill, BillState.CONFIRMED, table=BILL_MOVES, actor=user, action="deposits.bill.confirmed",
                confirmed_by=user, confirmed_at=now)

Runs in the caller's transaction; the caller holds whatever locks its business needs.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet

from fund.audit.services import audit_log

from .models import StatusChange

# fn(obj, old, new, actor) after each move, in the mover's transaction (fund.tracking keeps 我的办件 by it).
MoveListener = Callable[[models.Model, str, str, Any], None]
_MOVE_LISTENERS: dict[str, MoveListener] = {}


def register_move_listener(name: str, fn: MoveListener) -> None:
    """Call `fn` after every successful move (registering a name again replaces it)."""
    _MOVE_LISTENERS[name] = fn


class StaleStatus(ValidationError):
    """The record's status changed since it was read: another request or worker moved it first."""


@dataclass(frozen=True)
class MoveTable:
    """The allowed moves of one status field of one model: from each state, the states it may go to.
    A state missing from `moves` (or mapped to nothing) is final."""

    model: type[models.Model]
    moves: Mapping[str, Collection[str]]
    noun: str  # what the record is called in messages: "个人账户", "缴款单"
    field: str = "state"
    _labels: dict[str, str] = dataclasses.field(default_factory=dict, init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        choices = getattr(self.model._meta.get_field(self.field), "choices", None) or []
        self._labels.update({str(value): str(label) for value, label in choices})
        unknown = {s for s in [*self.moves, *(t for ts in self.moves.values() for t in ts)] if s not in self._labels}
        if unknown:
            raise ValueError(f"{self.model.__name__}.{self.field} 的状态表含未知状态：{sorted(unknown)}")

    def allows(self, old: str, new: str) -> bool:
        return new in self.moves.get(old, ())

    def label(self, state: str) -> str:
        return self._labels.get(state, state)

    def refusal(self, old: str, new: str, verb: str = "") -> ValidationError:
        doing = verb or f"变为“{self.label(new)}”"
        return ValidationError({self.field: [f"{self.noun}状态为“{self.label(old)}”，不能{doing}"]}, code="invalid_move")


def move_status(
    obj: models.Model, to: str, *, table: MoveTable, action: str, actor: Any = None, expect: str | None = None,
    verb: str = "", note: Mapping[str, Any] | None = None, was: Mapping[str, Any] | None = None, reason: str = "",
    **fields: Any,
) -> str:
    """Move `obj`'s status to `to` and return the state it left.

    `expect`: the state the caller decided from (default: what `obj` holds). Refused by the table →
    ValidationError naming the state (`verb` says what was attempted: "封存"); moved by someone else since →
    `StaleStatus`. `fields` are written in the same UPDATE; `note` goes into the audit event's new values and
    `was` into its old ones (what else the move changed, as it stood before)."""
    old = expect if expect is not None else getattr(obj, table.field)
    if not table.allows(old, to):
        raise table.refusal(old, to, verb)
    if type(obj)._default_manager.filter(pk=obj.pk, **{table.field: old}).update(**{table.field: to}, **fields) != 1:
        raise StaleStatus({table.field: [f"{table.noun}状态已被他人更改，请刷新后重试"]}, code="stale")
    setattr(obj, table.field, to)
    for name, value in fields.items():
        setattr(obj, name, value)
    StatusChange.objects.create(
        subject_type=ContentType.objects.get_for_model(obj), subject_id=obj.pk, field=table.field, old=old, new=to,
        action=action, actor=actor if getattr(actor, "pk", None) else None,
    )
    audit_log(actor=actor, action=action, target=obj, old={**(was or {}), table.field: old}, new={table.field: to, **(note or {})},
              reason=reason)
    for listener in _MOVE_LISTENERS.values():
        listener(obj, old, to, actor)
    return old


def status_history(obj: models.Model) -> QuerySet[StatusChange]:
    """Every move of `obj`'s status fields, oldest first."""
    return StatusChange.objects.filter(
        subject_type=ContentType.objects.get_for_model(obj), subject_id=obj.pk
    ).select_related("actor").order_by("id")
