"""Two (or twenty) appliers of the same bank answer at once: the payment is settled, posted and its business
told once."""

from unittest import mock

import pytest

from fund.integrations import entrusted_bank
from fund.ledger.models import JournalEntry
from fund.payments.models import AttemptStatus, Payment, PaymentAttempt, PaymentState
from fund.payments.services import attempt_apply
from tests.deposits.test_concurrency import race
from tests.payments.support import bank_account, pay, reset

pytestmark = pytest.mark.django_db(transaction=True)


def test_appliers_racing_with_the_same_answer_settle_it_once(world):
    calls = reset()
    bank_account()
    with mock.patch("fund.payments.services._send_after_commit"):
        attempt = pay(world.branch_a)
    answer = entrusted_bank().payout(card_number=attempt.payee_account, name=attempt.payee_name,
                                     amount=attempt.amount, reference=attempt.reference)
    entries = JournalEntry.objects.count()
    results = race(10, lambda i: attempt_apply(attempt_id=attempt.pk, answer=answer))
    assert all(isinstance(r, PaymentAttempt) for r in results), [r for r in results if not isinstance(r, PaymentAttempt)]
    assert PaymentAttempt.objects.get(pk=attempt.pk).status == AttemptStatus.SUCCEEDED
    assert Payment.objects.get(pk=attempt.payment_id).state == PaymentState.PAID
    assert JournalEntry.objects.count() == entries + 1 and calls.paid == [attempt.reference]
