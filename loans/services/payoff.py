"""Payoff (结清): what follows a loan's closing — the mortgage release at the property registry, the text to the
borrower — and the payoff certificate (结清证明).

`payoff_follow_up` runs after the commit that closed the loan (repayment_posting.loan_paid_off) and queues the
release: the registry is asked outside any transaction (releasing twice changes nothing there), then the answer
is recorded on the loan under its lock, with an audit event. A registry that is down is retried by the task
(`loans.mortgage_release`); each failed attempt is an audit event on the loan, so staff see it in the loan's
history, and `release_requested_at` without `release_number` is a release still owed.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from fund.audit.services import audit_log
from fund.integrations import property_registry
from fund.integrations.base import IntegrationError
from fund.money import format_money

from ..models import Loan, LoanStatus
from .notify import application_notify


def payoff_follow_up(loan_id: int) -> None:
    """After the commit that closed the loan: queue the mortgage release and tell the borrower."""
    from ..tasks import mortgage_release_task

    loan = Loan.objects.select_related("application__borrower").get(pk=loan_id)
    if loan.status != LoanStatus.CLOSED:
        return
    with transaction.atomic():
        application_notify(loan.application, (
            f"您的住房公积金贷款（合同号{loan.contract_number}）已于{loan.closed_on:%Y年%m月%d日}结清。"
            "结清证明可在个人网厅“我的贷款”打印，抵押注销由公积金中心向不动产登记机构申请。"))
    if loan.mortgage_number and not loan.release_number:
        mortgage_release_task.delay(loan.pk)


class ReleaseNotDone(Exception):
    """The registry could not release the mortgage this time (the task retries when `retry` is true)."""

    def __init__(self, message: str, *, retry: bool) -> None:
        super().__init__(message)
        self.retry = retry


def mortgage_release(loan_id: int) -> Loan:
    """Ask the registry to release a closed loan's mortgage and record the answer; done once, asked again
    harmlessly. Raises ReleaseNotDone (after recording the failure) when the registry did not release it."""
    loan = Loan.objects.get(pk=loan_id)
    if loan.status != LoanStatus.CLOSED or not loan.mortgage_number or loan.release_number:
        return loan
    if loan.release_requested_at is None:
        Loan.objects.filter(pk=loan.pk, release_requested_at__isnull=True).update(release_requested_at=timezone.now())
    try:
        registration = property_registry().release_mortgage(mortgage_number=loan.mortgage_number)
    except IntegrationError as exc:
        from fund.integrations.base import Unavailable

        audit_log(actor=None, action="loans.loan.release_failed", target=loan, new={
            "mortgage_number": loan.mortgage_number, "reason": exc.message, "property_call_id": exc.call_id,
        })
        raise ReleaseNotDone(exc.message, retry=isinstance(exc, Unavailable)) from exc
    with transaction.atomic():
        locked = Loan.objects.select_for_update().get(pk=loan.pk)
        if locked.release_number:
            return locked
        locked.release_number = registration.mortgage_number
        locked.release_call_id = registration.call_id
        locked.release_requested_at = locked.release_requested_at or timezone.now()
        locked.save(update_fields=["release_number", "release_call_id", "release_requested_at"])
        audit_log(actor=None, action="loans.loan.mortgage_released", target=locked, new={
            "mortgage_number": registration.mortgage_number, "released_at": registration.released_at,
            "property_call_id": registration.call_id,
        })
    return locked


# ---- the payoff certificate (结清证明) -----------------------------------------------------------------------

def payoff_certificate_context(loan: Loan) -> dict[str, Any]:
    from fund.audit.masking import mask_id_number

    repaid = loan.repayments.all()
    last = repaid.order_by("-value_date", "-id").first()
    return {
        "contract_number": loan.contract_number,
        "iou_number": loan.iou_number,
        "borrower": loan.borrower.name,
        "borrower_id": mask_id_number(loan.borrower.id_number),
        "principal": format_money(loan.principal),
        "rate": f"{loan.rate:.3f}",
        "method": loan.get_method_display(),
        "term_months": loan.term_months,
        "disbursed_on": f"{loan.disbursed_on:%Y年%m月%d日}" if loan.disbursed_on else "",
        "closed_on": f"{loan.closed_on:%Y年%m月%d日}" if loan.closed_on else "",
        "last_repayment": last.number if last else "",
        "mortgage_number": loan.mortgage_number,
        "bank": str(loan.bank) if loan.bank_id else "",
    }


def payoff_certificate_request(*, loan: Loan, requested_by: Any) -> Any:
    """Issue the loan's 结清证明 (rendered after commit, verifiable by its code). Only for a closed loan; the same
    certificate asked for again the same day is the first one."""
    from fund.printing.services import document_request

    from ..payoff_pdf import PAYOFF_CERTIFICATE
    from ..signing_pdf import loan_document_file

    loan = Loan.objects.select_related("borrower", "bank").get(pk=loan.pk)
    if loan.status != LoanStatus.CLOSED:
        raise ValidationError({"loan": [f"贷款{loan.get_status_display()}，结清后方可打印结清证明"]})
    with transaction.atomic():
        document = document_request(kind=PAYOFF_CERTIFICATE, context=payoff_certificate_context(loan),
                                    requested_by=requested_by, subject=loan.borrower)
        loan_document_file(loan=loan, kind=PAYOFF_CERTIFICATE, document=document)
    return document


def payoff_certificates(loan: Loan) -> Any:
    """The loan's certificates issued so far, newest first."""
    from fund.printing.models import Document

    from ..payoff_pdf import PAYOFF_CERTIFICATE

    return Document.objects.filter(loan_file__loan=loan, kind=PAYOFF_CERTIFICATE).order_by("-id")
