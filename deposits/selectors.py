"""Reading unit and member accounts, always through the user's scope (404 for forbidden and missing)."""

from typing import Any

from django.db.models import QuerySet

from fund.ledger.models import SubLedgerRow
from fund.people.selectors import get_or_404, scoped

from .models import MemberAccount, UnitAccount


def unit_accounts_for_user(user: Any) -> QuerySet[UnitAccount]:
    queryset = UnitAccount.objects.select_related("employer", "employer__branch")
    return scoped(queryset, user, branch="employer__branch", employer="employer")


def unit_account_get_for_user(*, user: Any, pk: Any) -> UnitAccount:
    return get_or_404(unit_accounts_for_user(user), pk=pk)


def member_accounts_for_user(user: Any) -> QuerySet[MemberAccount]:
    queryset = MemberAccount.objects.select_related("person", "unit__employer", "sub_account")
    return scoped(queryset, user, branch="unit__employer__branch", employer="unit__employer", person="person")


def member_account_get_for_user(*, user: Any, pk: Any) -> MemberAccount:
    return get_or_404(member_accounts_for_user(user), pk=pk)


def member_statement(account: MemberAccount) -> QuerySet[SubLedgerRow]:
    """个人明细账: the account's sub-ledger rows, newest first."""
    return account.sub_account.rows.select_related("entry").order_by("-id")
