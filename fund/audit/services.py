"""Writing the audit trail. Call inside the same transaction as the change it records."""

from typing import Any

from django.db import models

from .context import current_ip
from .listeners import audit_listeners_notify
from .models import AuditEvent, PersonView


def _jsonable(values: dict[str, Any] | None) -> dict[str, Any] | None:
    if values is None:
        return None
    out: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, models.Model):
            value = value.pk
        out[key] = value if isinstance(value, (int, float, bool, type(None), list, dict)) else str(value)
    return out


def audit_log(
    *,
    actor: Any,
    action: str,
    target: models.Model,
    old: dict[str, Any] | None = None,
    new: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditEvent:
    """Record one change. `action` is a dotted code such as "deposits.member.opened". Listeners registered for
    the action (fund.audit.listeners) hear of it after commit."""
    event = AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_repr=str(target)[:200],
        old=_jsonable(old),
        new=_jsonable(new),
        reason=reason[:500],
        ip=current_ip.get(),
    )
    audit_listeners_notify(action, event.target_type, event.target_id)
    return event


def person_viewed(*, actor: Any, person: Any, context: str) -> None:
    """Record that `actor` was shown `person`'s full record."""
    PersonView.objects.create(actor=actor, person=person, context=context[:120], ip=current_ip.get())
