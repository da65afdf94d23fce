"""Gates a payment passes before its attempt goes to the bank. Code outside the core registers them (risk: a
payment whose business has an open 底线红线 audit hit is held), so the core never imports it.

A gate is `fn(payment) -> str | None`: the Chinese reason to hold the payment, or None to let it go. It runs
outside any transaction (it may screen the payment's business first) and must be cheap when it has nothing
to say: the 秒批 payout passes through it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

PaymentGate = Callable[[Any], "str | None"]

_GATES: dict[str, PaymentGate] = {}


def register_payment_gate(name: str, fn: PaymentGate) -> None:
    """Register (or replace, by name) one gate."""
    _GATES[name] = fn


def payment_hold_reason(payment: Any) -> str | None:
    """The first gate's reason to hold `payment`, or None when every gate lets it go."""
    for fn in _GATES.values():
        reason = fn(payment)
        if reason:
            return reason[:200]
    return None
