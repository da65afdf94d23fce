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

__all__ = [
    "LiftRequest", "blacklist_can_manage", "blacklist_check", "blacklist_entries_for_user",
    "blacklist_entry_get_for_user", "blacklist_lift_request_open", "blacklist_sees_full_ids", "public_units",
    "hit_get_for_user", "hits_for_user", "hits_may_work", "queue_summary",
]
