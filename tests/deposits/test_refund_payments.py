"""The 错缴更正 refund through fund.payments (purpose deposits.correction_refund): Dr 231 / Cr 101 once under a
resent reference and a retried task; a held refund polled until the bank settles it; a refusal goes to people
at once (no automatic retry), and 财务 — never the person who made the correction — retries it from the
付款管理 page under TK…R01."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from deposits.models import RefundState, RemittanceCorrection
from deposits.services.remittance import (
    correction_refund,
)
from fund.integrations.models import PaymentStatus, SandboxBankAccount, SandboxBankPayment
from fund.ledger.models import JournalEntry
from fund.ledger.selectors import ledger_reconcile
from fund.payments.models import AttemptStatus, Payment, PaymentState
from fund.payments.services import attempt_send, payment_retry, payments_poll, payments_retry_due
from fund.payments.tasks import payment_send_task

pytestmark = pytest.mark.django_db


def _bank(world, **flags):
    SandboxBankAccount.objects.filter(account_number=world.unit_a.bank_account).update(**flags)


def test_a_refund_is_one_payment_from_231_paid_once_however_often_it_is_sent(world, finance, correction):
    _bank(world, hold_payouts=True)
    held = correction_refund(actor=finance, correction=correction)
    assert held.refund_state == RefundState.AWAITING and "银行处理中" in held.refund_failure
    payment = held.refund_payment
    assert (payment.purpose, payment.debit_account, payment.credit_account, payment.business_type, payment.amount) == (
        "deposits.correction_refund", "231", "101", "GJ99", correction.amount)
    assert (payment.payee_account, payment.branch) == (world.unit_a.bank_account, world.branch_a)
    [attempt] = payment.attempts.all()
    assert attempt.reference == f"TK{correction.pk:010d}" and attempt.actor == finance

    # The bank settles; the task retried, the reference resent, the poll and the page's button all run again.
    SandboxBankPayment.objects.filter(reference=attempt.reference).update(status=PaymentStatus.SUCCEEDED,
                                                                          finished_at=timezone.now())
    assert payments_poll(now=timezone.now() + timedelta(minutes=2)) == 1
    for _ in range(2):
        payment_send_task.apply(args=[attempt.pk]).get()
    attempt_send(attempt_id=attempt.pk)
    done = correction_refund(actor=finance, correction=correction)
    assert done.refund_state == RefundState.REFUNDED and done.refunded_by == finance and done.refunded_at
    assert done.refund_entry.idempotency_key == f"payments.paid:{attempt.reference}"
    assert JournalEntry.objects.filter(idempotency_key__startswith="payments.paid:TK").count() == 1
    assert SandboxBankPayment.objects.filter(kind="payout").count() == 1
    assert ledger_reconcile() == []


def test_a_refused_refund_goes_to_people_and_finance_retries_it_from_the_payments_page(
    world, finance, correction, django_capture_on_commit_callbacks
):
    _bank(world, fail_payouts=True)
    correction_refund(actor=finance, correction=correction)
    payment = Payment.objects.get(purpose="deposits.correction_refund")
    assert payment.state == PaymentState.HANDED_OFF and payment.retry_after is None and payment.failure
    assert payments_retry_due(now=timezone.now() + timedelta(days=30)) == 0  # nobody's account was put right yet

    # Not the person who made the correction, even a director, even from the payments page.
    RemittanceCorrection.objects.filter(pk=correction.pk).update(corrected_by=world.director)
    with pytest.raises(ValidationError, match="办理错缴更正的人员"):
        payment_retry(payment_id=payment.pk, actor=world.director, force=True)
    assert payment.attempts.count() == 1

    _bank(world, fail_payouts=False)
    client = Client()
    client.force_login(finance)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/staff/payments/{payment.pk}/retry/").status_code == 302
    done = RemittanceCorrection.objects.get(pk=correction.pk)
    assert done.refund_state == RefundState.REFUNDED and done.refunded_by == finance
    assert [(a.reference, a.status) for a in Payment.objects.get(pk=payment.pk).attempts.all()] == [
        (f"TK{correction.pk:010d}", AttemptStatus.FAILED), (f"TK{correction.pk:010d}R01", AttemptStatus.SUCCEEDED)]
    page = client.get("/staff/payments/").content.decode()
    assert "错缴更正退款" in page and f"TK{correction.pk:010d}R01" in page
    assert ledger_reconcile() == []
