"""Documents this line prints. The context is built here, stored with the document, and rendered by the
printing worker — so a reprint shows what was true when it was requested."""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from fund.audit.masking import mask_bank_card
from fund.money import amount_in_capitals, format_money, format_percent
from fund.printing.models import Document
from fund.printing.services import document_request, register_document_kind

from .models import MemberAccount
from .selectors.statements import deposit_history

ACCOUNT_SHEET = "deposits.account_sheet"

# "as_of" is the minute the sheet was read: a reprint the same day with nothing else changed is the same sheet.
register_document_kind(ACCOUNT_SHEET, title="个人账户信息表", template="deposits/pdf/account_sheet.html",
                       stamps=("as_of",))


def monthly_figures(account: MemberAccount) -> dict[str, str]:
    """The monthly deposit as every printed account document states it: the base, both ratios, both shares
    and their total."""
    return {
        "base": format_money(account.base),
        "unit_ratio": format_percent(account.unit.unit_ratio),
        "member_ratio": format_percent(account.unit.member_ratio),
        "unit_monthly": format_money(account.unit_monthly),
        "member_monthly": format_money(account.member_monthly),
        "monthly_total": format_money(account.monthly_total),
    }


def account_sheet_context(account: MemberAccount) -> dict[str, Any]:
    person = account.person
    rows = account.sub_account.rows.select_related("entry").order_by("-value_date", "-id")[:6]  # one A4 page with the seal
    return {
        "account_number": account.number,
        "name": person.name,
        "id_number": person.id_number,
        "sex": person.get_sex_display(),
        "birth_date": f"{person.birth_date:%Y-%m-%d}",
        "phone": person.phone,
        "unit_number": account.unit.number,
        "unit_name": account.unit.employer.name,
        "state": account.get_state_display(),
        "opened_on": f"{account.opened_on:%Y-%m-%d}",
        **monthly_figures(account),
        "balance": format_money(account.sub_account.balance),
        "balance_capitals": amount_in_capitals(account.sub_account.balance),
        "current_year": format_money(account.sub_account.current_year),
        "prior_year": format_money(account.sub_account.prior_year),
        "paid_up_to": f"{account.paid_up_to:%Y年%m月}" if account.paid_up_to else "尚未缴存",
        "bank_card": mask_bank_card(account.bank_card),
        "as_of": f"{timezone.localtime():%Y-%m-%d %H:%M}",
        "rows": [
            {
                "date": f"{row.value_date:%Y-%m-%d}",
                "kind": row.entry.get_business_type_display(),
                "summary": row.summary,
                "amount": format_money(row.amount),
                "balance": format_money(row.balance_after),
            }
            for row in rows
        ],
    }


def account_sheet_request(*, account: MemberAccount, requested_by: Any) -> Document:
    return document_request(
        kind=ACCOUNT_SHEET,
        context=account_sheet_context(account),
        requested_by=requested_by,
        subject=account.person,
    )


# 个人住房公积金缴存证明 ------------------------------------------------------------------------------------

DEPOSIT_CERTIFICATE = "deposits.deposit_certificate"
DEFAULT_PURPOSE = "证明该职工住房公积金缴存情况"
PURPOSE_MAX_LENGTH = 40

register_document_kind(
    DEPOSIT_CERTIFICATE, title="住房公积金个人缴存证明", template="deposits/pdf/deposit_certificate.html"
)


def deposit_certificate_context(account: MemberAccount, *, purpose: str, on: Any) -> dict[str, Any]:
    """What the certificate states, as of `on`. The full ID number is printed: the certificate is handed to
    a bank or another centre, which must match it to the person; the public verify page shows it masked."""
    person = account.person
    history = deposit_history(account=account, on=on)
    return {
        "account_number": account.number,
        "name": person.name,
        "id_number": person.id_number,
        "unit_name": account.unit.employer.name,
        "unit_number": account.unit.number,
        "state": account.get_state_display(),
        "opened_on": f"{account.opened_on:%Y年%m月%d日}",
        "first_month": f"{account.first_month:%Y年%m月}",
        **monthly_figures(account),
        "paid_up_to": f"{account.paid_up_to:%Y年%m月}" if account.paid_up_to else "尚未缴存",
        "balance": format_money(account.sub_account.balance),
        "balance_capitals": amount_in_capitals(account.sub_account.balance),
        "as_of": f"{on:%Y年%m月%d日}",
        "window": f"{history.window_from:%Y年%m月}至{history.window_to:%Y年%m月}",
        "months_paid_12": history.months_paid,
        "continuous_12": history.continuous,
        "continuity": "是" if history.continuous else "否",
        "history_text": history.describe(),
        "purpose": purpose,
    }


def deposit_certificate_request(*, account: MemberAccount, requested_by: Any, purpose: str = "") -> Document:
    """Issue a deposit certificate; the PDF is rendered after commit. `purpose` (用途) is optional, at most
    40 characters, printed on the certificate."""
    purpose = " ".join((purpose or "").split())
    if len(purpose) > PURPOSE_MAX_LENGTH:
        raise ValidationError({"purpose": [f"用途不能超过{PURPOSE_MAX_LENGTH}个字"]})
    on = timezone.localdate()
    return document_request(
        kind=DEPOSIT_CERTIFICATE,
        context=deposit_certificate_context(account, purpose=purpose or DEFAULT_PURPOSE, on=on),
        requested_by=requested_by,
        subject=account.person,
    )
