"""Reading for merging accounts (账户合并): a person's accounts, the suspected duplicates, past merges — each
among the accounts the user may see."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet

from fund.money import ZERO

from ..models import AccountMerge, MemberAccount, MemberState
from .accounts import member_accounts_for_user

# Accounts that no longer count as a person's second account.
CLOSED_STATES = (MemberState.MERGED, MemberState.TRANSFERRED_OUT, MemberState.WITHDRAWN)


def person_accounts_for_user(*, user: Any, id_number: str) -> QuerySet[MemberAccount]:
    """Every account of the person with this ID number that `user` may see, oldest first (closed ones too)."""
    return (
        member_accounts_for_user(user).filter(person__id_number=(id_number or "").strip().upper())
        .select_related("unit__employer__branch").order_by("opened_on", "pk")
    )


@dataclass
class DuplicateRow:
    person_id: int
    id_number: str
    name: str
    accounts: list[MemberAccount]

    @property
    def balance(self) -> Decimal:
        return sum((a.sub_account.balance for a in self.accounts), ZERO)


def duplicate_accounts_for_user(user: Any, *, limit: int = 500) -> list[DuplicateRow]:
    """疑似重复账户: persons with more than one account not closed (among the accounts `user` may see)."""
    visible = member_accounts_for_user(user).exclude(state__in=CLOSED_STATES)
    persons = list(
        visible.values("person_id").annotate(n=Count("pk")).filter(n__gt=1).order_by("person_id")
        .values_list("person_id", flat=True)[:limit]
    )
    rows: dict[int, DuplicateRow] = {}
    for account in visible.filter(person_id__in=persons).select_related("unit__employer__branch").order_by(
        "person_id", "opened_on", "pk"
    ):
        row = rows.setdefault(
            account.person_id, DuplicateRow(account.person_id, account.person.id_number, account.person.name, [])
        )
        row.accounts.append(account)
    return list(rows.values())


def merges_for_user(user: Any) -> QuerySet[AccountMerge]:
    """Merges whose source account `user` may see, newest first."""
    return AccountMerge.objects.filter(source__in=member_accounts_for_user(user)).select_related(
        "source__person", "source__unit__employer", "target__unit__employer", "actor", "entry", "interest_entry"
    ).order_by("-id")
