"""The five-tier thresholds as policy, and the pure rule pages and the close share: `tier_for_days`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fund.policy.selectors import policy_day

from ..models import Tier


@dataclass(frozen=True)
class TierThresholds:
    """The first day overdue of each tier below 正常 (policy, in force on a date)."""

    attention: int
    substandard: int
    doubtful: int
    loss: int


def tier_thresholds(on: date) -> TierThresholds:
    day = policy_day(on)
    return TierThresholds(
        attention=int(day.value("risk_tier_attention_days")),
        substandard=int(day.value("risk_tier_substandard_days")),
        doubtful=int(day.value("risk_tier_doubtful_days")),
        loss=int(day.value("risk_tier_loss_days")),
    )


def tier_for_thresholds(days: int, limits: TierThresholds) -> Tier:
    if days >= limits.loss:
        return Tier.LOSS
    if days >= limits.doubtful:
        return Tier.DOUBTFUL
    if days >= limits.substandard:
        return Tier.SUBSTANDARD
    if days >= limits.attention:
        return Tier.ATTENTION
    return Tier.NORMAL


def tier_for_days(days: int, on: date) -> Tier:
    """The tier of a loan `days` overdue under the thresholds in force on `on` (the close's SQL says the same)."""
    return tier_for_thresholds(days, tier_thresholds(on))
