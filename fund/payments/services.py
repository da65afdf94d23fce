"""Paying out, exactly once, whatever is retried.

- `payment_create` (in the caller's transaction, beside the business's own change) records the payment and
  its first attempt, and queues the send after commit.
- `attempt_send` (outside any transaction: it calls the bank) sends an attempt under its reference, which the
  bank treats as the idempotency key: a retried task, a worker that died after the call, the poll sending
  again — the bank answers with the first payment and pays nothing more.
- `attempt_apply` applies the bank's answer once, by compare-and-set on the attempt (under its and the
  payment's row locks): paid → the ledger entry (keyed by the reference) from the purpose's account to the
  bank (with the purpose's sub-ledger `movements`, if any), the payment 已付款 and the purpose's `on_paid`;
  refused → the purpose's `on_refused` (the business puts its money back), and the next attempt is scheduled with back-off (`payment_attempts_max`,
  `payment_retry_minutes`, `payment_retry_factor`), or the payment goes to people after the last one;
  still processing (a held payment) → left pending for `payments_poll`.
- a registered gate (`fund.payments.gates`, e.g. risk's red-line hold) is asked before an attempt first goes
  to the bank: a reason holds the payment (暂停付款), the attempt unsent, skipped by the poll, until
  `payment_release` puts it back to pending and sends it (the gates asked again).
- `payment_retry` makes the next attempt under a new reference (the bank keeps a refused one refused);
  `payment_hand_off` gives a payment to people.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone

from fund.audit.services import audit_log
from fund.integrations import entrusted_bank
from fund.integrations.base import IntegrationError, NotFound
from fund.ledger.models import JournalEntry
from fund.ledger.services import credit, debit, entry_post
from fund.policy.selectors import policy_value
from fund.transactions import in_business_transaction
from fund.workflow.moves import MoveTable, move_status

from .gates import payment_hold_reason
from .models import AttemptStatus, Payment, PaymentAttempt, PaymentState
from .purposes import Purpose, purpose_get

PAYMENT_MOVES = MoveTable(Payment, noun="付款", moves={
    PaymentState.PENDING: {PaymentState.PAID, PaymentState.REFUSED, PaymentState.HANDED_OFF, PaymentState.HELD},
    PaymentState.REFUSED: {PaymentState.PENDING, PaymentState.HANDED_OFF},
    PaymentState.HANDED_OFF: {PaymentState.PENDING},
    PaymentState.HELD: {PaymentState.PENDING},
})

# An attempt the bank has not settled this long after it was made is asked about again by the poll.
POLL_AFTER = timedelta(minutes=1)


def payment_create(
    *, purpose: str, subject: models.Model, subject_label: str, amount: Decimal, payee_account: str, payee_name: str,
    reference: str, business_type: str, ledger_reference: str, memo: str, branch: Any = None, actor: Any = None,
    hold_entry: JournalEntry | None = None, send: bool = True,
) -> PaymentAttempt:
    """Record a payment and its first attempt (in the caller's transaction) and, with `send`, queue the send
    after commit. Returns the attempt."""
    spec = purpose_get(purpose)
    payment = Payment.objects.create(
        purpose=spec.code, subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk,
        subject_label=subject_label[:200], branch=branch, payee_account=payee_account, payee_name=payee_name,
        amount=amount, debit_account=spec.debit_account, credit_account=spec.credit_account,
        business_type=business_type, ledger_reference=ledger_reference, memo=memo[:200],
    )
    attempt = PaymentAttempt.objects.create(
        payment=payment, attempt=1, reference=reference, amount=amount, payee_account=payee_account,
        payee_name=payee_name, hold_entry=hold_entry, actor=actor if getattr(actor, "pk", None) else None,
    )
    attempt.payment = payment
    audit_log(actor=actor, action="payments.created", target=payment,
              new={"purpose": spec.code, "amount": amount, "reference": reference, "payee": payee_name,
                   "subject": payment.subject_label})
    if send:
        _send_after_commit(attempt.pk)
    return attempt


def payment_of(subject: models.Model, purpose: str) -> Payment | None:
    """The payment made for `subject` and `purpose`, if any."""
    return Payment.objects.filter(
        subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk, purpose=purpose
    ).first()


def attempt_send(*, attempt_id: int, attempt: PaymentAttempt | None = None) -> PaymentAttempt:
    """Send one attempt to the bank and apply what it answers. Safe to call any number of times; raises
    IntegrationError when the bank did not answer (the caller's task retries; the poll sends it again).

    `attempt`: the attempt with its payment as the caller has just read it, to save a read."""
    if in_business_transaction():
        raise RuntimeError("付款不能在事务中发送")
    if attempt is None or attempt.pk != attempt_id:
        attempt = PaymentAttempt.objects.select_related("payment").get(pk=attempt_id)
    if attempt.status != AttemptStatus.PENDING or attempt.payment.state == PaymentState.HELD:
        return attempt
    if attempt.sent_at is None:  # an attempt already at the bank is past the gates: only its answer is awaited
        reason = payment_hold_reason(attempt.payment)
        if reason:
            _hold(attempt, reason)
            return attempt
    PaymentAttempt.objects.filter(pk=attempt.pk, sent_at__isnull=True).update(sent_at=timezone.now())
    answer = entrusted_bank().payout(
        card_number=attempt.payee_account, name=attempt.payee_name, amount=attempt.amount,
        reference=attempt.reference, purpose=attempt.payment.memo,
    )
    return attempt_apply(attempt_id=attempt.pk, answer=answer)


def _hold(attempt: PaymentAttempt, reason: str) -> None:
    """Hold the attempt's payment (compare-and-set: a payment that moved meanwhile is left as it is)."""
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=attempt.payment_id)
        if payment.state != PaymentState.PENDING:
            return
        move_status(payment, PaymentState.HELD, table=PAYMENT_MOVES, action="payments.held", actor=None,
                    verb="暂停付款", reason=reason, note={"reference": attempt.reference, "reason": reason},
                    hold_reason=reason)
    attempt.payment = payment


def payment_release(*, payment_id: int, actor: Any = None, note: str = "", send: bool = True) -> Payment:
    """Put a held payment back to pending and, with `send`, send its attempt after commit (the gates are asked
    again then, so a payment whose reason still stands is held again). Anything not held is returned unchanged:
    two releases of one payment send it once."""
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment_id)
        if payment.state != PaymentState.HELD:
            return payment
        move_status(payment, PaymentState.PENDING, table=PAYMENT_MOVES, action="payments.released", actor=actor,
                    verb="恢复付款", reason=note[:200], note={"note": note[:200]} if note else None, hold_reason="")
        attempt = payment.attempts.filter(status=AttemptStatus.PENDING).first()
        if send and attempt is not None:
            _send_after_commit(attempt.pk)
        return payment


