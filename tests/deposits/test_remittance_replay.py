"""A repeated 委托收款 of one bill answers with the bill as paid, even when the first payment commits while the
repeat is between reading the bill and checking its members' months: the months the bill itself has just paid
are not "paid some other way"."""

from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import ValidationError

from deposits.models import BillState, MonthlyDeposit
from deposits.services import monthly_deposit_post, remittance
from deposits.services.remittance import bill_pay_by_collection
from fund.integrations.models import SandboxBankPayment
from fund.ledger.selectors import ledger_reconcile
from tests.deposits.test_remittance import bank_account_for, confirmed_bill

pytestmark = pytest.mark.django_db


def test_a_repeated_collection_overtaken_by_the_first_answers_paid_not_paid_elsewhere(world):
    bank = bank_account_for(world.unit_a, "5000.00")
    bill = confirmed_bill(world)
    check_months = remittance._already_paid_lines
    overtaken: list[object] = []

    def first_commits_meanwhile(checked):
        if not overtaken:  # the repeat has read the bill as confirmed; now the first completes
            overtaken.append(None)
            overtaken[0] = bill_pay_by_collection(actor=world.unit_a_op, bill=bill)
        return check_months(checked)

    with mock.patch.object(remittance, "_already_paid_lines", first_commits_meanwhile):
        again, created = bill_pay_by_collection(actor=world.unit_a_op, bill=bill)

    [(first, first_created)] = overtaken
    assert first_created and not created and again.pk == first.pk and again.state == BillState.PAID
    assert MonthlyDeposit.objects.filter(bill_line__bill=bill).count() == 1
    assert SandboxBankPayment.objects.filter(reference=bill.number).count() == 1
    bank.refresh_from_db()
    assert bank.balance == Decimal("5000.00") - bill.total
    assert ledger_reconcile() == []


def test_it_still_refuses_a_collection_when_a_members_month_was_paid_some_other_way(world):
    bank = bank_account_for(world.unit_a, "5000.00")
    bill = confirmed_bill(world)
    monthly_deposit_post(actor=world.clerk, account=world.account_a, month=bill.month)  # at the counter, alone
    with pytest.raises(ValidationError) as err:
        bill_pay_by_collection(actor=world.unit_a_op, bill=bill)
    assert "已另行缴存" in err.value.messages[0] and world.account_a.number in err.value.messages[0]
    bank.refresh_from_db()
    assert bank.balance == Decimal("5000.00") and not SandboxBankPayment.objects.exists()
