"""The withdrawal receipt (提取凭证), printed once the money is paid, and the acceptance receipt (受理回执) the
window hands the applicant with the number to follow the application by; contexts are fixed at request time."""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from fund.audit.masking import mask_bank_card, mask_id_number
from fund.catalogue.pdf import HOTLINE
from fund.money import amount_in_capitals, format_money
from fund.printing.models import Document
from fund.printing.services import document_request, register_document_kind

from .models import Channel, Withdrawal, WithdrawalState
from .reasons import REASONS

RECEIPT = "withdrawals.receipt"

register_document_kind(RECEIPT, title="住房公积金提取凭证", template="withdrawals/pdf/receipt.html")


def _applicant(withdrawal: Withdrawal) -> dict[str, Any]:
    """Who applied and for what, as every withdrawal document prints it (the ID masked)."""
    account, person = withdrawal.account, withdrawal.account.person
    return {
        "number": withdrawal.number,
        "name": person.name,
        "id_number": mask_id_number(person.id_number),
        "account_number": account.number,
        "unit_name": account.unit.employer.name,
        "reason": f"{withdrawal.reason_code} {REASONS[withdrawal.reason].label}",
    }


def receipt_context(withdrawal: Withdrawal) -> dict[str, Any]:
    account = withdrawal.account
    paid = withdrawal.payouts.filter(status="succeeded").first()
    return {
        **_applicant(withdrawal),
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


# 受理回执 ---------------------------------------------------------------------------------------------------

ACCEPTANCE = "withdrawals.acceptance"

register_document_kind(ACCEPTANCE, title="住房公积金提取业务受理回执", template="withdrawals/pdf/acceptance.html")


def acceptance_context(withdrawal: Withdrawal) -> dict[str, Any]:
    """What the window accepted and how the applicant follows it: the application number, the reason, the
    amount asked for, the papers taken in, the time limit, and where to ask."""
    reason = REASONS[withdrawal.reason]
    names = {m.code: m.name for m in reason.item.materials}
    if withdrawal.closes_account:
        asked, asked_capitals = "账户全部余额（含结息至当日的利息）", ""
    elif withdrawal.amount_requested:
        asked, asked_capitals = f"{format_money(withdrawal.amount_requested)} 元", amount_in_capitals(withdrawal.amount_requested)
    else:
        asked, asked_capitals = "按可提取最高额办理", ""
    return {
        **_applicant(withdrawal),
        "amount_requested": asked,
        "amount_capitals": asked_capitals,
        "payee_card": mask_bank_card(withdrawal.payee_card),
        "materials": [names.get(code, code) for code in withdrawal.materials],
        "branch": withdrawal.branch.name,
        "branch_phone": withdrawal.branch.phone or HOTLINE,
        "accepted_at": f"{timezone.localtime(withdrawal.submitted_at):%Y-%m-%d %H:%M}",
        "time_limit": reason.item.time_limit,
        "decided_by": "系统即时核验，符合秒批条件的即时办结，其余转初审、审批岗审核" if reason.auto else "初审、审批岗审核",
        "hotline": HOTLINE,
    }


def acceptance_request(*, withdrawal: Withdrawal, requested_by: Any) -> Document:
    """The 受理回执 of an application taken at the window (online applicants have the number on screen)."""
    if withdrawal.channel != Channel.WINDOW:
        raise ValidationError({"channel": ["只有综合窗口受理的提取申请出具受理回执"]})
    return document_request(kind=ACCEPTANCE, context=acceptance_context(withdrawal), requested_by=requested_by,
                            subject=withdrawal.account.person)
