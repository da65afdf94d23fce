"""变更还款账号: the borrower's repayment card changed after signing (a card lost, replaced or moved to another bank).

    loan = repayment_card_change(actor=…, loan=…, card="6217…")

The borrower in the personal hall, or a 受理 clerk at the counter. The new card must be the borrower's own: the
bank confirms it under the borrower's name and ID number, outside the transaction, as at signing. The change
takes effect for the next debit built: a batch already sent to the bank keeps the card it asked. The borrower is
texted with the new card's last four digits (a change they did not make is then seen at once).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from fund.audit.services import audit_log
from fund.integrations.bank import bank_account_verify
from fund.people.roles import roles_of
from fund.validation import clean_bank_card

from ..models import Loan, LoanStatus
from .notify import application_notify
from .repayment_posting import loan_locked

CHANGEABLE = (LoanStatus.PENDING, LoanStatus.ACTIVE)  # signed (awaiting the money) or repaying


def repayment_card_clean(raw: str, errors: dict[str, list[str]]) -> str:
    """The card as typed, cleaned (digits, check digit); "" with the reason under `repayment_card` in `errors`."""
    try:
        return clean_bank_card(raw)
    except ValidationError as exc:
        errors["repayment_card"] = [f"还款账号：{exc.messages[0]}"]
        return ""


def repayment_card_verify(number: str, borrower: Any) -> int | None:
    """The bank confirms `number` is the borrower's own card (name and ID number); a form error on
    `repayment_card` if not. An outside call: before the transaction that records the card. Returns the call."""
    return bank_account_verify(field="repayment_card", label="还款账号", account_number=number,
                               name=borrower.name, holder_id=borrower.id_number)


def _unchangeable(loan: Loan) -> dict[str, list[str]]:
    return {"loan": [f"贷款状态为“{loan.get_status_display()}”，不能变更还款账号"]}


def repayment_card_change(*, actor: Any, loan: Loan, card: str) -> Loan:
    """Record `card` as the loan's repayment card; ValidationError naming `repayment_card` (or `loan`) if not."""
    roles = roles_of(actor)
    if roles.is_staff:
        if not roles.can_accept:
            raise PermissionDenied("只有受理岗可以办理还款账号变更")
    elif not (roles.is_member and actor.person_id == loan.borrower_id):
        raise PermissionDenied("只能变更本人贷款的还款账号")
    errors: dict[str, list[str]] = {} if loan.status in CHANGEABLE else _unchangeable(loan)
    number = repayment_card_clean(card, errors)
    if not errors and number == loan.repayment_card:
        errors["repayment_card"] = ["新还款账号与原还款账号相同"]
    if errors:
        raise ValidationError(errors)
    borrower = loan.borrower
    call_id = repayment_card_verify(number, borrower)
    with transaction.atomic():
        locked = loan_locked(loan)
        if locked.status not in CHANGEABLE:
            raise ValidationError(_unchangeable(locked))
        old = locked.repayment_card
        if old == number:  # the same change sent twice: done once
            return locked
        Loan.objects.filter(pk=locked.pk).update(repayment_card=number)
        locked.repayment_card = number
        audit_log(actor=actor, action="loans.loan.card_changed", target=locked, old={"repayment_card": old},
                  new={"repayment_card": number, "card_call_id": call_id})
        application_notify(locked.application, (
            f"【住房公积金】{borrower.name}您好，您的公积金贷款（合同号{locked.contract_number}）还款账号已变更为"
            f"尾号{number[-4:]}的银行卡，此后每期从该卡扣款。如非本人办理，请立即致电12329。"))
    return locked


__all__ = ["CHANGEABLE", "repayment_card_change", "repayment_card_clean", "repayment_card_verify"]
