"""Interest: a year's settlement for many sub-accounts in SQL (`interest_settle_set`), the unsettled 积数 of
one account to a day (`accumulation_through`), and paying an account about to close its interest."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection, transaction

from fund.money import FEN, ZERO

from ..models import (
    BusinessType,
    JournalEntry,
    SubAccount,
    interest_period_end,
    interest_period_start,
)
from .posting import (
    BALANCE_FIELDS,
    Movement,
    PostingError,
    check_amount,
    credit,
    debit,
    entry_post,
    legs_validate,
    movement_apply,
)
from .set_posting import entry_open

# Interest settlement --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Settled:
    """One chunk of a settlement: how many sub-accounts it covered, where it stopped, what it credited."""

    accounts: int
    last_id: int | None
    interest_current: Decimal
    interest_prior: Decimal
    entry: JournalEntry | None

    @property
    def interest(self) -> Decimal:
        return self.interest_current + self.interest_prior


# For each sub-account of the chunk: which figures hold its period's 积数 (kind), the 积数 of the whole
# and of the 上年结转 part, the interest on the whole (w) and on each part (i: 当年 is the whole less 上年),
# and the account after settlement. See SubAccount.
_SETTLE_CALC = """
CREATE TEMP TABLE ledger_settle_calc ON COMMIT DROP AS
WITH chunk AS MATERIALIZED (
    SELECT * FROM ledger_subaccount
     WHERE control_id = %(control)s AND id > %(after)s
     ORDER BY id LIMIT %(limit)s
       FOR UPDATE
)
SELECT s.id, k.kind, a.total, a.prior, i.cur AS interest_cur, i.pri AS interest_pri,
       s.balance + i.cur + i.pri AS balance,
       CASE WHEN k.kind = 'closed' THEN s.current_year - r.roll ELSE 0 END AS current_year,
       CASE WHEN k.kind = 'closed' THEN s.prior_year + r.roll + i.cur + i.pri
            ELSE s.balance + i.cur + i.pri END AS prior_year,
       CASE WHEN k.kind = 'closed' THEN s.accumulation + (i.cur + i.pri) * (s.accumulated_to - %(next)s::date)
            ELSE 0 END AS accumulation,
       CASE WHEN k.kind = 'closed'
            THEN s.accumulation_prior + (i.cur + i.pri) * (s.accumulated_to - %(next)s::date)
            ELSE 0 END AS accumulation_prior,
       CASE WHEN k.kind = 'closed' THEN s.accumulated_to ELSE %(next)s::date END AS accumulated_to
  FROM chunk s
 CROSS JOIN LATERAL (
       SELECT CASE WHEN s.closed_period_end = %(end)s::date THEN 'closed'
                   WHEN s.accumulated_to <= %(end)s::date THEN 'running'
                   ELSE 'skip' END
       ) AS k(kind)
 CROSS JOIN LATERAL (
       SELECT CASE WHEN k.kind = 'closed' THEN s.closed_accumulation
                   WHEN k.kind = 'skip' THEN 0
                   WHEN s.accumulated_to >= %(start)s::date
                   THEN s.accumulation + s.balance * (%(next)s::date - s.accumulated_to)
                   ELSE s.balance * (%(next)s::date - %(start)s::date) END,
              CASE WHEN k.kind = 'closed' THEN s.closed_accumulation_prior
                   WHEN k.kind = 'skip' THEN 0
                   WHEN s.accumulated_to >= %(start)s::date
                   THEN s.accumulation_prior
                        + (s.prior_year + s.closed_current_year) * (%(next)s::date - s.accumulated_to)
                   ELSE s.balance * (%(next)s::date - %(start)s::date) END
       ) AS a(total, prior)
 CROSS JOIN LATERAL (
       SELECT GREATEST(0, ROUND(a.total * %(rate)s::numeric / 360, 2)),
              GREATEST(0, ROUND(a.prior * %(rate)s::numeric / 360, 2))
       ) AS w(whole, pri)
 CROSS JOIN LATERAL (SELECT w.whole - LEAST(w.whole, w.pri), LEAST(w.whole, w.pri)) AS i(cur, pri)
 CROSS JOIN LATERAL (SELECT GREATEST(0, LEAST(s.closed_current_year, s.current_year))) AS r(roll)
"""

_SETTLE_WRITE = """
UPDATE ledger_subaccount AS s
   SET balance = c.balance, current_year = c.current_year, prior_year = c.prior_year,
       accumulation = c.accumulation, accumulation_prior = c.accumulation_prior, accumulated_to = c.accumulated_to,
       closed_period_end = NULL, closed_accumulation = 0, closed_accumulation_prior = 0, closed_current_year = 0
  FROM ledger_settle_calc c
 WHERE s.id = c.id AND c.kind <> 'skip'