def attempt_poll(*, attempt_id: int) -> PaymentAttempt:
    """Ask the bank about a pending attempt and apply the answer; one the bank never received (or that was never
    sent) is sent now under the same reference."""
    if in_business_transaction():
        raise RuntimeError("付款不能在事务中查询")
    attempt = PaymentAttempt.objects.select_related("payment").get(pk=attempt_id)
    if attempt.status != AttemptStatus.PENDING or attempt.payment.state == PaymentState.HELD:
        return attempt
    if attempt.sent_at is None:
        return attempt_send(attempt_id=attempt.pk, attempt=attempt)
    try:
        answer = entrusted_bank().payment(reference=attempt.reference)
    except NotFound:
        return attempt_send(attempt_id=attempt.pk, attempt=attempt)
    return attempt_apply(attempt_id=attempt.pk, answer=answer)


def retry_delay(attempt: int, *, on: Any = None) -> timedelta | None:
    """How long after the refusal of attempt `attempt` the next one is made; None when it was the last."""
    if attempt >= int(policy_value("payment_attempts_max", on)):
        return None
    minutes = Decimal(policy_value("payment_retry_minutes", on)) * Decimal(policy_value("payment_retry_factor", on)) ** (
        attempt - 1)
    return timedelta(minutes=float(minutes))


