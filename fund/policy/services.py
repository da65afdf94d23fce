"""Changing policy: schedule a value from a future date, withdraw one not yet in force, seed defaults.

A change is never retroactive: the earliest date a new value may take effect is tomorrow (business done
today was done under today's value). Only a centre-wide director may change policy; every change leaves
an audit row.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from fund.audit.services import audit_log
from fund.validation import CONTROL

from .definitions import BY_NAME, DEFINITIONS, PolicyDefinition, PolicyScalar
from .models import PolicyValue
from .selectors import policy_can_manage, policy_definition_get, policy_row_in_force

NOTE_MAX = 200


def _require_manager(actor: Any) -> None:
    if not policy_can_manage(actor):
        raise PermissionDenied("只有全中心范围的分管副主任/主任可以调整政策参数")


def _partner_errors(definition: PolicyDefinition, value: PolicyScalar, on: date) -> list[str]:
    """A lower bound may not exceed its upper bound (and vice versa) on the date the value takes effect."""
    errors = []
    for partner_name, must_be_lower in ((definition.not_above, True), (definition.not_below, False)):
        if not partner_name:
            continue
        partner = BY_NAME[partner_name]
        row = policy_row_in_force(partner_name, on)
        if row is None:
            continue
        other = partner.from_stored(row.number, row.text)
        # Only numbers have partners (definitions pair numeric bounds); PolicyScalar also allows text.
        if must_be_lower and value > other:  # type: ignore[operator]
            errors.append(f"{definition.label}不能高于同日生效的{partner.label}（{partner.display(other)}）")
        if not must_be_lower and value < other:  # type: ignore[operator]
            errors.append(f"{definition.label}不能低于同日生效的{partner.label}（{partner.display(other)}）")
    return errors


def policy_value_set(
    *, name: str, value: object, effective_from: date | None, note: str, actor: Any
) -> PolicyValue:
    """Schedule `value` for policy `name` from `effective_from` (tomorrow or later).

    `value` is in stored units (percentages as fractions: "0.021" for 2.10 %). Raises PermissionDenied for
    anyone but a centre-wide director, PolicyUnknown for an unknown name, and ValidationError with a dict
    of field → Chinese messages for a bad value, date or note; nothing is written when it raises.
    """
    _require_manager(actor)
    definition = policy_definition_get(name)
    errors: dict[str, list[str]] = {}
    parsed: PolicyScalar | None = None
    try:
        parsed = definition.parse(value)
    except ValueError as exc:
        errors.setdefault("value", []).append(str(exc))

    tomorrow = timezone.localdate() + timedelta(days=1)
    if not isinstance(effective_from, date):
        errors.setdefault("effective_from", []).append("请填写生效日期")
    elif effective_from < tomorrow:
        errors.setdefault("effective_from", []).append(
            f"生效日期不能早于 {tomorrow:%Y-%m-%d}：政策调整不溯及既往，最早次日生效"
        )
    elif _live_row_on(definition.name, effective_from) is not None:
        errors.setdefault("effective_from", []).append(
            f"{effective_from:%Y-%m-%d} 已安排了{definition.label}的新值；如需更正，请先撤回该值"
        )

    note = (note or "").strip()
    if not note:
        errors.setdefault("note", []).append("请填写调整依据（政策文件文号或原因）")
    elif len(note) > NOTE_MAX:
        errors.setdefault("note", []).append(f"调整依据不能超过 {NOTE_MAX} 个字")
    elif CONTROL.search(note):  # a document number on one line, as the policy table prints it
        errors.setdefault("note", []).append("调整依据不能含有换行、制表符等控制字符")

    if parsed is not None and isinstance(effective_from, date) and "effective_from" not in errors:
        for message in _partner_errors(definition, parsed, effective_from):
            errors.setdefault("value", []).append(message)
    if errors:
        raise ValidationError(errors)
    assert parsed is not None and isinstance(effective_from, date)

    number, text = definition.to_stored(parsed)
    with transaction.atomic(durable=True):
        previous = policy_row_in_force(definition.name, effective_from)
        try:
            with transaction.atomic():
                row = PolicyValue.objects.create(
                    name=definition.name, number=number, text=text, effective_from=effective_from, note=note,
                    created_by=actor,
                )
        except IntegrityError as exc:
            # Another director scheduled the same date a moment ago.
            raise ValidationError(
                {"effective_from": [f"{effective_from:%Y-%m-%d} 已安排了{definition.label}的新值；如需更正，请先撤回该值"]}
            ) from exc
        audit_log(
            actor=actor,
            action="policy.value.scheduled",
            target=row,
            old={"value": previous.display, "effective_from": previous.effective_from} if previous else None,
            new={"name": row.name, "value": row.display, "stored": str(number if number is not None else text),
                 "effective_from": row.effective_from},
            reason=note,
        )
    return row


def _live_row_on(name: str, day: date) -> PolicyValue | None:
    return PolicyValue.objects.filter(name=name, effective_from=day, withdrawn_at__isnull=True).first()


def policy_value_withdraw(*, value_id: int, reason: str, actor: Any, name: str | None = None) -> PolicyValue:
    """Withdraw a scheduled value that is not yet in force (effective from tomorrow or later).

    When `name` is given the row must belong to that policy. Raises PermissionDenied, PolicyUnknown,
    PolicyValue.DoesNotExist, or ValidationError with field messages.
    """
    _require_manager(actor)
    lookup: dict[str, Any] = {"pk": value_id}
    if name is not None:
        lookup["name"] = policy_definition_get(name).name
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ["请填写撤回原因"]})
    if len(reason) > NOTE_MAX:
        raise ValidationError({"reason": [f"撤回原因不能超过 {NOTE_MAX} 个字"]})
    if CONTROL.search(reason):
        raise ValidationError({"reason": ["撤回原因不能含有换行、制表符等控制字符"]})
    with transaction.atomic(durable=True):
        row = PolicyValue.objects.select_for_update().get(**lookup)
        if row.withdrawn_at is not None:
            raise ValidationError({"detail": ["该值已撤回"]})
        if row.effective_from <= timezone.localdate():
            raise ValidationError({"detail": ["该值已经生效，不能撤回；如需调整，请安排新的值"]})
        now = timezone.now()
        updated = PolicyValue.objects.filter(pk=row.pk, withdrawn_at__isnull=True).update(
            withdrawn_at=now, withdrawn_by=actor, withdraw_reason=reason
        )
        if updated != 1:
            raise ValidationError({"detail": ["该值已撤回"]})
        row.refresh_from_db()
        audit_log(
            actor=actor,
            action="policy.value.withdrawn",
            target=row,
            old={"value": row.display, "effective_from": row.effective_from},
            new={"withdrawn_at": now},
            reason=reason,
        )
    return row


def policy_defaults_seed(*, model: Any = None) -> int:
    """Write every definition's SPEC default that is not there yet; return how many rows were written.

    Idempotent: a default is skipped when a live row already exists for its name and date. `model` lets a
    data migration pass its historical model.
    """
    model = model or PolicyValue
    # One read of what is there, not a query per default: tests seed again before each test that needs it.
    live = set(model.objects.filter(withdrawn_at__isnull=True).values_list("name", "effective_from"))
    written = 0
    for definition in DEFINITIONS:
        for seed in definition.seeds:
            if (definition.name, seed.effective_from) in live:
                continue
            number, text = definition.to_stored(definition.parse(seed.value))
            model.objects.create(
                name=definition.name, number=number, text=text, effective_from=seed.effective_from, note=seed.note
            )
            written += 1
    return written

