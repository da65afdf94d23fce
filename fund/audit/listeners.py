"""Listeners on the audit trail: code outside the core (risk's screening) learns that a business transaction
committed without the core importing it. A listener registers the action prefixes it wants; `audit_log`
queues it on the writing transaction's commit, so a rolled-back change is never seen and the business's own
transaction pays only the queueing (one `on_commit` per listener and subject, however many events it writes).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import transaction

# fn(action, target_type, target_id): target_type is the model label ("withdrawals.withdrawal"), target_id a str.
AuditListener = Callable[[str, str, str], None]


@dataclass(frozen=True)
class _Listener:
    name: str
    prefixes: tuple[str, ...]
    fn: AuditListener


_LISTENERS: dict[str, _Listener] = {}


def register_audit_listener(name: str, action_prefixes: Iterable[str], fn: AuditListener) -> None:
    """Call `fn` after commit for each event whose action starts with one of `action_prefixes`. Registering a
    name again replaces it (a reloaded app registers once)."""
    _LISTENERS[name] = _Listener(name=name, prefixes=tuple(action_prefixes), fn=fn)


def audit_listeners_notify(action: str, target_type: str, target_id: str) -> None:
    """Queue the matching listeners on commit (called by `audit_log`). Within one transaction a listener hears
    of one subject once: a submission writing three events queues one screening."""
    if not _LISTENERS:
        return
    connection = transaction.get_connection()
    for listener in _LISTENERS.values():
        if not action.startswith(listener.prefixes):
            continue
        key = (listener.name, target_type, target_id)
        # A callback for this subject already waiting on this transaction's commit (Django drops the ones of a
        # rolled-back savepoint, so this never skips a subject whose first event was undone).
        if connection.in_atomic_block and any(getattr(fn, "audit_key", None) == key
                                              for _sids, fn, _robust in connection.run_on_commit):
            continue

        def run(fn: AuditListener = listener.fn) -> None:
            fn(action, target_type, target_id)

        run.audit_key = key  # type: ignore[attr-defined]
        transaction.on_commit(run, robust=True)