def attempt_apply(*, attempt_id: int, answer: Any) -> PaymentAttempt:
    """Apply the bank's answer (a `fund.integrations.bank.Payment`) to a pending attempt, once."""
    if not (answer.succeeded or answer.failed):
        return PaymentAttempt.objects.select_related("payment").get(pk=attempt_id)
    with transaction.atomic():
        # The attempt and its payment locked in one statement; two appliers: the second finds it settled.
        attempt = (PaymentAttempt.objects.select_for_update(of=("self", "payment"))
                   .select_related("payment").get(pk=attempt_id))
        if attempt.status != AttemptStatus.PENDING:
            return attempt
        payment = attempt.payment
        spec = purpose_get(payment.purpose)
        now = timezone.now()
        if answer.succeeded:
            _paid(spec, payment, attempt, answer, now)
        else:
            _refused(spec, payment, attempt, answer, now)
        return attempt


def _settle(attempt: PaymentAttempt, **fields: Any) -> None:
    if PaymentAttempt.objects.filter(pk=attempt.pk, status=AttemptStatus.PENDING).update(**fields) != 1:
        raise ValidationError("付款状态已变化，请刷新后查看")
    for name, value in fields.items():  # what the update wrote, without reading the row back
        setattr(attempt, name, value)


def _paid(spec: Purpose, payment: Payment, attempt: PaymentAttempt, answer: Any, now: datetime) -> None:
    posted = entry_post(
        business_type=payment.business_type, reference=payment.ledger_reference,
        idempotency_key=f"payments.paid:{attempt.reference}", value_date=timezone.localdate(),
        legs=[debit(payment.debit_account, attempt.amount), credit(payment.credit_account, attempt.amount)],
        movements=spec.movements(payment, attempt) if spec.movements is not None else (),
        actor=attempt.actor, memo=f"{payment.memo} 银行付款 {answer.bank_serial}"[:200],
    )
    _settle(attempt, status=AttemptStatus.SUCCEEDED, bank_serial=answer.bank_serial, finished_at=now,
            settle_entry=posted.entry)
    move_status(payment, PaymentState.PAID, table=PAYMENT_MOVES, action="payments.paid", actor=None,
                note={"reference": attempt.reference, "bank_serial": answer.bank_serial, "amount": attempt.amount,
                      "entry": posted.entry.number},
                paid_at=now, failure="", retry_after=None)
    if spec.on_paid is not None:
        spec.on_paid(payment, attempt)


def _refused(spec: Purpose, payment: Payment, attempt: PaymentAttempt, answer: Any, now: datetime) -> None:
    reason = (answer.reason or "银行付款失败")[:200]
    delay = retry_delay(attempt.attempt) if spec.retries else None
    retry_after = now + delay if delay is not None else None
    _settle(attempt, status=AttemptStatus.FAILED, reason=reason, finished_at=now)
    to = PaymentState.REFUSED if retry_after else PaymentState.HANDED_OFF
    move_status(payment, to, table=PAYMENT_MOVES, action="payments.refused", actor=None,
                note={"reference": attempt.reference, "reason": reason, "retry_after": retry_after},
                reason=reason, failure=reason, retry_after=retry_after,
                handed_off_at=None if retry_after else now)
    if spec.on_refused is not None:
        reversal = spec.on_refused(payment, attempt)
        if reversal is not None:
            PaymentAttempt.objects.filter(pk=attempt.pk).update(settle_entry=reversal)
            attempt.settle_entry = reversal
    if to == PaymentState.HANDED_OFF and spec.on_handed_off is not None:
        spec.on_handed_off(payment, None)


