"""Set-based posting: one entry for many sub-accounts at once (a bill's members, a batch), computed and
written in SQL over a temporary table by the same rules `posting.movement_apply` keeps in Python."""

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db import IntegrityError, connection, transaction

from fund.bulk import analyze
from fund.money import ZERO

from ..models import (
    Account,
    BusinessType,
    JournalEntry,
    JournalLine,
)
from .posting import (
    InsufficientBalance,
    Leg,
    Posted,
    PostingError,
    control_effect,
    entry_number_next,
    legs_validate,
    same_posting,
)

# Set-based posting ---------------------------------------------------------------------------------------

def entry_open(
    *, business_type: str, reference: str, idempotency_key: str, value_date: date, legs: Sequence[Leg],
    accounts: dict[str, Account], actor: Any, memo: str, reverses: JournalEntry | None = None,
) -> tuple[JournalEntry, bool]:
    """Create the entry and its lines, or return the entry a concurrent transaction committed with the key."""
    try:
        with transaction.atomic():
            entry = JournalEntry.objects.create(
                number=entry_number_next(value_date), business_type=business_type, reference=reference[:120],
                idempotency_key=idempotency_key, value_date=value_date, memo=memo[:200],
                actor=actor if getattr(actor, "pk", None) else None, reverses=reverses,
            )
    except IntegrityError:
        existing = JournalEntry.objects.filter(idempotency_key=idempotency_key).first()
        if existing is None:
            raise
        return same_posting(existing, business_type, legs), False
    JournalLine.objects.bulk_create(
        JournalLine(entry=entry, account=accounts[leg.account], debit=leg.debit, credit=leg.credit) for leg in legs
    )
    return entry, True


