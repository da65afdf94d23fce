"""The repayment schedule (还款计划) of a loan: pure arithmetic, no database.

Monthly rate = annual rate ÷ 12. 等额本息 (equal instalments): every payment is P·r·(1+r)^n ÷ ((1+r)^n − 1),
rounded to the fen; each month's interest is the balance × r rounded to the fen and the rest is principal.
等额本金 (equal principal): P ÷ n of principal each month (rounded to the fen) plus that month's interest. In
both, the last instalment takes whatever principal is left, so the rounding never leaves a fen owing or
overpaid. The contract, the member's hall and the next issue's repayment all read this one module.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from fund.dates import add_months
from fund.money import ZERO, to_fen

from .models.applications import RepaymentMethod

HUNDRED = Decimal("100")
TWELVE = Decimal("12")


@dataclass(frozen=True)
class Instalment:
    number: int  # 1 … n
    due_on: date
    principal: Decimal
    interest: Decimal
    balance_after: Decimal  # principal outstanding once this instalment is paid

    @property
    def payment(self) -> Decimal:
        return self.principal + self.interest


@dataclass(frozen=True)
class Summary:
    first_payment: Decimal
    last_payment: Decimal
    total_interest: Decimal
    total_payment: Decimal
    first_due_on: date
    maturity_on: date


def monthly_rate(annual_rate_percent: Decimal) -> Decimal:
    """The monthly rate as a fraction (2.6 % a year → 0.0021666…)."""
    return annual_rate_percent / HUNDRED / TWELVE


def due_date(month: date, day: int) -> date:
    """The repayment day in `month`'s month (a day the month lacks becomes its last; loans use 1–28)."""
    last = calendar.monthrange(month.year, month.month)[1]
    return month.replace(day=min(day, last))


def first_due_on(disbursed_on: date, day: int) -> date:
    """The first repayment: the repayment day of the month after the disbursement."""
    return due_date(add_months(disbursed_on, 1), day)


def annuity_payment(principal: Decimal, annual_rate_percent: Decimal, months: int) -> Decimal:
    """The 等额本息 monthly payment, rounded to the fen (principal ÷ months at a zero rate)."""
    r = monthly_rate(annual_rate_percent)
    if r == 0:
        return to_fen(principal / months)
    growth = (1 + r) ** months
    return to_fen(principal * r * growth / (growth - 1))


def instalments(
    *, principal: Decimal, annual_rate_percent: Decimal, months: int, method: str, first_due: date, day: int
) -> list[Instalment]:
    if principal <= 0 or months <= 0:
        raise ValueError("贷款金额与期限须为正数")
    r = monthly_rate(annual_rate_percent)
    payment = annuity_payment(principal, annual_rate_percent, months)
    equal_principal = to_fen(principal / months)
    balance = principal
    out: list[Instalment] = []
    for number in range(1, months + 1):
        interest = to_fen(balance * r)
        if number == months:
            part = balance
        elif method == RepaymentMethod.EQUAL_PRINCIPAL:
            part = min(equal_principal, balance)
        else:
            part = min(max(payment - interest, ZERO), balance)
        balance -= part
        out.append(Instalment(number=number, due_on=due_date(add_months(first_due, number - 1), day),
                              principal=part, interest=interest, balance_after=balance))
    return out


def summary(plan: list[Instalment]) -> Summary:
    total_interest = sum((i.interest for i in plan), ZERO)
    return Summary(
        first_payment=plan[0].payment, last_payment=plan[-1].payment, total_interest=total_interest,
        total_payment=sum((i.payment for i in plan), ZERO), first_due_on=plan[0].due_on, maturity_on=plan[-1].due_on,
    )