"""


def interest_settle_set(
    *,
    control_code: str,
    period_start: date,
    period_end: date,
    rate: Decimal,
    expense_code: str,
    key_prefix: str,
    reference: str,
    after_id: int,
    limit: int,
    actor: Any = None,
    memo: str = "",
    summary: str = "",
) -> Settled:
    """Settle the interest period ending `period_end` for the next `limit` sub-accounts under a control
    account with id > `after_id`, in one entry (Dr expense / Cr control) keyed f"{key_prefix}:{first id}".

    The interest is round(积数 × rate ÷ 360) half up to the fen on the whole 积数 (SPEC §2.1 rounds the
    total); the 上年结转 part is its own 积数 rounded the same way and the 当年归集 part the rest, so the parts
    always add up to the rounded total (rounded apart they could be a fen off it); a sub-ledger row (amount = both, split columns = the interest on each part) only where there is
    interest. Every account of the period then rolls: the interest and the period's 当年归集 go to
    上年结转, the closed figures clear, the running ones restart on 1 July (see SubAccount). An account
    already settled for the period, or opened after it, is left as it is, so a rerun posts nothing; a
    chunk whose key was already used is not touched at all. Call inside the caller's transaction.
    """
    accounts = legs_validate([debit(expense_code, FEN), credit(control_code, FEN)], ())
    control = accounts[control_code]
    next_start = period_end + timedelta(days=1)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS ledger_settle_calc")
        cursor.execute(
            _SETTLE_CALC,
            {"control": control.pk, "after": after_id, "limit": limit, "start": period_start, "end": period_end,
             "next": next_start, "rate": rate},
        )
        cursor.execute(
            "SELECT COUNT(*), MIN(id), MAX(id), COALESCE(SUM(interest_cur), 0), COALESCE(SUM(interest_pri), 0)"
            "  FROM ledger_settle_calc"
        )
        count, first_id, last_id, interest_cur, interest_pri = cursor.fetchone()
        if not count:
            return Settled(0, None, ZERO, ZERO, None)
        key = f"{key_prefix}:{first_id}"
        existing = JournalEntry.objects.filter(idempotency_key=key).first()
        if existing is not None:
            return Settled(count, last_id, ZERO, ZERO, existing)
        entry = None
        total = interest_cur + interest_pri
        if total > 0:
            legs = [debit(expense_code, total), credit(control_code, total)]
            entry, created = entry_open(
                business_type=BusinessType.GJ_INTEREST, reference=reference, idempotency_key=key,
                value_date=period_end, legs=legs, accounts=accounts, actor=actor, memo=memo,
            )
            if not created:
                return Settled(count, last_id, ZERO, ZERO, entry)
            cursor.execute(
                """
                INSERT INTO ledger_subledgerrow
                       (entry_id, sub_account_id, value_date, amount, current_year_amount, prior_year_amount,
                        balance_after, summary)
                SELECT %s, id, %s, interest_cur + interest_pri, interest_cur, interest_pri, balance, %s
                  FROM ledger_settle_calc WHERE interest_cur + interest_pri > 0 ORDER BY id
                """,
                [entry.pk, period_end, summary[:120]],
            )
        cursor.execute(_SETTLE_WRITE)
        cursor.execute("DROP TABLE ledger_settle_calc")
    return Settled(count, last_id, interest_cur, interest_pri, entry)


# Interest to a day ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PeriodAccumulation:
    """积数 not yet settled for one interest period: the whole and the 上年结转 part."""

    period_end: date
    total: Decimal
    prior: Decimal

    @property
    def current(self) -> Decimal:
        return self.total - self.prior


def accumulation_through(sub: SubAccount, day: date) -> list[PeriodAccumulation]:
    """The unsettled 积数 of `sub` through `day` inclusive, per interest period (a closed period waiting
    for its settlement, then the running one), as a posting on the next day would see it. Pure: the
    account is not changed. `day` may not precede the last posting's value date by more than a day."""
    after = day + timedelta(days=1)
    if after < sub.accumulated_to:
        raise PostingError(f"计息截止日不能早于 {sub.accumulated_to - timedelta(days=1):%Y-%m-%d}")
    probe = SubAccount(pk=sub.pk, number=sub.number, allow_negative=True, **{f: getattr(sub, f) for f in BALANCE_FIELDS})
    movement_apply(probe, Movement(sub.pk, ZERO), after)
    periods = []
    if probe.closed_period_end is not None:
        periods.append(PeriodAccumulation(probe.closed_period_end, probe.closed_accumulation, probe.closed_accumulation_prior))
    if interest_period_start(after) == after and probe.closed_period_end == day:
        return periods
    periods.append(PeriodAccumulation(interest_period_end(day), probe.accumulation, probe.accumulation_prior))
    return periods


def sub_account_interest_close(
    *,
    sub_account_id: int,
    value_date: date,
    current: Decimal,
    prior: Decimal,
    expense_code: str,
    reference: str,
    idempotency_key: str,
    actor: Any = None,
    summary: str = "结息",
) -> JournalEntry | None:
    """Pay an account about to close its unsettled interest and clear its 积数, so that no later settlement
    pays those days again.

    The caller computes `current`/`prior` (the interest on each part through the day before `value_date`,
    e.g. with `accumulation_through`) under this account's row lock, in the same transaction. The interest is
    credited on `value_date` (business type 年终结息, Dr `expense_code` / Cr the control account); then the
    running and closed 积数 are zeroed and restart on `value_date`. Idempotent by key like `entry_post`.
    """
    sub = SubAccount.objects.select_for_update().select_related("control").get(pk=sub_account_id)
    entry = None
    total = check_amount(current, "利息") + check_amount(prior, "利息")
    if total > 0:
        entry = entry_post(
            business_type=BusinessType.GJ_INTEREST,
            reference=reference,
            idempotency_key=idempotency_key,
            value_date=value_date,
            legs=[debit(expense_code, total), credit(sub.control.code, total)],
            movements=[Movement(sub.pk, total, summary=summary, current_year=current, prior_year=prior)],
            actor=actor,
            memo=f"{summary} {sub.number}",
        ).entry
    SubAccount.objects.filter(pk=sub.pk).update(
        accumulation=ZERO, accumulation_prior=ZERO, closed_period_end=None, closed_accumulation=ZERO,
        closed_accumulation_prior=ZERO, closed_current_year=ZERO,
        accumulated_to=max(value_date, sub.accumulated_to),
    )
    return entry