# `movement_apply` in SQL, over the temp table ledger_set_moves (sub_account_id, amount, cur, pri) and one value date
# %(v)s, reading the sub-accounts as it locks them (in key order, so two batches never deadlock). Each LATERAL
# step is one step of the Python: _split, _close_periods, then the accumulation and the
# move itself. Keep the two in step: tests/ledger/test_set_posting.py runs both on random postings.
_SET_CALC = """
CREATE TEMP TABLE ledger_set_calc ON COMMIT DROP AS
SELECT s.id, s.number, s.control_id, s.allow_negative, m.amount, sp.cur, sp.pri,
       n.bal AS balance, n.cy AS current_year, n.py AS prior_year,
       CASE WHEN p.back THEN r.acc + m.amount * d.new_days ELSE r.acc + s.balance * d.fwd_days END AS accumulation,
       CASE WHEN p.back THEN r.acc_to ELSE %(v)s::date END AS accumulated_to,
       CASE WHEN p.back THEN r.acc_pri + (sp.pri + c.cur - r.c_cur) * d.new_days
            ELSE r.acc_pri + (r.py + r.c_cur) * d.fwd_days END AS accumulation_prior,
       r.c_end AS closed_period_end,
       r.c_acc + CASE WHEN d.into_closed THEN m.amount * d.old_days ELSE 0 END AS closed_accumulation,
       r.c_acc_pri + CASE WHEN d.into_closed THEN sp.pri * d.old_days ELSE 0 END AS closed_accumulation_prior,
       c.cur AS closed_current_year
  FROM ledger_set_moves m
  JOIN (SELECT * FROM ledger_subaccount WHERE id IN (SELECT sub_account_id FROM ledger_set_moves)
         ORDER BY id FOR UPDATE) s ON s.id = m.sub_account_id
 CROSS JOIN LATERAL (
       SELECT CASE WHEN m.cur IS NOT NULL OR m.pri IS NOT NULL THEN COALESCE(m.cur, 0)
                   WHEN m.amount > 0 THEN m.amount
                   ELSE m.amount + LEAST(s.prior_year, -m.amount) END,
              CASE WHEN m.cur IS NOT NULL OR m.pri IS NOT NULL THEN COALESCE(m.pri, 0)
                   WHEN m.amount > 0 THEN 0
                   ELSE -LEAST(s.prior_year, -m.amount) END
       ) AS sp(cur, pri)
 CROSS JOIN LATERAL (
       SELECT ledger_interest_period_start(s.accumulated_to), ledger_interest_period_start(%(v)s::date),
              %(v)s::date < s.accumulated_to
       ) AS p(running, new, back)
 CROSS JOIN LATERAL (
       SELECT NOT p.back AND p.new > p.running, (p.new - interval '1 year')::date = p.running,
              (p.new - interval '1 year')::date
       ) AS x(crossing, adjacent, last_start)
 CROSS JOIN LATERAL (
       SELECT s.current_year, s.prior_year,
              CASE WHEN NOT x.crossing THEN s.closed_period_end ELSE p.new - 1 END,
              CASE WHEN NOT x.crossing THEN s.closed_accumulation
                   WHEN x.adjacent THEN s.accumulation + s.balance * (p.new - s.accumulated_to)
                   ELSE s.balance * (p.new - x.last_start) END,
              CASE WHEN NOT x.crossing THEN s.closed_accumulation_prior
                   WHEN x.adjacent THEN s.accumulation_prior
                                        + (s.prior_year + s.closed_current_year) * (p.new - s.accumulated_to)
                   ELSE s.balance * (p.new - x.last_start) END,
              CASE WHEN NOT x.crossing THEN s.closed_current_year ELSE s.current_year END,
              CASE WHEN x.crossing THEN 0 ELSE s.accumulation END,
              CASE WHEN x.crossing THEN 0 ELSE s.accumulation_prior END,
              CASE WHEN x.crossing THEN p.new ELSE s.accumulated_to END
       ) AS r(cy, py, c_end, c_acc, c_acc_pri, c_cur, acc, acc_pri, acc_to)
 CROSS JOIN LATERAL (
       SELECT p.back AND %(v)s::date < p.running AND COALESCE(s.closed_period_end = p.running - 1, false),
              CASE WHEN p.back THEN s.accumulated_to - GREATEST(%(v)s::date, p.running) ELSE 0 END,
              CASE WHEN p.back THEN p.running - GREATEST(%(v)s::date, (p.running - interval '1 year')::date)
                   ELSE 0 END,
              CASE WHEN p.back THEN 0 ELSE %(v)s::date - r.acc_to END
       ) AS d(into_closed, new_days, old_days, fwd_days)
 CROSS JOIN LATERAL (SELECT r.cy + sp.cur, r.py + sp.pri, s.balance + m.amount) AS n(cy, py, bal)
 CROSS JOIN LATERAL (
       SELECT CASE WHEN r.c_end IS NULL THEN r.c_cur
                   ELSE GREATEST(0, LEAST(n.cy, r.c_cur + CASE WHEN d.into_closed THEN sp.cur
                                                               ELSE LEAST(sp.cur, 0) END)) END
       ) AS c(cur)
"""

# The sub-accounts moved and their sub-ledger rows written in one statement.
_SET_WRITE = """
WITH moved AS (
    UPDATE ledger_subaccount AS s
       SET balance = c.balance, current_year = c.current_year, prior_year = c.prior_year,
           accumulation = c.accumulation, accumulated_to = c.accumulated_to,
           accumulation_prior = c.accumulation_prior, closed_period_end = c.closed_period_end,
           closed_accumulation = c.closed_accumulation, closed_accumulation_prior = c.closed_accumulation_prior,
           closed_current_year = c.closed_current_year
      FROM ledger_set_calc c
     WHERE s.id = c.id
    RETURNING c.id, c.amount, c.cur, c.pri, c.balance
)
INSERT INTO ledger_subledgerrow
       (entry_id, sub_account_id, value_date, amount, current_year_amount, prior_year_amount, balance_after, summary)
SELECT %(entry)s, id, %(v)s, amount, cur, pri, balance, %(summary)s FROM moved ORDER BY id
"""


