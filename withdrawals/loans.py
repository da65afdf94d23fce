"""Where housing loans come from, for the repayment reason (06) and standing instructions (逐月提取).

A loan source answers "which unsettled housing loans does this person owe?". The commercial source reads
the PBoC credit report; this centre's own loans (a later line) register a source of their own with
`register_loan_source("centre", fn)`, and reason 06 and standing instructions take them without a change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from fund.integrations import credit_bureau, marriage_registry
from fund.integrations.base import NotFound
from fund.integrations.models import LoanKind


@dataclass(frozen=True)
class HousingLoan:
    source: str  # the registered source's name
    reference: str  # stable within the source
    lender: str
    monthly_instalment: Decimal
    balance: Decimal
    evidence: dict[str, Any] = field(default_factory=dict)
    spouse_name: str = ""  # set when the loan is the member's spouse's (`household_loans`)

    @property
    def key(self) -> str:
        return f"{self.source}:{self.reference}"

    @property
    def label(self) -> str:
        """How a form offers it: whose, the lender, the balance and the instalment."""
        whose = f"配偶{self.spouse_name}的" if self.spouse_name else ""
        return f"{whose}{self.lender}：余额 {self.balance:,} 元，月还款 {self.monthly_instalment:,} 元"


LoanSource = Callable[[str], list[HousingLoan]]
LOAN_SOURCES: dict[str, LoanSource] = {}


def register_loan_source(name: str, fn: LoanSource) -> None:
    LOAN_SOURCES[name] = fn


def commercial_loans(id_number: str) -> list[HousingLoan]:
    """Commercial housing loans on the credit report (this centre's own loans are the centre source's)."""
    report = credit_bureau().report(id_number=id_number)
    loans = []
    for index, loan in enumerate(report.loans, start=1):
        if loan.for_housing and loan.kind == LoanKind.COMMERCIAL and loan.balance > 0:
            loans.append(HousingLoan(
                source="commercial", reference=f"{report.report_number or id_number}-{index}", lender=loan.lender,
                monthly_instalment=loan.monthly_instalment, balance=loan.balance,
                evidence={"credit_call_id": report.call_id, "report_number": report.report_number},
            ))
    return loans


register_loan_source("commercial", commercial_loans)


def housing_loans(id_number: str) -> list[HousingLoan]:
    out: list[HousingLoan] = []
    for fn in LOAN_SOURCES.values():
        out.extend(fn(id_number))
    return out


_ASK = object()


def household_loans(id_number: str, *, marriage: Any = _ASK) -> list[HousingLoan]:
    """The person's unsettled housing loans, then those of the spouse the marriage registry names now:
    reason 06 and standing instructions repay either. `marriage`: the registry's answer when the caller
    has it already (None: no record)."""
    loans = housing_loans(id_number)
    if marriage is _ASK:
        try:
            marriage = marriage_registry().status(id_number=id_number)
        except NotFound:
            marriage = None
    if marriage is not None and marriage.spouse_id_number:
        loans += [replace(loan, spouse_name=marriage.spouse_name or "（姓名未登记）",
                          evidence={**loan.evidence, "marriage_call_id": marriage.call_id})
                  for loan in housing_loans(marriage.spouse_id_number)]
    return loans


def household_loan(id_number: str, key: str) -> HousingLoan | None:
    return next((loan for loan in household_loans(id_number) if loan.key == key), None)
