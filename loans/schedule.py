"""The repayment schedule (还款计划) of a loan: pure arithmetic, no database.

Monthly rate = annual rate ÷ 12; each month's interest is the balance × the annual rate ÷ 12, rounded half up
to the fen. 等额本息 (equal instalments): every payment is P·r·(1+r)^n ÷ ((1+r)^n − 1), rounded to the fen, and
the rest after the month's interest is principal. 等额本金 (equal principal): P ÷ n of principal each month
(rounded to the fen) plus that month's interest. The last instalment takes whatever principal is left, so the
rounding never leaves a fen owing or overpaid.

The first broken period: when the loan is disbursed on another day of the month than its repayment day, the
first instalment's interest is counted by days (balance × annual rate ÷ 360 × days from the disbursement to the
first due date); its principal is still the formula's, and the instalments after it follow the formula.

A **segment** is a run of instalments under one rate and one payment, from the disbursement, a re-pricing (1
January after a rate change) or a prepayment to the end of the loan. Walking a segment from any of its
instalments, given the balance before it, gives the same instalments as walking it from the start: so the
schedule can be stored for the rate year in force and continued later, and a re-pricing or a prepayment starts a
new segment from the balance it finds. The contract, the stored schedule, the member's hall, the nightly close
and the re-pricing all read this one module.
"""

from __future__ import annotations

import calendar
import functools
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from fund.dates import add_months, months_ago
from fund.money import ZERO, to_fen

from .models.applications import RepaymentMethod

HUNDRED = Decimal("100")
TWELVE = Decimal("12")
MONTH_DIVISOR = Decimal("1200")  # annual percent → a month's fraction
DAY_DIVISOR = Decimal("36000")  # annual percent → a day's fraction (360-day year)


class Instalment(NamedTuple):
    """One planned instalment. A named tuple rather than a frozen dataclass: the yearly job makes 2.4 million of
    them, and a frozen dataclass's __init__ costs several times a tuple's."""

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


@dataclass(frozen=True)
class Segment:
    """Instalments `first_number` … `last_number` under one annual rate and one monthly payment rule."""

    balance: Decimal  # principal outstanding before instalment `first_number`
    rate: Decimal  # annual, in percent (2.6 means 2.6 %)
    method: str
    first_number: int
    last_number: int
    first_due: date  # the due date of `first_number`
    day: int  # the repayment day
    payment: Decimal  # 等额本息: the monthly instalment; 等额本金: the monthly principal
    first_interest: Decimal | None = None  # the first instalment's interest when it is counted by days

    @property
    def months(self) -> int:
        return self.last_number - self.first_number + 1

    def due_on(self, number: int) -> date:
        first = self.first_due
        return _month_day(first.year * 12 + first.month - 1 + number - self.first_number, self.day)


def monthly_rate(annual_rate_percent: Decimal) -> Decimal:
    """The monthly rate as a fraction (2.6 % a year → 0.0021666…)."""
    return annual_rate_percent / HUNDRED / TWELVE


def month_interest(balance: Decimal, annual_rate_percent: Decimal) -> Decimal:
    """A month's interest on `balance`, rounded half up to the fen."""
    return to_fen(balance * annual_rate_percent / MONTH_DIVISOR)


def days_interest(balance: Decimal, annual_rate_percent: Decimal, days: int) -> Decimal:
    """Interest on `balance` for `days` days at annual rate ÷ 360 a day, rounded half up to the fen."""
    return to_fen(balance * annual_rate_percent * days / DAY_DIVISOR)


