"""Services of the risk line, one module per topic."""

from fund.dates import add_years

from .blacklist import (
    LIFT_FLOW,
    blacklist_add,
    blacklist_default_until,
    blacklist_lift,
    blacklist_lift_request,
)

__all__ = ["LIFT_FLOW", "add_years", "blacklist_add", "blacklist_default_until", "blacklist_lift",
           "blacklist_lift_request"]
