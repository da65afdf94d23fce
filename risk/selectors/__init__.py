"""Read helpers of the risk line, one module per topic. Other lines reach risk only through the names
re-exported here (`blacklist_check`, and the screening entry points)."""

from .blacklist import (
    LiftRequest,
    blacklist_can_manage,
    blacklist_check,
    blacklist_entries_for_user,
    blacklist_entry_get_for_user,
    blacklist_lift_request_open,
    blacklist_sees_full_ids,
    public_units,
)
from .hits import hit_get_for_user, hits_for_user, hits_may_work, queue_summary
from .rates import classified_loans, rate_breakdown, rate_series, tier_counts, tier_history_for_user
from .tiers import tier_for_days
from .warnings import credit_notices_for_user, stopped_deposits_for_user

__all__ = [
    "LiftRequest", "blacklist_can_manage", "blacklist_check", "blacklist_entries_for_user",
    "blacklist_entry_get_for_user", "blacklist_lift_request_open", "blacklist_sees_full_ids", "public_units",
    "classified_loans", "credit_notices_for_user", "rate_breakdown", "rate_series", "stopped_deposits_for_user",
    "tier_counts", "tier_for_days", "tier_history_for_user",
    "hit_get_for_user", "hits_for_user", "hits_may_work", "queue_summary",
]
