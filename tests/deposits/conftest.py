"""Fixtures the deposits payment tests share: 财务 of branch A, a 错缴更正 awaiting its refund, and a sealed
account with money for a transfer out."""

from datetime import date
from decimal import Decimal

import pytest
from django.db.models import Sum

from deposits.models import MemberAccount, MemberState, PaymentChannel, RemittanceCorrection
from deposits.services import monthly_deposit_post
from deposits.services.remittance import bill_confirm, bill_generate, bill_post, bill_reverse
from fund.integrations.models import SandboxBankAccount
from fund.ledger.models import JournalLine
from fund.people.models import Post
from fund.people.services import staff_create
from tests.conftest import PASSWORD


@pytest.fixture
def finance(world):
    return staff_create(actor=None, username="finance", name="财务甲", branch=world.branch_a, posts=[Post.FINANCE],
                        employee_number="finance", password=PASSWORD)


def _suspense() -> Decimal:
    sums = JournalLine.objects.filter(account__code="231").aggregate(d=Sum("debit"), c=Sum("credit"))
    return (sums["c"] or Decimal(0)) - (sums["d"] or Decimal(0))


@pytest.fixture
def correction(world):
    """Unit A's February bill paid at the counter, then 1920.00 of it corrected into 231 (应退单位款); the
    correction keeps `suspense_before`, what 231 held before it."""
    SandboxBankAccount.objects.update_or_create(account_number=world.unit_a.bank_account, defaults={
        "name": world.unit_a.employer.name, "balance": Decimal("0.00")})  # known since the unit opened
    bill = bill_confirm(actor=world.unit_a_op,
                        bill=bill_generate(actor=world.unit_a_op, unit=world.unit_a, month=date(2025, 2, 1)))
    bill, _ = bill_post(bill=bill, bank_reference="SLIP-1", channel=PaymentChannel.COUNTER, actor=world.clerk)
    before = _suspense()
    bill_reverse(actor=world.clerk, bill=bill, reason="职工已离职仍被缴存", accounts=[world.account_a])
    [c] = RemittanceCorrection.objects.all()
    assert c.amount == Decimal("1920.00") and _suspense() == before + c.amount
    c.suspense_before = before
    return c


@pytest.fixture
def sealed_with_money(world) -> MemberAccount:
    """Member A's account with February's deposit in it, sealed (as a member leaving the city has it)."""
    monthly_deposit_post(actor=world.clerk, account=world.account_a, month=date(2025, 2, 1), value_date=date(2025, 2, 15))
    MemberAccount.objects.filter(pk=world.account_a.pk).update(state=MemberState.SEALED)
    return MemberAccount.objects.get(pk=world.account_a.pk)
