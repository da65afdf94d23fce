"""Posting races against the real database: threads with their own connections, committing for real."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from deposits.models import BillState, MemberAccount, MonthlyDeposit, PaymentChannel, RemittanceBill
from deposits.services.remittance import bill_confirm, bill_generate, bill_post
from fund.ledger.models import JournalEntry
from fund.ledger.selectors import ledger_reconcile
from tests.deposits.test_concurrency import race

pytestmark = pytest.mark.django_db(transaction=True)


def _confirmed(world, month):
    bill = bill_generate(actor=world.unit_a_op, unit=world.unit_a, month=month)
    return bill_confirm(actor=world.unit_a_op, bill=bill)


def test_the_same_receipt_posted_by_several_clerks_at_once_posts_once(world, reference_data):
    bill = _confirmed(world, date(2025, 2, 1))
    results = race(5, lambda i: bill_post(
        bill=bill, bank_reference="SLIP-RACE", channel=PaymentChannel.COUNTER, actor=world.clerk))
    assert all(isinstance(r, tuple) for r in results), results
    assert sorted(created for _, created in results) == [False] * 4 + [True]
    assert JournalEntry.objects.filter(business_type="GJ01").count() == 1
    assert MonthlyDeposit.objects.count() == 1
    assert MemberAccount.objects.get(pk=world.account_a.pk).sub_account.balance == Decimal("1920.00")
    assert RemittanceBill.objects.get(pk=bill.pk).state == BillState.PAID
    assert ledger_reconcile() == []


def test_one_receipt_raced_onto_two_bills_pays_only_one(world, reference_data):
    bills = [_confirmed(world, date(2025, 2, 1)), _confirmed(world, date(2025, 3, 1))]
    results = race(2, lambda i: bill_post(
        bill=bills[i], bank_reference="SLIP-SHARED", channel=PaymentChannel.COUNTER, actor=world.clerk))
    assert sum(isinstance(r, tuple) and r[1] for r in results) == 1, results
    assert sum(isinstance(r, ValidationError) for r in results) == 1
    assert RemittanceBill.objects.filter(state=BillState.PAID).count() == 1
    assert JournalEntry.objects.filter(business_type="GJ01").count() == 1
    assert ledger_reconcile() == []
