"""The risk dashboard (风险驾驶舱): one read of every risk figure as a user may see it.

Built only on the topics' read interfaces (overdue.ledger_summary, rates.rate_series / tier_counts,
hits.queue_summary, rings.rings_summary, dormant.dormant_summary), each of which scopes to the user's branch
unless the post is centre-wide; the dashboard adds nothing but who may look and the latest point of the series.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fund.people.models import Post
from fund.people.roles import roles_of

from .dormant import dormant_summary
from .hits import queue_summary
from .overdue import ledger_summary
from .rates import rate_series, tier_counts
from .rings import rings_summary

TREND_DAYS = 90


def dashboard_may_view(user: Any) -> bool:
    """风控 (their branch, or all when centre-wide) and the director."""
    if not getattr(user, "is_authenticated", False):
        return False
    roles = roles_of(user)
    return roles.has_post(Post.RISK) or roles.has_post(Post.DIRECTOR)


def dashboard_figures(user: Any, *, on: date, days: int = TREND_DAYS) -> dict[str, Any]:
    """{"on", "centre_wide", "rate": the latest point of the series or None, "series", "tiers", "ledger",
    "queue", "rings", "dormant": dormant_summary or None}"""
    series = rate_series(user, on=on, days=days)
    roles = roles_of(user)
    return {
        "on": on,
        "centre_wide": bool(roles.staff and roles.staff.centre_wide),
        "rate": series[-1] if series else None,
        "series": series,
        "tiers": tier_counts(user, on=on),
        "ledger": ledger_summary(user, on=on),
        "queue": queue_summary(user, on=on),
        "rings": rings_summary(user, on=on),
        "dormant": dormant_summary(user, on=on),
    }
