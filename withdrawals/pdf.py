"""The withdrawal receipt (提取凭证), printed once the money is paid; the context is fixed at request time."""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from fund.audit.masking import mask_bank_card, mask_id_number
from fund.money import amount_in_capitals, format_money
from fund.printing.models import Document
from fund.printing.services import document_request, register_document_kind

from .models import Withdrawal, WithdrawalState
from .reasons import REASONS

RECEIPT = "withdrawals.receipt"

register_document_kind(RECEIPT, title="住房公积金提取凭证", template="withdrawals/pdf/receipt.html")


def receipt_context(withdrawal: Withdrawal) -> dict[str, Any]:
    account, person = withdrawal.account, withdrawal.account.person
    paid = withdrawal.payouts.filter(status="succeeded").first()
    return {
        "number": withdrawal.number,
        "name": person.name,
        "id_number": mask_id_number(person.id_number),
        "account_number": account.number,
        "unit_name": account.unit.employer.name,
        "reason": f"{withdrawal.reason_code} {REASONS[withdrawal.reason].label}",
        "kind": "销户提取" if withdrawal.closes_account else "部分提取",
        "amount": format_money(withdrawal.amount),
        "amount_capitals": amount_in_capitals(withdrawal.amount),
        "interest": format_money(withdrawal.interest),
        "channel": withdrawal.get_channel_display(),
        "decider": withdrawal.get_decider_display(),
        "payee_name": withdrawal.payee_name,
        "payee_card": mask_bank_card(withdrawal.payee_card),
        "bank_serial": paid.bank_serial if paid else "",
        "submitted_at": f"{timezone.localtime(withdrawal.submitted_at):%Y-%m-%d %H:%M}",
        "decided_at": f"{timezone.localtime(withdrawal.decided_at):%Y-%m-%d %H:%M}" if withdrawal.decided_at else "",
        "paid_at": f"{timezone.localtime(withdrawal.paid_at):%Y-%m-%d %H:%M}" if withdrawal.paid_at else "",
        "balance_after": format_money(account.sub_account.balance),
    }


def receipt_request(*, withdrawal: Withdrawal, requested_by: Any) -> Document:
    if withdrawal.state != WithdrawalState.PAID:
        raise ValidationError({"state": ["提取款项到账后才能打印提取凭证"]})
    return document_request(kind=RECEIPT, context=receipt_context(withdrawal), requested_by=requested_by,
                            subject=withdrawal.account.person)
