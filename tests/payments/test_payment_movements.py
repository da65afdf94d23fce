"""A purpose whose paid entry debits a control account (a loan disbursement: Dr 委托贷款 111 / Cr 101) names the
sub-ledger movement, and the payments service posts it in the same entry as the bank credit, once however often
the answer comes."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from fund.ledger import chart
from fund.ledger.models import BusinessType, JournalEntry, SubAccount, SubLedgerRow
from fund.ledger.selectors import ledger_reconcile
from fund.ledger.services import Movement, sub_account_open
from fund.payments.models import AttemptStatus, Payment, PaymentState
from fund.payments.purposes import Purpose, register_purpose
from fund.payments.services import attempt_send, payment_create
from fund.payments.tasks import payment_send_task
from tests.payments.support import ACCOUNT, NAME, bank_account

pytestmark = pytest.mark.django_db

CODE = "tests.lend"
SUBS: dict[int, int] = {}  # payment subject (a branch) → the sub-account its payment lends into


def _movements(payment: Any, attempt: Any) -> list[Movement]:
    return [Movement(SUBS[payment.subject_id], attempt.amount, summary=f"发放 {attempt.reference}")]


register_purpose(Purpose(code=CODE, label="测试放款", debit_account=chart.LOANS, movements=_movements))
register_purpose(Purpose(code="tests.lend_unmoved", label="测试放款（无明细）", debit_account=chart.LOANS))


def _lend(subject: Any, purpose: str = CODE, reference: str = "LEND0001") -> Any:
    SUBS[subject.pk] = sub_account_open(control_code=chart.LOANS, number=f"T{reference}", name="借款人",
                                        opened_on=date(2026, 1, 5)).pk
    return payment_create(
        purpose=purpose, subject=subject, subject_label="测试放款", amount=Decimal("300000.00"), payee_account=ACCOUNT,
        payee_name=NAME, reference=reference, business_type=BusinessType.DK_DISBURSE, ledger_reference="tests.lend",
        memo="测试放款", branch=subject, send=False,
    )


def test_the_paid_entry_carries_the_purposes_sub_ledger_movement_once(world):
    bank_account()
    attempt = _lend(world.branch_a)
    for _ in range(3):
        assert payment_send_task.apply(args=[attempt.pk]).get() == AttemptStatus.SUCCEEDED
    attempt_send(attempt_id=attempt.pk)
    entry = JournalEntry.objects.get(idempotency_key="payments.paid:LEND0001")
    assert sorted(entry.lines.values_list("account__code", "debit", "credit")) == [
        ("101", Decimal("0.00"), Decimal("300000.00")), ("111", Decimal("300000.00"), Decimal("0.00"))]
    row = SubLedgerRow.objects.get(entry=entry)
    assert row.sub_account_id == SUBS[world.branch_a.pk] and row.amount == Decimal("300000.00")
    assert SubLedgerRow.objects.filter(sub_account_id=SUBS[world.branch_a.pk]).count() == 1
    assert SubAccount.objects.get(pk=SUBS[world.branch_a.pk]).balance == Decimal("300000.00")
    assert ledger_reconcile() == []


def test_a_purpose_on_a_control_account_without_movements_is_never_paid_in_the_books(world):
    """Without the hook the entry would leave 111 out of step with its loans: the posting refuses, nothing is
    settled, and the attempt stays pending for the poll (a bug to fix, never books that disagree)."""
    from fund.ledger.services import PostingError

    bank_account()
    attempt = _lend(world.branch_a, purpose="tests.lend_unmoved", reference="LEND0002")
    with pytest.raises(PostingError):
        attempt_send(attempt_id=attempt.pk)
    assert Payment.objects.get(pk=attempt.payment_id).state == PaymentState.PENDING
    assert not JournalEntry.objects.filter(idempotency_key="payments.paid:LEND0002").exists()
    assert ledger_reconcile() == []
