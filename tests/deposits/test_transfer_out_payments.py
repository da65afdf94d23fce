"""A platform letter's funds through fund.payments (purpose deposits.transfer_out): Dr 231 / Cr 101 once under
a retried task and a resent reference; once the payment is paid — by whoever applied the bank's answer — the
transfer goes on to report its funds to the platform; a refusal goes to people (no automatic retry) and 财务
retries it from the 付款管理 page under the transfer's reference + R01."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from deposits.models import CrossRegionTransfer
from deposits.services.transfer import (
    transfer_out_letter_execute,
    transfer_out_letters_fetch,
    transfer_out_sync,
)
from fund.integrations.models import (
    PaymentStatus,
    SandboxBankAccount,
    SandboxBankPayment,
    SandboxIncomingLetter,
    TransferStatus,
)
from fund.integrations.transfer import sandbox_incoming_letter
from fund.ledger.models import JournalEntry
from fund.ledger.selectors import ledger_reconcile
from fund.payments.models import AttemptStatus, Payment, PaymentState
from fund.payments.services import attempt_send, payment_retry, payments_poll, payments_retry_due
from fund.payments.tasks import payment_send_task

pytestmark = pytest.mark.django_db

CENTRE = "上海市住房公积金管理中心"
CENTRE_ACCOUNT = "31001500100056000000"


def _executed(world, account, capture, **bank_flags):
    """A sealed account with money, its letter fetched and executed (the payout sent after commit)."""
    letter = sandbox_incoming_letter(id_number=account.person.id_number, name=account.person.name,
                                     to_centre=CENTRE, to_centre_account=CENTRE_ACCOUNT, to_account_number="SH0001")
    transfer_out_letters_fetch()
    transfer = CrossRegionTransfer.objects.get(letter_number=letter.letter_number)
    SandboxBankAccount.objects.filter(account_number=CENTRE_ACCOUNT).update(**bank_flags)
    with capture(execute=True):
        transfer_out_letter_execute(actor=world.clerk, transfer=transfer)
    return CrossRegionTransfer.objects.get(pk=transfer.pk)


def test_a_held_payout_is_paid_once_and_then_the_transfer_reports_its_funds(
    world, sealed_with_money, django_capture_on_commit_callbacks
):
    transfer = _executed(world, sealed_with_money, django_capture_on_commit_callbacks, hold_payouts=True)
    payment = transfer.payout_payment
    total = transfer.principal + transfer.interest
    assert (payment.purpose, payment.debit_account, payment.credit_account, payment.business_type, payment.amount) == (
        "deposits.transfer_out", "231", "101", "GJ07", total)
    assert payment.state == PaymentState.PENDING and transfer.funds_entry is None
    assert transfer.funds_reported_at is None and transfer.status == TransferStatus.LETTER_ACCEPTED
    [attempt] = payment.attempts.all()
    assert attempt.reference == transfer.reference

    # The bank settles; the poll applies it, and the transfer goes on to report its funds by itself.
    SandboxBankPayment.objects.filter(reference=attempt.reference).update(status=PaymentStatus.SUCCEEDED,
                                                                          finished_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        assert payments_poll(now=timezone.now() + timedelta(minutes=2)) == 1
    transfer = CrossRegionTransfer.objects.get(pk=transfer.pk)
    assert transfer.status == TransferStatus.ACCOUNT_REVIEWED and transfer.funds_reported_at is not None
    row = SandboxIncomingLetter.objects.get(letter_number=transfer.letter_number)
    assert row.funds_bank_serial == transfer.funds_bank_serial != ""

    # A retried task, a resent reference, the schedule: paid and posted once.
    for _ in range(2):
        payment_send_task.apply(args=[attempt.pk]).get()
    attempt_send(attempt_id=attempt.pk)
    transfer_out_sync()
    assert SandboxBankPayment.objects.filter(account_number=CENTRE_ACCOUNT).count() == 1
    assert JournalEntry.objects.filter(idempotency_key=f"payments.paid:{attempt.reference}").count() == 1
    assert ledger_reconcile() == []


def test_a_refused_payout_goes_to_people_and_finance_retries_it_from_the_payments_page(
    world, finance, sealed_with_money, django_capture_on_commit_callbacks
):
    transfer = _executed(world, sealed_with_money, django_capture_on_commit_callbacks, fail_payouts=True)
    payment = transfer.payout_payment
    assert payment.state == PaymentState.HANDED_OFF and transfer.payout_failure == payment.failure != ""
    assert payments_retry_due(now=timezone.now() + timedelta(days=30)) == 0
    transfer_out_sync()
    assert SandboxBankPayment.objects.count() == 1
    with pytest.raises(ValidationError):  # nobody asked: the schedule never retries it
        payment_retry(payment_id=payment.pk, force=True)

    SandboxBankAccount.objects.filter(account_number=CENTRE_ACCOUNT).update(fail_payouts=False)
    client = Client()
    client.force_login(finance)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/staff/payments/{payment.pk}/retry/").status_code == 302
    transfer = CrossRegionTransfer.objects.get(pk=transfer.pk)
    assert transfer.funds_entry is not None and transfer.payout_failure == "" and transfer.payout_attempt == 1
    assert transfer.status == TransferStatus.ACCOUNT_REVIEWED  # reported after the payment, without the schedule
    assert [(a.reference, a.status) for a in Payment.objects.get(pk=payment.pk).attempts.all()] == [
        (transfer.reference, AttemptStatus.FAILED), (f"{transfer.reference}R01", AttemptStatus.SUCCEEDED)]
    assert sorted(transfer.funds_entry.lines.values_list("account__code", "debit", "credit")) == [
        ("101", Decimal("0.00"), transfer.principal + transfer.interest),
        ("231", transfer.principal + transfer.interest, Decimal("0.00"))]
    assert "异地转出划款" in client.get("/staff/payments/").content.decode()
    assert ledger_reconcile() == []
