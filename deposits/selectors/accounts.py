"""Reading unit and member accounts, always through the user's scope (404 for forbidden and missing)."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from fund.dates import first_of_month
from fund.ledger.models import SubLedgerRow
from fund.people.roles import roles_of
from fund.people.selectors import get_or_404, scoped

from ..models import MemberAccount, UnitAccount, UnitRatioChange


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


def member_accounts_search(queryset: QuerySet[MemberAccount], query: str) -> QuerySet[MemberAccount]:
    """One search box for member lists (the staff query, a unit's roster): the account number or the whole ID
    number exactly, or part of the name."""
    query = query.strip()
    if not query:
        return queryset
    return queryset.filter(Q(number=query) | Q(person__id_number=query.upper()) | Q(person__name__icontains=query))


def member_accounts_for_holder_or_staff(user: Any) -> QuerySet[MemberAccount]:
    """The accounts the user holds, and those staff see in their scope, but not the ones a unit's operator
    sees for its employer. For the person's own business (withdrawals, loans, transfers), which is theirs or
    the window's: an operator keeps the roster and the bills, but neither acts for an employee nor makes the
    centre ask outside systems about them."""
    queryset = MemberAccount.objects.select_related("person", "unit__employer", "sub_account")
    return scoped(queryset, user, branch="unit__employer__branch", person="person")


def member_account_get_for_holder_or_staff(*, user: Any, pk: Any) -> MemberAccount:
    return get_or_404(member_accounts_for_holder_or_staff(user), pk=pk)


def member_statement(account: MemberAccount) -> QuerySet[SubLedgerRow]:
    """个人明细账: the account's sub-ledger rows, newest value date first (then latest posted)."""
    return account.sub_account.rows.select_related("entry").order_by("-value_date", "-id")


def unit_ratio_change_on(unit: UnitAccount, month: date) -> UnitRatioChange | None:
    """The row of the unit's ratio history in force in `month`: the latest effective on or before it (of two
    in the same month, the one recorded later); before the first row, the first row; None with no history."""
    changes = UnitRatioChange.objects.filter(unit=unit)
    change = changes.filter(effective_month__lte=first_of_month(month)).order_by(
        "-effective_month", "-created_at", "-id").first()
    return change or changes.order_by("effective_month", "created_at", "id").first()


def unit_ratios_on(unit: UnitAccount, month: date) -> tuple[Decimal, Decimal]:
    """(unit_ratio, member_ratio) in force for the unit in `month`; a unit without history has only its
    current ratios to go by."""
    change = unit_ratio_change_on(unit, month)
    if change is None:
        return unit.unit_ratio, unit.member_ratio
    return change.unit_ratio, change.member_ratio


def operator_unit_account(user: Any) -> UnitAccount:
    """The unit account of the employer this operator acts for (单位网厅); 404 while it has none."""
    employer = roles_of(user).employer
    return unit_account_get_for_user(user=user, pk=getattr(getattr(employer, "account", None), "pk", None))


def member_own_account(user: Any) -> MemberAccount | None:
    """The member's own newest account (个人网厅) — never one they see as a unit operator or staff."""
    person_id = getattr(user, "person_id", None)
    if person_id is None:
        return None
    return member_accounts_for_user(user).filter(person_id=person_id).order_by("-opened_on", "-id").first()
