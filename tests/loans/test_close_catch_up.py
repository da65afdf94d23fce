"""The loan steps through the close's runner (fund.close): a three-day outage is caught up once per date, in
order — the failed debit asked again each day within the retry days — and a second catch-up does nothing; the
next day's close, once the card holds the money, collects and posts it once."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from fund.close.models import CloseRunState
from fund.close.services import close_catch_up
from fund.integrations.models import SandboxBankAccount, SandboxBankPayment
from fund.ledger.selectors import ledger_reconcile
from loans.models import CollectionBatch, CollectionItem, Instalment, Repayment
from tests import clock
from tests.close.conftest import closed

pytestmark = pytest.mark.django_db


def test_a_three_day_outage_runs_the_loan_steps_once_per_date_in_order_and_the_debit_is_paid_once(ln: Any) -> None:
    with clock.travel_to(date(2026, 4, 22)):
        loan = ln.active_loan(card_balance="10.00")
        closed(date(2026, 4, 19))  # then the machine was down on the 20th, 21st and 22nd
        runs = close_catch_up(today=date(2026, 4, 22))
        assert [(r.business_date, r.state) for r in runs] == [
            (date(2026, 4, d), CloseRunState.DONE) for d in (20, 21, 22)]
        items = CollectionItem.objects.filter(loan=loan).order_by("batch__business_date")
        assert [(i.batch.business_date, i.state) for i in items] == [
            (date(2026, 4, d), "failed") for d in (20, 21, 22)]
        assert close_catch_up(today=date(2026, 4, 22)) == []
        assert CollectionBatch.objects.count() == 3
        loan.refresh_from_db()
        assert (loan.overdue_since, loan.periods_overdue, loan.days_overdue) == (date(2026, 4, 20), 1, 2)

    SandboxBankAccount.objects.filter(account_number=loan.repayment_card).update(balance=Decimal("5000.00"))
    with clock.travel_to(date(2026, 4, 23)):
        (run,) = close_catch_up(today=date(2026, 4, 23))
        assert run.state == CloseRunState.DONE
    first = Instalment.objects.get(loan=loan, number=1)
    repayment = Repayment.objects.get(loan=loan)
    # three days' penalty: 954.36 × 2.6 % × 1.5 ÷ 360 × 3 = 0.31
    assert (first.state, repayment.penalty, repayment.value_date) == ("paid", Decimal("0.31"), date(2026, 4, 23))
    assert SandboxBankPayment.objects.filter(account_number=loan.repayment_card, status="succeeded").count() == 1
    loan.refresh_from_db()
    assert (loan.overdue_since, loan.periods_overdue, loan.days_overdue, loan.periods_overdue_total) == (
        None, 0, 0, 1)
    assert ledger_reconcile() == []
