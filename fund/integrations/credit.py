"""人行征信: a person's credit report — the loans they owe and whether the record is clean."""

from __future__ import annotations

from abc import abstractmethod
from dataclasses import dataclass
from decimal import Decimal

from .base import Integration, Result, operation
from .http import HttpClient
from .models import LoanKind, SandboxCreditReport


@dataclass(frozen=True, kw_only=True)
class CreditLoan:
    lender: str
    kind: LoanKind
    for_housing: bool
    monthly_instalment: Decimal
    balance: Decimal
    overdue_count: int


@dataclass(frozen=True, kw_only=True)
class CreditReport(Result):
    id_number: str
    report_number: str
    loans: tuple[CreditLoan, ...]  # loans not yet settled
    acceptable: bool  # no bad record (不良记录) on the report
    remark: str

    @property
    def monthly_instalments(self) -> Decimal:
        return sum((loan.monthly_instalment for loan in self.loans), Decimal("0.00"))

    def loans_of_kind(self, kind: LoanKind) -> tuple[CreditLoan, ...]:
        return tuple(loan for loan in self.loans if loan.kind == kind)


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
        return CreditReport(
            id_number=id_number,
            report_number=row.report_number,
            loans=tuple(
                CreditLoan(
                    lender=loan.lender,
                    kind=LoanKind(loan.kind),
                    for_housing=loan.for_housing,
                    monthly_instalment=loan.monthly_instalment,
                    balance=loan.balance,
                    overdue_count=loan.overdue_count,
                )
                for loan in row.loans.filter(settled=False).order_by("id")
            ),
            acceptable=row.acceptable,
            remark=row.remark,
        )


class HttpCreditBureau(HttpClient, CreditBureau):
    def report(self, *, id_number: str) -> CreditReport:
        return self._post("report", CreditReport, id_number=id_number)
