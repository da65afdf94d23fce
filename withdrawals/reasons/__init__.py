"""Every withdrawal reason of SPEC §2.2, each defined once in one of these modules (see `base.Reason`)."""

from __future__ import annotations

from fund.catalogue.registry import register_item

from . import closing, hardship, purchase, repayment
from .base import Context, Input, Limit, Reason, Rule, Verdict, door_refusals, run_rule

_ALL: tuple[Reason, ...] = (*purchase.REASONS, *closing.REASONS, *repayment.REASONS, *hardship.REASONS)
REASONS: dict[str, Reason] = {r.key: r for r in sorted(_ALL, key=lambda r: (r.code, r.item.order))}


def reason(key: str) -> Reason:
    """The reason with this key; KeyError if none."""
    return REASONS[key]


def register_catalogue() -> None:
    for r in REASONS.values():
        register_item(r.item)


__all__ = ["REASONS", "Context", "Input", "Limit", "Reason", "Rule", "Verdict", "door_refusals", "reason",
           "register_catalogue", "run_rule"]
