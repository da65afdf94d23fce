"""The loans line seen from the other lines (registered in LoansConfig.ready, so deposits and withdrawals never
import loans):

- deposits: an unpaid fund loan (待放款 or 还款中), as borrower or co-borrower, blocks a transfer-out and a merge
  of the member's account (TRANSFER_OUT_BLOCKERS, MERGE_BLOCKERS): the account is the loan's security and the
  source of its repayment withdrawals;
- withdrawals: this centre's loans are the "centre" loan source of `withdrawals/loans.py`, so reason 06 and its
  standing instruction (逐月提取) repay them as they repay a commercial loan: the month's instalment from the
  repayment schedule, the principal outstanding from the loan's sub-account.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from ..models import Loan, LoanStatus
from ..schedule import instalments
from .schedule_store import schedule_rows

UNPAID = (LoanStatus.PENDING, LoanStatus.ACTIVE)


def unpaid_loans_of(person_id: int) -> QuerySet[Loan]:
    """The person's unpaid fund loans, as borrower or as a co-borrower."""
    return Loan.objects.filter(status__in=UNPAID).filter(
        Q(borrower_id=person_id) | Q(application__co_borrowers__person_id=person_id)).distinct()


def unpaid_loan_blocker(account: Any) -> str | None:
    """For deposits' blockers hooks: why this member account may not leave the city or be merged away."""
    numbers = list(unpaid_loans_of(account.person_id).order_by("id").values_list("contract_number", flat=True)[:3])
    if numbers:
        return f"有未结清的住房公积金贷款（合同 {'、'.join(numbers)}），结清后才能办理"
    return None


def monthly_instalment(loan: Loan, *, on: Any = None) -> Decimal:
    """The instalment due in the month of `on` (today), or the next one: from the schedule in force (stored, then
    projected; it follows re-pricing and prepayment), or the contract's plan for a loan not yet disbursed."""
    on = on or timezone.localdate()
    month = on.replace(day=1)
    if loan.segment_id is not None:
        rows = schedule_rows(loan)
        due = next((r for r in rows if r.due_on >= month), rows[-1] if rows else None)
        return due.payment if due is not None else Decimal("0.00")
    if loan.first_due_on is None:
        return Decimal("0.00")
    plan = instalments(principal=loan.principal, annual_rate_percent=loan.rate, months=loan.term_months,
                       method=loan.method, first_due=loan.first_due_on, day=loan.repayment_day)
    return next((i for i in plan if i.due_on >= month), plan[-1]).payment


def centre_loans(id_number: str) -> list[Any]:
    """The "centre" loan source: the person's loans here with principal outstanding (还款中)."""
    from withdrawals.loans import HousingLoan

    loans = (Loan.objects.filter(borrower__id_number=id_number, status=LoanStatus.ACTIVE,
                                 sub_account__balance__gt=0).select_related("sub_account").order_by("id"))
    lender = f"{settings.FUND_CENTRE_NAME}（公积金贷款）"
    return [
        HousingLoan(source="centre", reference=loan.contract_number, lender=lender,
                    monthly_instalment=monthly_instalment(loan), balance=loan.sub_account.balance,
                    evidence={"contract_number": loan.contract_number, "loan_id": loan.pk})
        for loan in loans
    ]


def register_other_lines() -> None:
    from deposits.services.merge import MERGE_BLOCKERS
    from deposits.services.transfer import TRANSFER_OUT_BLOCKERS
    from withdrawals.loans import register_loan_source

    for hooks in (MERGE_BLOCKERS, TRANSFER_OUT_BLOCKERS):
        if unpaid_loan_blocker not in hooks:
            hooks.append(unpaid_loan_blocker)
    register_loan_source("centre", centre_loans)
