"""Reading deposits, always through the user's scope (404 for forbidden and missing), by topic: accounts,
opening requests, merges, bills, transfers. Callers import from here."""

from .accounts import (
    member_account_get_for_holder_or_staff,
    member_account_get_for_user,
    member_accounts_for_holder_or_staff,
    member_accounts_for_user,
    member_accounts_search,
    member_own_account,
    member_statement,
    operator_unit_account,
    unit_account_get_for_user,
    unit_accounts_for_user,
    unit_ratio_change_on,
    unit_ratios_on,
)
from .merge import (
    CLOSED_STATES,
    DuplicateRow,
    duplicate_accounts_for_user,
    merges_for_user,
    person_accounts_for_user,
)
from .opening import unit_opening_request_get_for_user, unit_opening_requests_for_user
from .remittance import bill_get_for_user, bills_for_user
from .transfer import pending_letters_for_user

__all__ = [
    "CLOSED_STATES", "DuplicateRow", "bill_get_for_user", "bills_for_user", "duplicate_accounts_for_user",
    "member_account_get_for_holder_or_staff", "member_account_get_for_user", "member_accounts_for_holder_or_staff",
    "member_accounts_for_user", "member_accounts_search", "member_own_account", "member_statement", "merges_for_user",
    "operator_unit_account",
    "pending_letters_for_user", "person_accounts_for_user", "unit_account_get_for_user", "unit_accounts_for_user",
    "unit_opening_request_get_for_user", "unit_opening_requests_for_user", "unit_ratio_change_on", "unit_ratios_on",
]
