"""One outgoing payment: paid once however often it is sent (a retried task, a resent reference); a refusal
puts the business's money back and the next attempt follows after the policy's back-off; after the last one
the payment goes to people; a held payment is polled until the bank settles it; 财务 see every state."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from fund.integrations.models import PaymentStatus, SandboxBankPayment
from fund.ledger.models import JournalEntry
from fund.payments.models import AttemptStatus, Payment, PaymentAttempt, PaymentState
from fund.payments.services import (
    attempt_send,
    payment_hand_off,
    payment_retry,
    payments_poll,
    payments_retry_due,
)
from fund.payments.tasks import payment_send_task
from fund.people.models import Post
from fund.people.services import staff_create
from fund.workflow.moves import status_history
from tests.conftest import PASSWORD
from tests.payments.support import ACCOUNT, CODE, bank_account, pay, reset

pytestmark = pytest.mark.django_db


@pytest.fixture
def calls():
    return reset()


@pytest.fixture
def finance(world):
    return staff_create(actor=None, username="finance", name="财务甲", branch=world.branch_a, posts=[Post.FINANCE],
                        employee_number="finance", password=PASSWORD)


def paid_entries(reference: str) -> int:
    return JournalEntry.objects.filter(idempotency_key=f"payments.paid:{reference}").count()


def test_it_pays_once_however_often_the_task_runs_and_the_reference_is_resent(world, calls,
                                                                                django_capture_on_commit_callbacks):
    bank_account()
    with django_capture_on_commit_callbacks(execute=False) as queued:
        attempt = pay(world.branch_a)
    assert len(queued) == 1  # the send is queued after commit, never made inside the business's transaction
    entries = JournalEntry.objects.count()
    for _ in range(3):
        assert payment_send_task.apply(args=[attempt.pk]).get() == AttemptStatus.SUCCEEDED
    attempt_send(attempt_id=attempt.pk)
    payment = Payment.objects.get(pk=attempt.payment_id)
    assert payment.state == PaymentState.PAID and payment.paid_at is not None
    assert SandboxBankPayment.objects.filter(reference="TEST0001").count() == 1
    assert JournalEntry.objects.count() == entries + 1 and paid_entries("TEST0001") == 1
    lines = PaymentAttempt.objects.get(pk=attempt.pk).settle_entry.lines.values_list("account__code", "debit", "credit")
    assert sorted(lines) == [("101", Decimal("0.00"), Decimal("500.00")), ("231", Decimal("500.00"), Decimal("0.00"))]
    assert calls.paid == ["TEST0001"]
    assert [(c.old, c.new) for c in status_history(payment)] == [("pending", "paid")]


def test_a_task_the_bank_did_not_answer_is_retried_and_pays_once(world, calls, settings):
    from celery.exceptions import Retry

    bank_account()
    attempt = pay(world.branch_a, send=False)
    settings.FUND_INTEGRATIONS_OVERRIDES = {"bank": "http"}  # the HTTP client with no address: unavailable
    settings.FUND_INTEGRATIONS_HTTP_BASE = ""
    with pytest.raises(Retry):
        payment_send_task.apply(args=[attempt.pk])
    assert not SandboxBankPayment.objects.exists()
    assert PaymentAttempt.objects.get(pk=attempt.pk).status == AttemptStatus.PENDING
    settings.FUND_INTEGRATIONS_OVERRIDES = {}
    assert payment_send_task.apply(args=[attempt.pk]).get() == AttemptStatus.SUCCEEDED
    assert payment_send_task.apply(args=[attempt.pk]).get() == AttemptStatus.SUCCEEDED
    assert SandboxBankPayment.objects.filter(reference=attempt.reference).count() == 1 and calls.paid == ["TEST0001"]


def test_a_refused_payment_is_reversed_and_retried_after_its_back_off(world, calls,
                                                                      django_capture_on_commit_callbacks):
    bank_account(fail_payouts=True)
    with django_capture_on_commit_callbacks(execute=True):
        attempt = pay(world.branch_a)
    attempt.refresh_from_db()
    payment = attempt.payment
    payment.refresh_from_db()
    assert attempt.status == AttemptStatus.FAILED and payment.state == PaymentState.REFUSED
    assert attempt.settle_entry.reverses_id == attempt.hold_entry_id  # the business put its money back
    assert calls.refused == ["TEST0001"] and calls.paid == []
    now = timezone.now()
    assert now + timedelta(minutes=9) < payment.retry_after <= now + timedelta(minutes=10)  # policy: 10 minutes
    assert "异常" in payment.failure

    assert payments_retry_due() == 0  # the back-off has not passed
    bank_account(fail_payouts=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert payments_retry_due(now=now + timedelta(minutes=11)) == 1
    payment.refresh_from_db()
    assert payment.state == PaymentState.PAID and calls.retried == [2]
    assert [(a.attempt, a.reference, a.status) for a in payment.attempts.all()] == [
        (1, "TEST0001", AttemptStatus.FAILED), (2, "TEST0001R01", AttemptStatus.SUCCEEDED)]
    assert calls.paid == ["TEST0001R01"] and paid_entries("TEST0001R01") == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert payments_retry_due(now=now + timedelta(days=1)) == 0
    assert SandboxBankPayment.objects.filter(status=PaymentStatus.SUCCEEDED).count() == 1


def test_after_the_last_attempt_the_payment_goes_to_people_who_retry_it(world, calls, finance,
                                                                         django_capture_on_commit_callbacks):
    bank_account(fail_payouts=True)
    with django_capture_on_commit_callbacks(execute=True):
        attempt = pay(world.branch_a)
    payment = Payment.objects.get(pk=attempt.payment_id)
    first_delay = payment.retry_after - payment.attempts.get(attempt=1).finished_at
    with django_capture_on_commit_callbacks(execute=True):
        assert payments_retry_due(now=payment.retry_after) == 1
    payment.refresh_from_db()
    # The second wait is the first times the policy's factor (6): an hour.
    assert payment.retry_after - payment.attempts.get(attempt=2).finished_at == first_delay * 6
    with django_capture_on_commit_callbacks(execute=True):
        assert payments_retry_due(now=payment.retry_after) == 1
    payment.refresh_from_db()
    assert payment.state == PaymentState.HANDED_OFF and payment.retry_after is None  # policy: three attempts
    assert calls.handed_off == [payment.subject_label] and len(calls.refused) == 3
    with django_capture_on_commit_callbacks(execute=True):
        assert payments_retry_due(now=timezone.now() + timedelta(days=30)) == 0
    assert payment.attempts.count() == 3

    bank_account(fail_payouts=False)
    client = Client()
    client.force_login(finance)
    page = client.get("/staff/payments/?state=handed_off").content.decode()
    assert payment.subject_label in page and "转人工处理" in page and "重新付款" in page
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/staff/payments/{payment.pk}/retry/").status_code == 302
    payment.refresh_from_db()
    assert payment.state == PaymentState.PAID and payment.attempts.count() == 4
    assert SandboxBankPayment.objects.filter(status=PaymentStatus.SUCCEEDED).get().reference == "TEST0001R03"


def test_a_held_payment_is_polled_until_the_bank_settles_it(world, calls, django_capture_on_commit_callbacks):
    bank_account(hold_payouts=True)
    with django_capture_on_commit_callbacks(execute=True):
        attempt = pay(world.branch_a)
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.PENDING and attempt.sent_at is not None
    assert payments_poll() == 0  # not stale yet
    later = timezone.now() + timedelta(minutes=2)
    assert payments_poll(now=later) == 1  # asked, and still held
    assert PaymentAttempt.objects.get(pk=attempt.pk).status == AttemptStatus.PENDING and calls.paid == []

    SandboxBankPayment.objects.filter(reference=attempt.reference).update(status=PaymentStatus.SUCCEEDED,
                                                                          finished_at=timezone.now())
    assert payments_poll(now=later) == 1
    assert Payment.objects.get(pk=attempt.payment_id).state == PaymentState.PAID
    assert payments_poll(now=later) == 0
    assert calls.paid == ["TEST0001"] and paid_entries("TEST0001") == 1
    assert SandboxBankPayment.objects.filter(account_number=ACCOUNT).count() == 1


def test_an_attempt_never_sent_is_sent_by_the_poll(world, calls):
    bank_account()
    attempt = pay(world.branch_a, send=False)  # the queued send was lost
    assert payments_poll(now=timezone.now() + timedelta(minutes=2)) == 1
    assert Payment.objects.get(pk=attempt.payment_id).state == PaymentState.PAID and calls.paid == ["TEST0001"]


def test_it_refuses_to_hand_off_a_payment_at_the_bank_and_hands_off_a_refused_one(world, calls, finance,
                                                                                   django_capture_on_commit_callbacks):
    bank_account(hold_payouts=True)
    attempt = pay(world.branch_a, send=False)
    with pytest.raises(ValidationError, match="付款中"):
        payment_hand_off(payment_id=attempt.payment_id, actor=finance)
    bank_account(hold_payouts=False, fail_payouts=True)
    with django_capture_on_commit_callbacks(execute=True):
        attempt_send(attempt_id=attempt.pk)
    payment = payment_hand_off(payment_id=attempt.payment_id, actor=finance, note="账号有误，待单位更正")
    assert payment.state == PaymentState.HANDED_OFF and calls.handed_off == [payment.subject_label]
    assert payments_retry_due(now=timezone.now() + timedelta(days=1)) == 0
    assert payment_retry(payment_id=payment.pk).state == PaymentState.HANDED_OFF  # only people retry it now


def test_only_finance_and_the_director_see_payments_within_their_scope(world, finance,
                                                                       django_capture_on_commit_callbacks):
    bank_account(fail_payouts=True)
    with django_capture_on_commit_callbacks(execute=True):
        mine = pay(world.branch_a).payment
        theirs = pay(world.branch_b, reference="TEST0002").payment
    for who in (world.clerk, world.auditor, world.member_a, world.unit_a_op):
        client = Client()
        client.force_login(who)
        assert client.get("/staff/payments/").status_code == 404
        assert client.post(f"/staff/payments/{mine.pk}/retry/").status_code == 404
        api = APIClient()
        api.force_authenticate(who)
        assert api.get("/api/payments/").status_code == 404
        assert api.post(f"/api/payments/{mine.pk}/hand-off/").status_code == 404
    client = Client()
    client.force_login(finance)
    page = client.get("/staff/payments/").content.decode()
    assert mine.subject_label in page and theirs.subject_label not in page  # finance of branch A
    assert client.post(f"/staff/payments/{theirs.pk}/hand-off/").status_code == 404
    page = client.get(f"/staff/payments/?purpose={CODE}&state=refused&q=测试").content.decode()
    assert mine.subject_label in page and "付款失败待重试" in page
    assert mine.subject_label not in client.get("/staff/payments/?state=paid").content.decode()

    api = APIClient()
    api.force_authenticate(world.director)  # centre-wide
    rows = api.get("/api/payments/", {"state": "refused"}).json()["results"]
    assert {r["id"] for r in rows} == {mine.pk, theirs.pk}
    assert rows[0]["payee_account"] != ACCOUNT and rows[0]["attempts"][0]["status"] == "failed"
    assert api.get("/api/payments/", {"state": "nonsense"}).status_code == 400
    answer = api.post(f"/api/payments/{theirs.pk}/hand-off/", {"note": "转财务核对"}, format="json")
    assert answer.status_code == 200 and answer.json()["state"] == "handed_off"
    assert api.post(f"/api/payments/{theirs.pk}/hand-off/").status_code == 400
