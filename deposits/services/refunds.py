"""应退单位款退款: the money a 错缴更正 put in 暂收款 (231) goes back to the unit's bank account, once per
correction, as a `fund.payments` payment (purpose `deposits.correction_refund`).

The payment's first attempt goes to the bank under the correction's reference (TK…), a retry after a refusal
under TK…R01, R02 … (the bank keeps a refused reference refused); the paid attempt posts Dr 231 / Cr 101
(其他公积金业务) once, by compare-and-set in the payments service. A refusal is not retried by itself: the money
stays in 231 and the correction waits, with the bank's reason, until 财务 (or the director, never the person
who made the correction) refunds it again once the unit's account is put right.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet

from fund.audit.services import audit_log
from fund.integrations.base import IntegrationError
from fund.ledger import chart
from fund.ledger.models import BusinessType, JournalEntry
from fund.payments.models import AttemptStatus, Payment, PaymentAttempt, PaymentState
from fund.payments.purposes import Purpose, register_purpose
from fund.payments.services import attempt_poll, payment_create, payment_of, payment_retry
from fund.people.models import Post
from fund.people.roles import roles_of
from fund.people.selectors import scoped
from fund.transactions import in_business_transaction

from ..models import RemittanceCorrection
from ..models.remittance import REFUND_PURPOSE, RefundState, refund_reference


def corrections_for_user(user: Any) -> QuerySet[RemittanceCorrection]:
    """Corrections staff of the unit's branch (or centre-wide) may see; operators see their own unit's."""
    queryset = RemittanceCorrection.objects.select_related("bill", "unit__employer", "corrected_by").prefetch_related(
        "payments__attempts")
    return scoped(queryset, user, branch="unit__employer__branch", employer="unit__employer")


def corrections_awaiting_refund_for_user(user: Any) -> QuerySet[RemittanceCorrection]:
    """待退款: corrections whose money still waits in 231 (no paid refund), oldest first (staff only)."""
    if not roles_of(user).is_staff:
        return RemittanceCorrection.objects.none()
    paid = Payment.objects.filter(purpose=REFUND_PURPOSE, subject_type__app_label="deposits",
                                  subject_type__model="remittancecorrection", subject_id=OuterRef("pk"),
                                  state=PaymentState.PAID)
    return corrections_for_user(user).exclude(Exists(paid)).order_by("id")


def may_refund(actor: Any, correction: RemittanceCorrection) -> str | None:
    """Why `actor` may not refund this correction (None when they may): 财务岗 or director, never the person
    who made the correction."""
    roles = roles_of(actor)
    if not (roles.has_post(Post.FINANCE) or roles.has_post(Post.DIRECTOR)):
        return "应退单位款须由财务岗或分管主任办理退款"
    if correction.corrected_by_id is not None and correction.corrected_by_id == actor.pk:
        return "办理错缴更正的人员不能再办理该笔退款，须由另一人办理"
    return None


def correction_refund(*, actor: Any, correction: RemittanceCorrection) -> RemittanceCorrection:
    """Refund a correction's money from 231 to the unit's bank account (委托银行付款): the refund's payment is
    made (or, after a refusal, its next attempt) and sent at once. Runs outside any transaction, since it calls
    the bank. Paid → 已退款; refused → stays 待退款 with the bank's reason; still at the bank → asked again
    on the next try (and by the payments poll). However often it is called, the unit is paid once."""
    if in_business_transaction():
        raise RuntimeError("退款不能在事务中调用")
    correction = RemittanceCorrection.objects.select_related("unit__employer", "bill").get(pk=correction.pk)
    problem = may_refund(actor, correction)
    if problem:
        raise PermissionDenied(problem)
    with transaction.atomic():
        # The payment before the correction: the order the payments service's appliers lock them in.
        existing = payment_of(correction, REFUND_PURPOSE)
        if existing is not None:
            Payment.objects.select_for_update().filter(pk=existing.pk).exists()
        RemittanceCorrection.objects.select_for_update().filter(pk=correction.pk).exists()
        attempt = _refund_attempt(actor, correction)
    if attempt is not None:
        try:
            attempt_poll(attempt_id=attempt.pk)
        except IntegrationError as exc:
            raise ValidationError(f"银行付款未成功：{exc.message}，请稍后重试") from exc
    return RemittanceCorrection.objects.select_related("unit__employer", "bill").prefetch_related(
        "payments__attempts").get(pk=correction.pk)


def _refund_attempt(actor: Any, correction: RemittanceCorrection) -> PaymentAttempt | None:
    """The attempt to send now (under the correction's lock): the first, the next after a refusal, or the one
    still at the bank; None when the refund is paid."""
    payment = payment_of(correction, REFUND_PURPOSE)
    if payment is None:
        unit = correction.unit
        return payment_create(
            purpose=REFUND_PURPOSE, subject=correction, subject_label=f"错缴更正退款 {correction.bill.number}",
            amount=correction.amount, payee_account=unit.bank_account, payee_name=unit.employer.name,
            reference=refund_reference(correction.pk), business_type=BusinessType.GJ_OTHER,
            ledger_reference=f"deposits.bill:{correction.bill.number}",
            memo=f"错缴更正退款 {correction.bill.number}", branch=unit.employer.branch,
            actor=actor, send=False,
        )
    if payment.state == PaymentState.PAID:
        return None
    if payment.state in (PaymentState.REFUSED, PaymentState.HANDED_OFF):
        payment_retry(payment_id=payment.pk, actor=actor, force=True, send=False)
    return payment.attempts.filter(status=AttemptStatus.PENDING).first()


def _locked(payment: Payment) -> RemittanceCorrection:
    return RemittanceCorrection.objects.select_for_update().select_related("bill").get(pk=payment.subject_id)


def _paid(payment: Payment, attempt: PaymentAttempt) -> None:
    correction = _locked(payment)
    audit_log(actor=attempt.actor, action="deposits.correction.refunded", target=correction,
              old={"refund_state": RefundState.AWAITING},
              new={"refund_state": RefundState.REFUNDED, "amount": attempt.amount, "bank_serial": attempt.bank_serial,
                   "entry": attempt.settle_entry.number if attempt.settle_entry else ""})


def _refused(payment: Payment, attempt: PaymentAttempt) -> JournalEntry | None:
    """The money stays in 231 (nothing to put back); the refusal is on the correction's record."""
    correction = _locked(payment)
    audit_log(actor=attempt.actor, action="deposits.correction.refund_failed", target=correction,
              new={"reference": attempt.reference, "reason": attempt.reason})
    return None


def _retry(payment: Payment, number: int, actor: Any) -> None:
    """A person retries (here or on the 付款管理 page): the same rule as the first refund."""
    correction = _locked(payment)
    problem = may_refund(actor, correction) if actor is not None else "应退单位款须由财务岗或分管主任办理退款"
    if problem:
        raise ValidationError(problem)


register_purpose(Purpose(
    code=REFUND_PURPOSE, label="错缴更正退款", debit_account=chart.SUSPENSE, retries=False,
    on_paid=_paid, on_refused=_refused, on_retry=_retry,
))
