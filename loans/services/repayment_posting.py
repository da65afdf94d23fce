"""Posting one repayment: the only code (besides the nightly close's set-based batch, `loans.close`) that marks
instalments paid and credits a loan.

Callers — the counter, the personal hall (card or fund account), 自愿扣划, prepayment and payoff — take the money
first (a bank collection, outside any transaction), then, in one transaction with the loan locked:

    rows = owing_rows(loan, on)                          # open instalments, penalty brought to `on`
    allocation = allocate(amount, [owing for _, owing in rows])
    repayment, created = repayment_post(loan=loan, on=on, rows=rows, allocation=allocation, ...)

`repayment_post` writes the instalments' paid parts, one balanced entry (Dr 101 for the card part, Dr 201 with
the member's sub-ledger row for the fund part; Cr 111 principal with the loan's sub-ledger row, Cr 401 interest,
Cr 402 penalty), the 还款明细 row, the loan's overdue counters, and closes the loan when its principal is repaid.
The same idempotency key returns the first repayment and posts nothing again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F, QuerySet

from fund.ledger import chart
from fund.ledger.models import BusinessType
from fund.ledger.services import Leg, Movement, credit, debit, entry_post
from fund.money import ZERO
from fund.numbers import next_number
from fund.policy.selectors import policy_value
from fund.workflow.moves import move_status

from ..allocation import Allocation, Owing, penalty_to
from ..models import (
    OPEN_STATES,
    Instalment,
    InstalmentState,
    Loan,
    LoanStatus,
    Repayment,
    RepaymentChannel,
    RepaymentKind,
    ScheduleSegment,
)
from ..states import LOAN_MOVES


@dataclass(frozen=True)
class Sources:
    """Where the money of one repayment came from: a fund account, a card (or the counter's till), or both."""

    from_fund: Decimal = ZERO
    fund_account: Any = None  # deposits.MemberAccount when from_fund > 0
    from_card: Decimal = ZERO
    card: str = ""
    bank_reference: str = ""

    @property
    def total(self) -> Decimal:
        return self.from_fund + self.from_card


def loan_locked(loan: Loan) -> Loan:
    """The loan row locked for the rest of the transaction (every repayment of one loan goes one at a time)."""
    return Loan.objects.select_for_update(of=("self",)).select_related("sub_account", "borrower").get(pk=loan.pk)


def open_instalments(loan: Loan) -> QuerySet[Instalment]:
    return loan.instalments.filter(state__in=OPEN_STATES).order_by("number")


def owing_rows(loan: Loan, on: date, *, ahead: bool = False) -> list[tuple[Instalment, Owing]]:
    """The loan's instalments owed on `on` (overdue, and due on or before it), with penalty brought to `on`, and
    with `ahead` the next one not yet due too (a member may pay this month's before the debit day). Call inside
    the repayment's transaction, after `loan_locked`."""
    markup = Decimal(policy_value("loan_penalty_markup", on))
    rows: list[tuple[Instalment, Owing]] = []
    upcoming_taken = False
    for inst in open_instalments(loan).select_for_update():
        if inst.due_on > on:
            if not ahead or upcoming_taken:
                break
            upcoming_taken = True
        overdue = inst.due_on < on
        if overdue:
            inst.penalty = penalty_to(on=on, unpaid_principal=inst.principal - inst.principal_paid, rate=loan.rate,
                                      markup=markup, frozen=inst.penalty_frozen, since=inst.penalty_from or inst.due_on)
        rows.append((inst, Owing(
            instalment_id=inst.pk, number=inst.number, due_on=inst.due_on, penalty=inst.penalty - inst.penalty_paid,
            interest=inst.interest - inst.interest_paid, principal=inst.principal - inst.principal_paid,
            overdue=overdue,
        )))
    return rows


def owed_total(rows: Sequence[tuple[Instalment, Owing]]) -> Decimal:
    return sum((owing.total for _, owing in rows), ZERO)


def business_type(kind: str, sources: Sources) -> str:
    if kind == RepaymentKind.PREPAY_FULL:
        return BusinessType.DK_SETTLE
    if kind == RepaymentKind.PREPAY_PARTIAL:
        return BusinessType.DK_PREPAY
    if sources.from_fund > 0:
        return BusinessType.DK_FUND_REPAY
    return BusinessType.DK_OVERDUE_REPAY if kind == RepaymentKind.OVERDUE else BusinessType.DK_REPAY


def repayment_post(
    *, loan: Loan, on: date, rows: Sequence[tuple[Instalment, Owing]], allocation: Allocation, sources: Sources,
    channel: str, idempotency_key: str, actor: Any = None, kind: str | None = None,
    prepaid_principal: Decimal = ZERO, segment: ScheduleSegment | None = None, memo: str = "",
) -> tuple[Repayment, bool]:
    """Post one repayment allocated by `allocation` over `rows` (from `owing_rows` in this transaction), plus
    `prepaid_principal` repaid ahead of the schedule. Returns (repayment, created): the key seen before returns
    the first repayment and writes nothing. Must run inside a transaction, with the loan locked."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("repayment_post must run inside the repayment's transaction")
    existing = Repayment.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing, False
    amount = allocation.applied + prepaid_principal
    if amount <= 0 or amount != sources.total:
        raise ValueError("还款金额与资金来源不一致")
    kind = kind or (RepaymentKind.OVERDUE if allocation.touches_overdue else RepaymentKind.SCHEDULED)
    _instalments_pay(rows, allocation, on)
    principal = allocation.principal_total + prepaid_principal
    interest = allocation.overdue_interest + allocation.interest
    legs: list[Leg] = []
    movements: list[Movement] = []
    label = dict(RepaymentKind.choices)[kind]
    if sources.from_card > 0:
        legs.append(debit(chart.BANK, sources.from_card))
    if sources.from_fund > 0:
        legs.append(debit(chart.MEMBER_DEPOSITS, sources.from_fund))
        movements.append(Movement(sources.fund_account.sub_account_id, -sources.from_fund,
                                  summary=f"{label}（公积金扣划）{loan.contract_number}"))
    if principal > 0:
        legs.append(credit(chart.LOANS, principal))
        movements.append(Movement(loan.sub_account_id, -principal, summary=f"{label} {loan.contract_number}"))
    if interest > 0:
        legs.append(credit(chart.INTEREST_INCOME, interest))
    if allocation.penalty > 0:
        legs.append(credit(chart.PENALTY_INCOME, allocation.penalty))
    posted = entry_post(
        business_type=business_type(kind, sources), reference=loan.contract_number,
        idempotency_key=f"loans.repayment:{idempotency_key}", value_date=on, legs=legs, movements=movements,
        actor=actor, memo=memo or f"{label} {loan.contract_number}",
    )
    loan.sub_account.refresh_from_db(fields=["balance"])
    repayment = Repayment.objects.create(
        loan=loan, number=next_number("loans_repayment_number", "HK", 12), idempotency_key=idempotency_key,
        kind=kind, channel=channel, value_date=on, amount=amount, penalty=allocation.penalty,
        overdue_interest=allocation.overdue_interest, overdue_principal=allocation.overdue_principal,
        interest=allocation.interest, principal=allocation.principal, prepaid_principal=prepaid_principal,
        from_fund=sources.from_fund, fund_account=sources.fund_account if sources.from_fund > 0 else None,
        from_card=sources.from_card, card=sources.card, bank_reference=sources.bank_reference, entry=posted.entry,
        balance_after=loan.sub_account.balance, segment=segment, actor=actor if getattr(actor, "pk", None) else None,
    )
    loan_overdue_refresh(loan, on)
    if loan.sub_account.balance == 0:
        loan_paid_off(loan, on=on, actor=actor, repayment=repayment)
    return repayment, True


def _instalments_pay(rows: Sequence[tuple[Instalment, Owing]], allocation: Allocation, on: date) -> None:
    shares = {share.instalment_id: share for share in allocation.shares}
    changed: list[Instalment] = []
    for inst, owing in rows:
        share = shares.get(inst.pk)
        if share is None:
            if owing.overdue:
                changed.append(inst)  # its penalty was brought to `on`; keep the figure
            continue
        inst.penalty_paid += share.penalty
        inst.interest_paid += share.interest
        if share.principal and owing.overdue:
            # The penalty so far stays owed; from today it runs on the principal still unpaid.
            inst.penalty_frozen, inst.penalty_from = inst.penalty, on
        inst.principal_paid += share.principal
        if inst.owed == 0 and inst.principal_paid == inst.principal:
            inst.state, inst.paid_on = InstalmentState.PAID, on
        changed.append(inst)
    Instalment.objects.bulk_update(changed, ["penalty", "penalty_paid", "interest_paid", "principal_paid",
                                             "penalty_frozen", "penalty_from", "state", "paid_on"])


def loan_overdue_refresh(loan: Loan, on: date) -> None:
    """The loan's overdue counters from its open instalments due before `on` (the close does the same in SQL)."""
    overdue = list(loan.instalments.filter(state__in=OPEN_STATES, due_on__lt=on).values_list("due_on", flat=True))
    since = min(overdue) if overdue else None
    fields = {"overdue_since": since, "periods_overdue": len(overdue), "days_overdue": (on - since).days if since else 0}
    Loan.objects.filter(pk=loan.pk).update(**fields)
    for name, value in fields.items():
        setattr(loan, name, value)


def loan_paid_off(loan: Loan, *, on: date, actor: Any, repayment: Repayment) -> None:
    """Principal repaid: the instalments not yet due are no longer owed (their interest never accrued), and the
    loan closes (已结清). The payoff's follow-up (the mortgage release, the SMS) runs after the commit."""
    open_rows = loan.instalments.filter(state__in=OPEN_STATES)
    if open_rows.filter(due_on__lte=on).exclude(principal_paid=F("principal")).exists():
        return  # cannot happen: allocation pays what is due before any principal ahead of the schedule
    # Not yet due: their principal was repaid ahead (a full prepayment), their interest never accrued.
    open_rows.update(state=InstalmentState.SUPERSEDED)
    move_status(loan, LoanStatus.CLOSED, table=LOAN_MOVES, action="loans.loan.closed", actor=actor,
                note={"repayment": repayment.number, "closed_on": on}, closed_on=on)
    from .payoff import payoff_follow_up

    transaction.on_commit(lambda: payoff_follow_up(loan.pk), robust=True)


__all__ = ["RepaymentChannel", "Sources", "loan_locked", "loan_overdue_refresh", "open_instalments", "owed_total",
           "owing_rows", "repayment_post"]