@functools.lru_cache(maxsize=16384)
def _month_day(month_index: int, day: int) -> date:
    """The repayment day of the month `month_index` (year × 12 + month − 1). Cached: the loans of a book share a
    few thousand due dates, and the yearly job asks for one per instalment (2.4 million at 200,000 loans)."""
    return due_date(date(month_index // 12, month_index % 12 + 1, 1), day)


def due_date(month: date, day: int) -> date:
    """The repayment day in `month`'s month (a day the month lacks becomes its last; loans use 1–28)."""
    if day <= 28:  # every month has it; skips monthrange, the yearly job calls this once per instalment
        return month.replace(day=day)
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


def broken_interest(balance: Decimal, annual_rate_percent: Decimal, interest_from: date, first_due: date) -> Decimal | None:
    """The first instalment's interest by days when the period from `interest_from` to `first_due` is not one
    whole month (None when it is: the formula's month then applies)."""
    if months_ago(first_due, 1) == interest_from or interest_from >= first_due:
        return None
    return days_interest(balance, annual_rate_percent, (first_due - interest_from).days)


def segment_new(
    *, balance: Decimal, rate: Decimal, method: str, first_number: int, last_number: int, first_due: date, day: int,
    interest_from: date | None = None,
) -> Segment:
    """A segment that repays `balance` over instalments first … last (减少月供 after a prepayment, a re-pricing,
    the disbursement). With `interest_from` (the disbursement day) the first interest may be counted by days."""
    months = last_number - first_number + 1
    if balance <= 0 or months <= 0:
        raise ValueError("贷款金额与期限须为正数")
    if method == RepaymentMethod.EQUAL_PRINCIPAL:
        payment = to_fen(balance / months)
    else:
        payment = annuity_payment(balance, rate, months)
    first = broken_interest(balance, rate, interest_from, first_due) if interest_from else None
    return Segment(balance=balance, rate=rate, method=method, first_number=first_number, last_number=last_number,
                   first_due=first_due, day=day, payment=payment, first_interest=first)


def segment_shortened(
    *, balance: Decimal, rate: Decimal, method: str, payment: Decimal, first_number: int, last_number: int,
    first_due: date, day: int,
) -> Segment:
    """缩期: keep the monthly payment (or, 等额本金, the monthly principal) and end the loan as soon as it is paid:
    the new last instalment is the first whose payment covers what is left. Never later than `last_number`."""
    if balance <= 0:
        raise ValueError("剩余本金须为正数")
    if method == RepaymentMethod.EQUAL_PRINCIPAL:
        months = -(-balance // payment)  # ceiling
        last = first_number + int(months) - 1
    else:
        left, last = balance, first_number
        while True:
            part = payment - month_interest(left, rate)
            if part <= 0:
                raise ValueError("月还款额不足以偿还当月利息")
            if part >= left:
                break
            left -= part
            last += 1
    return Segment(balance=balance, rate=rate, method=method, first_number=first_number,
                   last_number=min(last, last_number), first_due=first_due, day=day, payment=payment)


def segment_walk(
    segment: Segment, *, start: int | None = None, balance: Decimal | None = None, through: date | None = None,
) -> list[Instalment]:
    """The segment's instalments from `start` (its first) with `balance` outstanding before it (the segment's),
    up to the last or to those due on or before `through`."""
    number = segment.first_number if start is None else start
    left = segment.balance if balance is None else balance
    # Locals hoisted out of the loop: the yearly job walks 2.4 million instalments through here.
    rate, payment, last, first = segment.rate, segment.payment, segment.last_number, segment.first_number
    equal_principal = segment.method == RepaymentMethod.EQUAL_PRINCIPAL
    due_of = segment.due_on
    out: list[Instalment] = []
    while number <= last and left > 0:
        due = due_of(number)
        if through is not None and due > through:
            break
        formula = month_interest(left, rate)
        interest = segment.first_interest if number == first and segment.first_interest is not None else formula
        if number == last:
            part = left
        elif equal_principal:
            part = min(payment, left)
        else:
            part = min(max(payment - formula, ZERO), left)
        left -= part
        out.append(Instalment(number, due, part, interest, left))
        number += 1
    return out


def instalments(
    *, principal: Decimal, annual_rate_percent: Decimal, months: int, method: str, first_due: date, day: int,
    disbursed_on: date | None = None,
) -> list[Instalment]:
    """The whole schedule of a loan of `principal` over `months` from `first_due` (the first broken period
    counted by days from `disbursed_on`, when given)."""
    segment = segment_new(balance=principal, rate=annual_rate_percent, method=method, first_number=1,
                          last_number=months, first_due=first_due, day=day, interest_from=disbursed_on)
    return segment_walk(segment)


def summary(plan: list[Instalment]) -> Summary:
    total_interest = sum((i.interest for i in plan), ZERO)
    return Summary(
        first_payment=plan[0].payment, last_payment=plan[-1].payment, total_interest=total_interest,
        total_payment=sum((i.payment for i in plan), ZERO), first_due_on=plan[0].due_on, maturity_on=plan[-1].due_on,
    )


__all__ = ["Instalment", "Segment", "Summary", "annuity_payment", "broken_interest", "days_interest", "due_date",
           "first_due_on", "instalments", "month_interest", "monthly_rate", "segment_new",
           "segment_shortened", "segment_walk", "summary"]
