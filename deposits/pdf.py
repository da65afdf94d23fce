"""Documents this line prints. The context is built here, stored with the document, and rendered by the
printing worker — so a reprint shows what was true when it was requested."""

from typing import Any

from django.utils import timezone

from fund.audit.masking import mask_bank_card
from fund.money import format_percent
from fund.printing.models import Document
from fund.printing.services import document_request, register_document_kind

from .models import MemberAccount

ACCOUNT_SHEET = "deposits.account_sheet"

register_document_kind(ACCOUNT_SHEET, title="个人账户信息表", template="deposits/pdf/account_sheet.html")


def account_sheet_context(account: MemberAccount) -> dict[str, Any]:
    person = account.person
    rows = account.sub_account.rows.select_related("entry").order_by("-id")[:6]  # one A4 page with the seal
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
        "base": str(account.base),
        "unit_ratio": format_percent(account.unit.unit_ratio),
        "member_ratio": format_percent(account.unit.member_ratio),
        "unit_monthly": str(account.unit_monthly),
        "member_monthly": str(account.member_monthly),
        "monthly_total": str(account.monthly_total),
        "balance": str(account.sub_account.balance),
        "current_year": str(account.sub_account.current_year),
        "prior_year": str(account.sub_account.prior_year),
        "paid_up_to": f"{account.paid_up_to:%Y年%m月}" if account.paid_up_to else "尚未缴存",
        "bank_card": mask_bank_card(account.bank_card),
        "as_of": f"{timezone.localtime():%Y-%m-%d %H:%M}",
        "rows": [
            {
                "date": f"{row.value_date:%Y-%m-%d}",
                "kind": row.entry.get_business_type_display(),
                "summary": row.summary,
                "amount": str(row.amount),
                "balance": str(row.balance_after),
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
