"""Where a repayment goes (还款顺序) and what an overdue instalment's penalty is: pure arithmetic.

The order is fixed and printed on the statement: 1 penalty (罚息), 2 overdue interest (逾期利息), 3 overdue
principal (逾期本金), 4 current interest (当期利息), 5 current principal (当期本金); within each, the oldest
instalment first. A payment fills each in turn and stops when the money runs out, so a partial payment always
clears the penalty before it touches principal. What the owed rows cannot take is `rest`: the callers refuse it
(a repayment never takes more than is owed) or, for a prepayment, repay principal ahead of the schedule with it.

Penalty (罚息) on an overdue instalment to day D: its unpaid principal × the loan's annual rate × (1 + the
penalty markup) ÷ 360 × the days from `penalty_from` (the due date, or the day principal was last repaid) to D,
rounded to the fen, plus what was accrued before that day (`penalty_frozen`). The nightly close computes the
same figure in SQL (`loans.close`); so does a repayment at the counter during the day.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from fund.money import ZERO, to_fen

DAY_DIVISOR = Decimal("36000")  # annual percent → a day's fraction (360-day year)

ORDER = (
    ("penalty", "罚息"),
    ("overdue_interest", "逾期利息"),
    ("overdue_principal", "逾期本金"),
    ("interest", "当期利息"),
    ("principal", "当期本金"),
)


@dataclass(frozen=True)
class Owing:
    """One open instalment as a payment sees it: what is unpaid of each part on the value date."""

    instalment_id: int
    number: int
    due_on: date
    penalty: Decimal
    interest: Decimal
    principal: Decimal
    overdue: bool

    @property
    def total(self) -> Decimal:
        return self.penalty + self.interest + self.principal


@dataclass(frozen=True)
class Share:
    """What one payment puts on one instalment."""

    instalment_id: int
    penalty: Decimal
    interest: Decimal
    principal: Decimal

    @property
    def total(self) -> Decimal:
        return self.penalty + self.interest + self.principal


@dataclass(frozen=True)
class Allocation:
    shares: tuple[Share, ...]
    penalty: Decimal
    overdue_interest: Decimal
    overdue_principal: Decimal
    interest: Decimal
    principal: Decimal
    rest: Decimal  # what the owed rows could not take

    @property
    def applied(self) -> Decimal:
        return self.penalty + self.overdue_interest + self.overdue_principal + self.interest + self.principal

    @property
    def principal_total(self) -> Decimal:
        return self.overdue_principal + self.principal

    @property
    def touches_overdue(self) -> bool:
        return bool(self.penalty or self.overdue_interest or self.overdue_principal)


def allocate(amount: Decimal, owing: Sequence[Owing], *, on: date | None = None) -> Allocation:
    """Spread `amount` over the owed instalments in the fixed order (oldest first within each part). With `on`,
    an instalment not yet due on that day (paid ahead of the debit day) takes only what is left once everything
    due is paid: next month's interest never comes before this month's principal."""
    if on is None:
        return _allocate(amount, owing)
    first = _allocate(amount, [o for o in owing if o.due_on <= on])
    ahead = [o for o in owing if o.due_on > on]
    if not ahead or first.rest <= 0:
        return first
    second = _allocate(first.rest, ahead)
    return Allocation(
        shares=first.shares + second.shares, penalty=first.penalty + second.penalty,
        overdue_interest=first.overdue_interest + second.overdue_interest,
        overdue_principal=first.overdue_principal + second.overdue_principal,
        interest=first.interest + second.interest, principal=first.principal + second.principal, rest=second.rest,
    )


def _allocate(amount: Decimal, owing: Sequence[Owing]) -> Allocation:
    if amount < 0:
        raise ValueError("还款金额不能为负数")
    rows = sorted(owing, key=lambda o: (o.due_on, o.number))
    left = amount
    taken: dict[int, dict[str, Decimal]] = {o.instalment_id: {"penalty": ZERO, "interest": ZERO, "principal": ZERO}
                                            for o in rows}
    totals = {key: ZERO for key, _ in ORDER}
    steps = (
        ("penalty", "penalty", True),
        ("overdue_interest", "interest", True),
        ("overdue_principal", "principal", True),
        ("interest", "interest", False),
        ("principal", "principal", False),
    )
    for total_key, part, overdue in steps:
        for row in rows:
            if left <= 0:
                break
            if row.overdue != overdue and part != "penalty":
                continue
            unpaid = getattr(row, part) - taken[row.instalment_id][part]
            if unpaid <= 0:
                continue
            pay = min(unpaid, left)
            taken[row.instalment_id][part] += pay
            totals[total_key] += pay
            left -= pay
    shares = tuple(Share(instalment_id=i, penalty=t["penalty"], interest=t["interest"], principal=t["principal"])
                   for i, t in taken.items() if any(t.values()))
    return Allocation(shares=shares, rest=left, **totals)


def penalty_to(
    *, on: date, unpaid_principal: Decimal, rate: Decimal, markup: Decimal, frozen: Decimal, since: date | None,
) -> Decimal:
    """An overdue instalment's penalty to day `on`: `frozen` plus the unpaid principal's penalty from `since`.
    `rate` is the loan's annual rate in percent, `markup` a fraction (0.5 for 50 %)."""
    if since is None or on <= since or unpaid_principal <= 0:
        return frozen
    return frozen + to_fen(unpaid_principal * rate * (1 + markup) * (on - since).days / DAY_DIVISOR)
