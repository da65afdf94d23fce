"""What the centre finds for a borrower's household: first or second home from the registry, existing debt from
the credit reports, balances from the accounts — and from them the quota, the rate and the eligibility verdicts.

`household_figures` gathers the figures (the member's estimator and `assessment_for` share it);
`assessment_for(application)` assesses a stored application for the intake (L3), which keeps the answer on the
application (quota, quota_detail, eligibility, rate, home_order, monthly_debt). Both ask outside systems: call
them outside transactions.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone

from deposits.models import MemberAccount
from fund.integrations.credit import CreditReport
from fund.integrations.models import LoanKind
from fund.ledger.models import SubAccount
from fund.money import ZERO
from fund.people.models import Person

from ..models import HomeOrder, LoanApplication, Product
from .eligibility import (
    EligibilitySubject,
    HomeOrderFinding,
    Verdict,
    eligibility_check,
    home_order_for,
    subsidy_check,
)
from .quota import QuotaInput, QuotaResult, quota_estimate

MAX_HOME_REFUSAL = "家庭住房套数超过可贷款套数，不予贷款"


@dataclass(frozen=True, kw_only=True)
class ConversionLoan:
    """商转公: a commercial housing loan on a credit report, which the fund loan would pay off."""

    reference: str  # "<report number>-<n>", as withdrawals/loans.py names commercial loans
    id_number: str
    lender: str
    balance: Decimal
    monthly_instalment: Decimal


@dataclass(frozen=True, kw_only=True)
class HouseholdFigures:
    home_order: HomeOrderFinding
    monthly_debt: Decimal  # every instalment on the borrowers' and the spouse's credit reports
    balances: list[Decimal]  # the borrower's first, then each co-borrower's (0 without an account here)
    credit_reports: dict[str, CreditReport]
    conversion_loans: list[ConversionLoan]
    evidence: dict[str, Any] = field(default_factory=dict)


def _balance(account: MemberAccount | None) -> Decimal:
    """The balance as stored now (an account object handed in may carry a sub-account read before)."""
    if account is None:
        return ZERO
    found = SubAccount.objects.filter(pk=account.sub_account_id).values_list("balance", flat=True).first()
    return found if found is not None else ZERO


def conversion_loans(reports: dict[str, CreditReport]) -> list[ConversionLoan]:
    found = []
    for id_number, report in reports.items():
        for index, loan in enumerate(report.loans, start=1):
            if loan.kind == LoanKind.COMMERCIAL and loan.for_housing and loan.balance > 0:
                found.append(ConversionLoan(
                    reference=f"{report.report_number or id_number}-{index}", id_number=id_number,
                    lender=loan.lender, balance=loan.balance, monthly_instalment=loan.monthly_instalment,
                ))
    return found


def household_figures(*, person: Person, account: MemberAccount | None, spouse_id_number: str,
                      co_borrowers: list[tuple[Person, MemberAccount | None]], on: date) -> HouseholdFigures:
    """The registry's home count for the household (borrower and spouse), the credit reports of the borrower,
    the spouse and the co-borrowers (their instalments are the existing debt), and the fund balances."""
    from fund.integrations import credit_bureau

    household = [person.id_number, *([spouse_id_number.upper()] if spouse_id_number else [])]
    finding = home_order_for(household, on=on)
    reports: dict[str, CreditReport] = {}
    for number in dict.fromkeys([*household, *(p.id_number for p, _ in co_borrowers)]):
        reports[number] = credit_bureau().report(id_number=number)
    debt = sum((r.monthly_instalments for r in reports.values()), ZERO)
    return HouseholdFigures(
        home_order=finding, monthly_debt=debt,
        balances=[_balance(account), *(_balance(a) for _, a in co_borrowers)],
        credit_reports=reports, conversion_loans=conversion_loans(reports),
        evidence={**finding.evidence,
                  "credit": [{"report_number": r.report_number, "call_id": r.call_id} for r in reports.values()]},
    )


def third_home_result(result: QuotaResult) -> QuotaResult:
    """A quota worked as for a second home, then refused: the limits stay for information."""
    return replace(result, amount=ZERO, term_problems=[MAX_HOME_REFUSAL, *result.term_problems])


def estimate(q: QuotaInput, finding_order: str | None) -> QuotaResult:
    """quota_estimate, with a home beyond policy's count refused (amount 0, the reason first)."""
    if finding_order is None:
        return third_home_result(quota_estimate(replace(q, home_order=HomeOrder.SECOND)))
    return quota_estimate(replace(q, home_order=finding_order))


@dataclass(frozen=True, kw_only=True)
class Assessment:
    home_order: HomeOrderFinding
    quota: QuotaResult
    verdicts: list[Verdict]
    monthly_debt: Decimal
    subsidy: Verdict
    conversion: ConversionLoan | None = None
    evidence: dict[str, Any] = field(default_factory=dict)

    @property
    def eligible(self) -> bool:
        return all(v.passed for v in self.verdicts) and self.quota.amount > 0


def _converted(loans: list[ConversionLoan], reference: str) -> ConversionLoan | None:
    return next((x for x in loans if x.reference == reference), loans[0] if loans else None)


def assessment_for(
    application: LoanApplication, *, co_borrowers: list[tuple[Person, MemberAccount | None]] | None = None,
    on: date | None = None,
) -> Assessment:
    """Assess an application: registry, credit reports, accounts, then quota and eligibility. `co_borrowers`:
    (person, account here or None) of each, for an application not written yet; a stored one's are read."""
    on = on or timezone.localdate()
    co = co_borrowers if co_borrowers is not None else [
        (c.person, c.account) for c in application.co_borrowers.select_related("person", "account__sub_account")
    ]
    person = application.borrower
    figures = household_figures(person=person, account=application.account,
                                spouse_id_number=application.spouse_id_number, co_borrowers=co, on=on)
    debt = figures.monthly_debt
    conversion = None
    conversion_balance = None
    if application.product == Product.CONVERSION:
        # The fund loan pays the commercial loan off: its instalment is no longer a debt to carry.
        conversion = _converted(figures.conversion_loans, application.conversion_reference)
        if conversion is not None:
            debt = max(ZERO, debt - conversion.monthly_instalment)
            conversion_balance = conversion.balance
        else:
            conversion_balance = ZERO
    q = QuotaInput(
        price=application.price, home_kind=application.home_kind, home_order=HomeOrder.FIRST,
        monthly_income=application.monthly_income, monthly_debt=debt, balances=figures.balances,
        co_borrowers=len(co), term_months=application.term_months, birth_date=person.birth_date, sex=person.sex,
        building_year=application.building_year, on=on, conversion_balance=conversion_balance,
    )
    quota = estimate(q, figures.home_order.order)
    verdicts = eligibility_check(EligibilitySubject(
        person=person, account=application.account, co_borrowers=co,
        household_id_numbers=[person.id_number, *([application.spouse_id_number] if application.spouse_id_number else [])],
        home_kind=application.home_kind, project=application.project, on=on, exclude_application_id=application.pk,
        home_order=figures.home_order, credit_reports=figures.credit_reports,
    ))
    subsidy = subsidy_check(home_order=figures.home_order.order, monthly_income=application.monthly_income, on=on)
    return Assessment(home_order=figures.home_order, quota=quota, verdicts=verdicts, monthly_debt=debt,
                      subsidy=subsidy, conversion=conversion, evidence=figures.evidence)


__all__ = ["Assessment", "HouseholdFigures", "assessment_for", "estimate", "household_figures"]
