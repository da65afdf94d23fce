"""Races against the real database: threads, each with its own connection, committing for real."""

import threading
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from deposits.models import MemberAccount, MonthlyDeposit
from deposits.services import monthly_deposit_post
from fund.demo import make_id_number
from fund.ledger.models import JournalEntry
from fund.ledger.selectors import ledger_reconcile
from tests.conftest import open_member

pytestmark = pytest.mark.django_db(transaction=True)


def race(n: int, work: Callable[[int], Any]) -> list[Any]:
    """Run `work(i)` in n threads released together; return each result or the exception it raised."""
    barrier = threading.Barrier(n)
    results: list[Any] = [None] * n

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = work(i)
        except Exception as exc:  # noqa: BLE001 — the test inspects what each thread met
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)  # only stops a deadlocked run from hanging; a loaded machine just takes longer
    assert not any(thread.is_alive() for thread in threads), "a racing thread was still running after 300 s"
    return results


def test_clerks_posting_the_same_month_at_once_post_it_once(world):
    results = race(6, lambda i: monthly_deposit_post(
        actor=world.clerk, account=world.account_a, month=date(2025, 2, 1), value_date=date(2025, 2, 15)))
    assert all(isinstance(r, tuple) for r in results), results
    assert sorted(created for _, created in results) == [False] * 5 + [True]
    assert MonthlyDeposit.objects.count() == 1 and JournalEntry.objects.filter(business_type="GJ01").count() == 1
    assert MemberAccount.objects.get(pk=world.account_a.pk).sub_account.balance == Decimal("1920.00")
    assert ledger_reconcile() == []


def test_opening_the_same_new_person_twice_at_once_opens_one_account(world):
    id_number = make_id_number(birth=date(1988, 8, 8), seq=88)
    units = [world.unit_a, world.unit_a, world.unit_a, world.unit_a]
    results = race(4, lambda i: open_member(world.clerk, units[i], 88, id_number=id_number, name="并发职工"))
    accounts = [r for r in results if isinstance(r, MemberAccount)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(accounts) == 1 and len(refused) == 3, results
    assert all("一人只能有一个账户" in r.message_dict["id_number"][0] for r in refused)
    assert MemberAccount.objects.filter(person__id_number=id_number).count() == 1
