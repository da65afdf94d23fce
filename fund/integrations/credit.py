"""人行征信: a person's credit report — the loans they owe and whether the record is clean."""

from __future__ import annotations

from abc import abstractmethod
from dataclasses import dataclass
from decimal import Decimal

from .base import Integration, Result, from_row, operation
from .http import HttpClient
from .models import LoanKind, SandboxCreditLoan, SandboxCreditReport


@dataclass(frozen=True, kw_only=True)
class CreditLoan:
    lender: str
    kind: LoanKind
    for_housing: bool
    monthly_instalment: Decimal
    balance: Decimal
    overdue_count: int
    # PBoC's 24-month repayment status, oldest month first: "N" normal, "1"–"7" months overdue in that month,
    # "/" no record, "*" nothing due, "C" settled ... ("" when the bureau gave none).
    repayment_history: str = ""

    @property
    def overdue(self) -> OverdueSummary:
        return overdue_summary(self.repayment_history)


@dataclass(frozen=True)
class OverdueSummary:
    """What a repayment status string says about overdue months, within the last `window` months."""

    longest_run: int  # the most months overdue in a row (a "3" alone says three in a row)
    months: int  # months with something overdue (累计逾期月数)

    def __add__(self, other: OverdueSummary) -> OverdueSummary:
        return OverdueSummary(max(self.longest_run, other.longest_run), self.months + other.months)


NO_OVERDUE = OverdueSummary(0, 0)


def overdue_summary(history: str, window: int = 24) -> OverdueSummary:
    """The overdue months of the last `window` characters of `history` (the most recent is the last)."""
    recent = history[-window:] if window > 0 else ""
    longest = run = months = 0
    for mark in recent:
        if mark.isdigit() and mark != "0":
            run += 1
            months += 1
            longest = max(longest, run, int(mark))
        else:
            run = 0
    return OverdueSummary(longest, months)


@dataclass(frozen=True, kw_only=True)
class CreditReport(Result):
    id_number: str
    report_number: str
    loans: tuple[CreditLoan, ...]  # loans not yet settled
    acceptable: bool  # no bad record (不良记录) on the report
    remark: str
    # Loans settled already: their repayment status still counts for the last 24 months (连三累六).
    settled_loans: tuple[CreditLoan, ...] = ()

    @property
    def monthly_instalments(self) -> Decimal:
        return sum((loan.monthly_instalment for loan in self.loans), Decimal("0.00"))

    def loans_of_kind(self, kind: LoanKind) -> tuple[CreditLoan, ...]:
        return tuple(loan for loan in self.loans if loan.kind == kind)

    def overdue(self, window: int = 24) -> OverdueSummary:
        """Overdue months over every loan on the report, settled ones included, in the last `window` months:
        the longest run on any one loan, and the months summed over the loans."""
        total = NO_OVERDUE
        for loan in (*self.loans, *self.settled_loans):
            total = total + overdue_summary(loan.repayment_history, window)
        return total


class CreditBureau(Integration):
    system = "credit"

    @operation(reference="id_number", query=True)
    @abstractmethod
    def report(self, *, id_number: str) -> CreditReport:
        """The person's report; someone with no credit history gets an empty, acceptable report."""


class SandboxCreditBureau(CreditBureau):
    backend = "sandbox"

    def report(self, *, id_number: str) -> CreditReport:
        id_number = id_number.upper()
        row = SandboxCreditReport.objects.filter(id_number=id_number).first()
        if row is None:
            return CreditReport(
                id_number=id_number, report_number="", loans=(), acceptable=True, remark="无信贷记录"
            )
        loans = list(row.loans.order_by("id"))
        return CreditReport(
            id_number=id_number,
            report_number=row.report_number,
            loans=tuple(_loan(loan) for loan in loans if not loan.settled),
            settled_loans=tuple(_loan(loan) for loan in loans if loan.settled),
            acceptable=row.acceptable,
            remark=row.remark,
        )


def _loan(row: SandboxCreditLoan) -> CreditLoan:
    return from_row(CreditLoan, row, kind=LoanKind(row.kind))


class HttpCreditBureau(HttpClient, CreditBureau):
    def report(self, *, id_number: str) -> CreditReport:
        return self._post("report", CreditReport, id_number=id_number)
