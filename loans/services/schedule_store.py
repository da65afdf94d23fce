"""The stored schedule: segments and their instalments, stored for the rate year in force.

`schedule_start` begins a segment (the disbursement, a prepayment, a re-pricing): the instalments it replaces
are marked 已调整 (kept as history), the segment row is saved, the loan points at it, and its instalments are
stored through 31 December of the year it takes effect (at least the first). The yearly job continues the
stored schedule into the next year (`loans.services.repricing`). `schedule_rows` is what every page, print and
export shows: the stored instalments, then the rest of the segment projected at the rate in force.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from ..models import OPEN_STATES, Instalment, InstalmentState, Loan, LoanStatus, ScheduleSegment
from ..schedule import Instalment as Planned
from ..schedule import Segment, segment_walk


def horizon_end(on: date) -> date:
    """The last day whose instalments are stored once the rate for `on`'s year is known: 31 December."""
    return date(on.year, 12, 31)


def segment_of(row: ScheduleSegment) -> Segment:
    return Segment(balance=row.balance, rate=row.rate, method=row.method, first_number=row.first_number,
                   last_number=row.last_number, first_due=row.first_due, day=row.day, payment=row.payment,
                   first_interest=row.first_interest)


def planned_rows(segment: Segment, *, through: date, start: int | None = None,
                 balance: Decimal | None = None) -> list[Planned]:
    """The segment's instalments from `start` due on or before `through`, and at least the first of them."""
    plan = segment_walk(segment, start=start, balance=balance, through=through)
    if not plan:
        plan = segment_walk(segment, start=start, balance=balance)[:1]
    return plan


def instalments_store(loan: Loan, row: ScheduleSegment, plan: list[Planned]) -> list[Instalment]:
    return Instalment.objects.bulk_create(
        Instalment(loan=loan, segment=row, number=p.number, due_on=p.due_on, principal=p.principal,
                   interest=p.interest, balance_after=p.balance_after)
        for p in plan
    )


def schedule_start(
    *, loan: Loan, segment: Segment, reason: str, effective_on: date, actor: Any = None,
) -> ScheduleSegment:
    """Start `segment` on the loan (inside the caller's transaction, loan locked). Open instalments numbered
    from the segment's first are superseded: a caller only starts a segment at an instalment nothing has been
    paid on (the next one after a prepayment, the first after 1 January)."""
    replaced = loan.instalments.filter(state__in=OPEN_STATES, number__gte=segment.first_number)
    if replaced.exclude(principal_paid=0, interest_paid=0).exists():
        raise ValueError("新的还款计划不能从已部分还款的期次开始")
    replaced.update(state=InstalmentState.SUPERSEDED)
    row = ScheduleSegment.objects.create(
        loan=loan, reason=reason, effective_on=effective_on, balance=segment.balance, rate=segment.rate,
        method=segment.method, first_number=segment.first_number, last_number=segment.last_number,
        first_due=segment.first_due, day=segment.day, payment=segment.payment,
        first_interest=segment.first_interest, actor=actor if getattr(actor, "pk", None) else None,
    )
    instalments_store(loan, row, planned_rows(segment, through=horizon_end(effective_on)))
    maturity = segment.due_on(segment.last_number)
    Loan.objects.filter(pk=loan.pk).update(segment=row, rate=segment.rate, maturity_on=maturity)
    loan.segment, loan.rate, loan.maturity_on = row, segment.rate, maturity
    return row


@dataclass(frozen=True)
class ScheduleRow:
    """One line of the schedule as shown: a stored instalment, or a projected one (not yet stored)."""

    number: int
    due_on: date
    principal: Decimal
    interest: Decimal
    balance_after: Decimal
    principal_paid: Decimal = Decimal("0.00")
    interest_paid: Decimal = Decimal("0.00")
    penalty: Decimal = Decimal("0.00")
    penalty_paid: Decimal = Decimal("0.00")
    state: str = InstalmentState.PENDING
    state_label: str = "未到期"
    paid_on: date | None = None
    projected: bool = False

    @property
    def payment(self) -> Decimal:
        return self.principal + self.interest


def schedule_rows(loan: Loan) -> list[ScheduleRow]:
    """The schedule in force: the stored instalments (not superseded), then the current segment's projection."""
    labels = dict(InstalmentState.choices)
    stored = list(loan.instalments.exclude(state=InstalmentState.SUPERSEDED).order_by("number"))
    rows = [ScheduleRow(number=i.number, due_on=i.due_on, principal=i.principal, interest=i.interest,
                        balance_after=i.balance_after, principal_paid=i.principal_paid, interest_paid=i.interest_paid,
                        penalty=i.penalty, penalty_paid=i.penalty_paid, state=i.state, state_label=labels[i.state],
                        paid_on=i.paid_on)
            for i in stored]
    # Only a loan still being repaid has a rest to project: a paid-off loan's last stored row may show principal
    # left by the plan (repaid ahead of it), and nothing of it is owed.
    if loan.status == LoanStatus.ACTIVE and loan.segment_id is not None and stored and stored[-1].balance_after > 0:
        segment = segment_of(ScheduleSegment.objects.get(pk=loan.segment_id))
        last = stored[-1]
        rows += [ScheduleRow(number=p.number, due_on=p.due_on, principal=p.principal, interest=p.interest,
                             balance_after=p.balance_after, state_label="预计", projected=True)
                 for p in segment_walk(segment, start=last.number + 1, balance=last.balance_after)]
    return rows