def payment_retry(
    *, payment_id: int, actor: Any = None, force: bool = False, now: datetime | None = None, send: bool = True
) -> Payment:
    """Make the next attempt of a refused payment — when its back-off has passed, or at once (`force`: a person,
    also for a payment handed to people) — and, with `send`, send it after commit (without: the caller sends
    it itself once its transaction is over). Anything else is returned unchanged.
    The caller checks who may force a retry."""
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment_id)
        if payment.state not in (PaymentState.REFUSED, PaymentState.HANDED_OFF):
            return payment
        if not force and (payment.state != PaymentState.REFUSED or payment.retry_after is None
                          or payment.retry_after > (now or timezone.now())):
            return payment
        spec = purpose_get(payment.purpose)
        number = (payment.attempts.aggregate(n=Max("attempt"))["n"] or 0) + 1
        plan = spec.on_retry(payment, number, actor) if spec.on_retry is not None else None
        amount = plan.amount if plan is not None and plan.amount is not None else payment.amount
        account = plan.payee_account if plan is not None and plan.payee_account else payment.payee_account
        name = plan.payee_name if plan is not None and plan.payee_name else payment.payee_name
        attempt = PaymentAttempt.objects.create(
            payment=payment, attempt=number, reference=_reference(spec, payment, number), amount=amount,
            payee_account=account, payee_name=name, hold_entry=plan.hold_entry if plan is not None else None,
            actor=actor if getattr(actor, "pk", None) else None,
        )
        move_status(payment, PaymentState.PENDING, table=PAYMENT_MOVES, action="payments.retried", actor=actor,
                    verb="重新付款", note={"attempt": number, "reference": attempt.reference},
                    retry_after=None, handed_off_at=None, amount=amount, payee_account=account, payee_name=name)
        if send:
            _send_after_commit(attempt.pk)
        return payment


def _reference(spec: Purpose, payment: Payment, number: int) -> str:
    if spec.reference is not None:
        return spec.reference(payment, number)
    first = payment.attempts.get(attempt=1).reference
    return f"{first}R{number - 1:02d}"


def payment_hand_off(*, payment_id: int, actor: Any, note: str = "") -> Payment:
    """转人工处理: stop the automatic retries of a refused payment; people retry it when it is put right."""
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment_id)
        if payment.state != PaymentState.REFUSED:  # an attempt at the bank is left to its answer
            raise PAYMENT_MOVES.refusal(payment.state, PaymentState.HANDED_OFF, "转人工处理")
        move_status(payment, PaymentState.HANDED_OFF, table=PAYMENT_MOVES, action="payments.handed_off",
                    actor=actor, verb="转人工处理", reason=note[:200], note={"note": note[:200]} if note else None,
                    retry_after=None, handed_off_at=timezone.now())
        spec = purpose_get(payment.purpose)
        if spec.on_handed_off is not None:
            spec.on_handed_off(payment, actor)
        return payment


def _send_after_commit(attempt_id: int) -> None:
    from .tasks import payment_send_task

    transaction.on_commit(lambda: payment_send_task.delay(attempt_id), robust=True)


def payments_poll(*, now: datetime | None = None) -> int:
    """Beat: pending attempts not settled a minute after they were made are asked about (or sent) again; held
    payments wait for their release."""
    stale = PaymentAttempt.objects.filter(status=AttemptStatus.PENDING,
                                          requested_at__lte=(now or timezone.now()) - POLL_AFTER).exclude(
        payment__state=PaymentState.HELD)  # held: waits for its release, not for the bank
    n = 0
    for pk in stale.order_by("id").values_list("pk", flat=True)[:500]:
        try:
            attempt_poll(attempt_id=pk)
            n += 1
        except IntegrationError:
            continue
    return n


def payments_retry_due(*, now: datetime | None = None) -> int:
    """Beat: every refused payment whose back-off has passed gets its next attempt."""
    now = now or timezone.now()
    due = Payment.objects.filter(state=PaymentState.REFUSED, retry_after__lte=now)
    n = 0
    for pk in due.order_by("retry_after", "id").values_list("pk", flat=True)[:500]:
        try:
            if payment_retry(payment_id=pk, now=now).state == PaymentState.PENDING:
                n += 1
        except ValidationError:
            continue
    return n