def entry_post_set(
    *,
    business_type: BusinessType | str,
    reference: str,
    idempotency_key: str,
    value_date: date,
    legs: Sequence[Leg],
    movements_sql: str,
    params: Sequence[Any] | dict[str, Any] = (),
    summary: str = "",
    actor: Any = None,
    memo: str = "",
) -> Posted:
    """`entry_post` for batches: one balanced entry whose sub-ledger movements come from SQL.

    `movements_sql` is a query (with `params`) returning rows of (sub_account_id, amount, current_year,
    prior_year); leave the split NULL for the default (additions to 当年归集, deductions from 上年结转
    first). The accumulation, period-boundary and split rules are `movement_apply`'s, run in a few statements
    over the whole set; the rows are locked in primary-key order; every sub-ledger row gets `summary`.
    Same guarantees as `entry_post`: exactly once per idempotency key, nothing written on any error.
    """
    existing = JournalEntry.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return Posted(same_posting(existing, business_type, legs), created=False)
    accounts = legs_validate(legs, ())
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS ledger_set_moves, ledger_set_calc")
        cursor.execute(
            "CREATE TEMP TABLE ledger_set_moves (sub_account_id bigint, amount numeric, cur numeric, pri numeric)"
            " ON COMMIT DROP"
        )
        cursor.execute(f"INSERT INTO ledger_set_moves SELECT * FROM ({movements_sql}) AS m", params)
        analyze(cursor, "ledger_set_moves", ("sub_account_id",))
        cursor.execute(
            """
            SELECT COUNT(*), COUNT(DISTINCT sub_account_id),
                   COALESCE(BOOL_OR(sub_account_id IS NULL OR amount IS NULL), false),
                   COALESCE(BOOL_OR(amount = 0), false),
                   COALESCE(BOOL_OR(amount <> ROUND(amount, 2) OR cur <> ROUND(cur, 2) OR pri <> ROUND(pri, 2)), false),
                   COALESCE(BOOL_OR((cur IS NOT NULL OR pri IS NOT NULL)
                                    AND COALESCE(cur, 0) + COALESCE(pri, 0) <> amount), false)
              FROM ledger_set_moves
            """
        )
        count, distinct, missing, zero, not_fen, bad_split = cursor.fetchone()
        if missing:
            raise PostingError("分户账与发生额不能为空")
        if count != distinct:
            raise PostingError("同一分户在一张凭证中只能出现一次")
        if zero:
            raise PostingError("发生额不能为零")
        if not_fen:
            raise PostingError("发生额必须是精确到分的金额")
        if bad_split:
            raise PostingError("当年归集与上年结转发生额之和须等于发生额")
        entry, created = entry_open(
            business_type=business_type, reference=reference, idempotency_key=idempotency_key,
            value_date=value_date, legs=legs, accounts=accounts, actor=actor, memo=memo,
        )
        if not created:
            return Posted(entry, created=False)
        cursor.execute(_SET_CALC, {"v": value_date})
        if cursor.rowcount != count:
            raise PostingError("分户账不存在")
        cursor.execute(
            """
            SELECT number FROM ledger_set_calc
             WHERE NOT allow_negative AND (balance < 0 OR current_year < 0 OR prior_year < 0)
             ORDER BY id LIMIT 1
            """
        )
        overdrawn = cursor.fetchone()
        if overdrawn:
            raise InsufficientBalance(f"账户 {overdrawn[0]} 余额不足")
        cursor.execute("SELECT control_id, SUM(amount) FROM ledger_set_calc GROUP BY control_id")
        moved = dict(cursor.fetchall())
        effect = control_effect(legs, accounts)
        for control_id in set(effect) | set(moved):
            if effect.get(control_id, ZERO) != moved.get(control_id, ZERO):
                raise PostingError("明细账发生额与控制科目发生额不一致")
        cursor.execute(_SET_WRITE, {"entry": entry.pk, "v": value_date, "summary": summary[:120]})
        cursor.execute("DROP TABLE ledger_set_moves, ledger_set_calc")
    return Posted(entry, created=True)
