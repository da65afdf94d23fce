"""Reading loan accounts: staff of the loan's branch (or centre-wide) and the borrower see a loan; to anyone
else it does not exist (404)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from fund.money import ZERO
from fund.people.selectors import get_or_404, scoped
from fund.policy.selectors import policy_value

from ..allocation import penalty_to
from ..models import OPEN_STATES, CoBorrower, Instalment, Loan


def loans_for_user(user: Any) -> QuerySet[Loan]:
    return scoped(Loan.objects.all(), user, branch="branch", person="borrower")


def loan_get_for_user(*, user: Any, pk: Any) -> Loan:
    return get_or_404(
        loans_for_user(user).select_related("application__project", "application__account", "borrower", "branch",
                                            "bank", "sub_account", "signed_by", "signed_branch"),
        pk=pk,
    )


def loans_viewable_by(user: Any) -> QuerySet[Loan]:
    """What `user` may read: the loans of `loans_for_user`, and a member's loans where they are a co-borrower
    (共同借款人 see the loan and its schedule, but act on it only as the borrower does, through
    `loan_get_for_user`)."""
    own = loans_for_user(user)
    person_id = getattr(user, "person_id", None)
    if not getattr(user, "is_authenticated", False) or person_id is None:
        return own
    co_borrowed = CoBorrower.objects.filter(person_id=person_id).values("application_id")
    return Loan.objects.filter(Q(pk__in=own.values("pk")) | Q(application_id__in=co_borrowed))


def loan_get_for_viewer(*, user: Any, pk: Any) -> Loan:
    """One loan to read (pages, print, export, API): the borrower, a co-borrower, or staff of its branch; 404
    to anyone else."""
    return get_or_404(
        loans_viewable_by(user).select_related("application", "borrower", "branch", "bank", "sub_account",
                                               "signed_by", "signed_branch", "segment"),
        pk=pk,
    )


@dataclass(frozen=True)
class DueSummary:
    """What a loan owes on a day, read without locking: the overdue instalments (principal, interest, and penalty
    brought to the day as the nightly close and `repayment_posting.owing_rows` compute it) and the next
    instalment not yet overdue."""

    on: date
    overdue_count: int = 0
    overdue_principal: Decimal = ZERO
    overdue_interest: Decimal = ZERO
    penalty: Decimal = ZERO
    next_number: int | None = None
    next_due_on: date | None = None
    next_principal: Decimal = ZERO
    next_interest: Decimal = ZERO

    @property
    def overdue_total(self) -> Decimal:
        return self.overdue_principal + self.overdue_interest + self.penalty

    @property
    def next_amount(self) -> Decimal:
        return self.next_principal + self.next_interest

    @property
    def due_now(self) -> Decimal:
        """Overdue in full plus the instalment due on the day itself (what a 立即还款 would settle)."""
        return self.overdue_total + (self.next_amount if self.next_due_on == self.on else ZERO)


def loan_due_summary(loan: Loan, on: date) -> DueSummary:
    """The loan's dues on `on` for pages and the API (no row is locked or written; the posting path recomputes
    under its lock). An instalment is overdue the day after its due date, as in `owing_rows`."""
    markup = Decimal(policy_value("loan_penalty_markup", on))
    count, principal, interest, penalty = 0, ZERO, ZERO, ZERO
    upcoming: Instalment | None = None
    for inst in loan.instalments.filter(state__in=OPEN_STATES).order_by("number"):
        if inst.due_on >= on:
            upcoming = inst
            break
        count += 1
        unpaid = inst.principal - inst.principal_paid
        principal += unpaid
        interest += inst.interest - inst.interest_paid
        accrued = penalty_to(on=on, unpaid_principal=unpaid, rate=loan.rate, markup=markup,
                             frozen=inst.penalty_frozen, since=inst.penalty_from or inst.due_on)
        penalty += accrued - inst.penalty_paid
    if upcoming is None:
        return DueSummary(on=on, overdue_count=count, overdue_principal=principal, overdue_interest=interest,
                          penalty=penalty)
    return DueSummary(
        on=on, overdue_count=count, overdue_principal=principal, overdue_interest=interest, penalty=penalty,
        next_number=upcoming.number, next_due_on=upcoming.due_on,
        next_principal=upcoming.principal - upcoming.principal_paid,
        next_interest=upcoming.interest - upcoming.interest_paid,
    )
