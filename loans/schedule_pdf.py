"""The printed schedule (还款计划表): a fund.printing document with a verification code, for the member and for
staff. The context is fixed when it is asked for (a reprint shows the schedule as it was then): the loan's terms,
the stored instalments with their paid parts and state, and the projected rest marked 预计."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import timezone

from fund.audit.masking import mask_id_number
from fund.money import ZERO, format_money
from fund.printing.models import Document
from fund.printing.selectors import documents_for_user
from fund.printing.services import document_request, register_document_kind

from .models import Loan
from .services.schedule_store import schedule_rows

SCHEDULE = "loans.schedule"

# "as_of" is the minute the schedule was read: the same schedule asked for twice in a day is one document.
register_document_kind(SCHEDULE, title="个人住房公积金贷款还款计划表", template="loans/pdf/schedule.html",
                       stamps=("as_of",))


def schedule_context(loan: Loan) -> dict[str, Any]:
    rows = schedule_rows(loan)
    return {
        "contract_number": loan.contract_number,
        "iou_number": loan.iou_number,
        "borrower": loan.borrower.name,
        "borrower_id": mask_id_number(loan.borrower.id_number),
        "lender": settings.FUND_CENTRE_NAME,
        "bank": str(loan.bank),
        "principal": format_money(loan.principal),
        "balance": format_money(loan.balance),
        "rate": f"{loan.rate:.3f}",
        "method": loan.get_method_display(),
        "term": f"{loan.term_months} 个月",
        "repayment_day": loan.repayment_day,
        "disbursed_on": f"{loan.disbursed_on:%Y-%m-%d}" if loan.disbursed_on else "",
        "maturity_on": f"{loan.maturity_on:%Y-%m-%d}" if loan.maturity_on else "",
        "status": loan.get_status_display(),
        "as_of": f"{timezone.localtime():%Y-%m-%d %H:%M}",
        "has_projected": any(r.projected for r in rows),
        "total_principal": format_money(sum((r.principal for r in rows), ZERO)),
        "total_interest": format_money(sum((r.interest for r in rows), ZERO)),
        "total_payment": format_money(sum((r.payment for r in rows), ZERO)),
        "rows": [
            {
                "number": r.number, "due_on": f"{r.due_on:%Y-%m-%d}", "principal": format_money(r.principal),
                "interest": format_money(r.interest), "payment": format_money(r.payment),
                "balance_after": format_money(r.balance_after),
                "paid": format_money(r.principal_paid + r.interest_paid + r.penalty_paid),
                "penalty": format_money(r.penalty) if r.penalty else "", "state": r.state_label,
                "projected": r.projected,
            }
            for r in rows
        ],
    }


def schedule_print(*, loan: Loan, requested_by: Any) -> Document:
    """Ask for the printed schedule; rendered after commit by the printing worker."""
    return document_request(kind=SCHEDULE, context=schedule_context(loan), requested_by=requested_by,
                            subject=loan.borrower)


def schedule_documents(loan: Loan, user: Any) -> list[Document]:
    """The latest printed schedules of this loan that `user` may download (fund.printing's scope: the borrower and
    staff see every print, whoever asked — the window's and the member's may be the same document; a co-borrower
    sees their own)."""
    return list(documents_for_user(user=user).filter(kind=SCHEDULE, subject_id=loan.borrower_id,
                                                     context__contract_number=loan.contract_number).order_by("-id")[:5])
