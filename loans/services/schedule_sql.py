"""`loans.schedule.segment_walk` in SQL: a segment's instalments computed and stored by the database, for the
yearly job that stores 2.4 million of them at 200,000 loans (in Python the arithmetic and the COPY text were
half of its time).

The walks wanted are rows of a temporary table (`WALK_TABLE`): the loan, the segment (its id, and its rate,
method, payment, numbers, first due month, day and first-period interest), the first instalment's number and
the balance before it, the last due date wanted, and whether the first instalment is stored even when it falls
after that date (`schedule_store.planned_rows`).
One recursive statement walks them all, a month per round, and inserts the instalments.

The arithmetic is `segment_walk`'s, line for line (keep the two in step): the month's interest is
round(balance × rate ÷ 1200, 2) — PostgreSQL's round(numeric, 2) rounds halves away from zero, which for these
non-negative figures is ROUND_HALF_UP, and the quotient is exact far past the fen, as Python's 28 digits are —
the first instalment of the segment takes its stored by-days interest, 等额本金 pays the fixed principal,
等额本息 the payment less the interest, the last instalment takes what is left, and the due date is the
repayment day of the month (a day the month lacks becomes its last). tests/loans/test_schedule_sql.py runs both
over many principals, rates, terms, days and starting points.
"""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from fund.bulk import copy_text

from ..models import RepaymentMethod
from ..schedule import Segment

WALK_TABLE = "loans_schedule_walk"


class Walk(NamedTuple):
    loan_id: int
    segment_id: int  # the stored segment the instalments belong to
    segment: Segment  # its figures
    start: int  # the first instalment's number
    balance: Decimal  # principal outstanding before it
    through: date  # the last due date wanted
    at_least_one: bool  # store the first instalment even if due after `through`


_COLUMNS = ("loan_id bigint, segment_id bigint, start int, balance numeric, through date, at_least_one boolean,"
            " s_rate numeric, s_ep boolean, s_payment numeric, s_first int, s_last int, s_day int,"
            " s_first_interest numeric, s_month int")

# One instalment from its number (n) and the balance before it (b), over the walk's columns (s_*): due date,
# interest, principal, balance after.
_STEP = """
SELECT due, interest, part, {b} - part AS after
  FROM (SELECT due, interest,
               CASE WHEN {n} = s_last THEN {b}
                    WHEN s_ep THEN least(s_payment, {b})
                    ELSE least(greatest(s_payment - formula, 0), {b}) END AS part
          FROM (SELECT least(m1 + (s_day - 1), (m1 + interval '1 month')::date - 1) AS due,
                       formula,
                       CASE WHEN {n} = s_first AND s_first_interest IS NOT NULL THEN s_first_interest
                            ELSE formula END AS interest
                  FROM (SELECT make_date((s_month + {n}) / 12, mod(s_month + {n}, 12) + 1, 1) AS m1,
                               round({b} * s_rate / 1200, 2) AS formula) step_1) step_2) step_3
"""

WALK_SELECT = f"""
WITH RECURSIVE walk AS (
    SELECT g.loan_id, g.segment_id, g.through, g.s_rate, g.s_ep, g.s_payment, g.s_first, g.s_last, g.s_day,
           g.s_first_interest, g.s_month, g.start AS number, x.due, x.interest, x.part, x.after
      FROM {WALK_TABLE} g, LATERAL ({_STEP.format(n="g.start", b="g.balance")}) x
     WHERE g.start <= g.s_last AND g.balance > 0 AND (g.at_least_one OR x.due <= g.through)
    UNION ALL
    SELECT w.loan_id, w.segment_id, w.through, w.s_rate, w.s_ep, w.s_payment, w.s_first, w.s_last, w.s_day,
           w.s_first_interest, w.s_month, w.number + 1, x.due, x.interest, x.part, x.after
      FROM walk w, LATERAL ({_STEP.format(n="w.number + 1", b="w.after")}) x
     WHERE w.number < w.s_last AND w.after > 0 AND x.due <= w.through
)
SELECT loan_id, segment_id, number, due, part, interest, after
  FROM walk
 ORDER BY loan_id, number
"""

WALK_INSERT = f"""
INSERT INTO loans_instalment (loan_id, segment_id, number, due_on, principal, interest, balance_after,
                              principal_paid, interest_paid, penalty, penalty_paid, penalty_frozen, state)
SELECT loan_id, segment_id, number, due, part, interest, after, 0, 0, 0, 0, 0, 'pending'
  FROM ({WALK_SELECT}) walked
"""


def _null(value: object) -> str:
    return "\\N" if value is None else str(value)


def walks_load(cursor: Any, walks: list[Walk]) -> None:
    """The walks into the temporary table (inside the caller's transaction)."""
    cursor.execute(f"CREATE TEMP TABLE IF NOT EXISTS {WALK_TABLE} ({_COLUMNS}) ON COMMIT DROP")
    cursor.execute(f"TRUNCATE {WALK_TABLE}")
    lines = io.StringIO()
    for w in walks:
        s = w.segment
        month = s.first_due.year * 12 + s.first_due.month - 1 - s.first_number
        ep = "t" if s.method == RepaymentMethod.EQUAL_PRINCIPAL else "f"
        lines.write(f"{w.loan_id}\t{w.segment_id}\t{w.start}\t{w.balance}\t{w.through}\t"
                    f"{'t' if w.at_least_one else 'f'}\t{s.rate}\t{ep}\t{s.payment}\t{s.first_number}\t"
                    f"{s.last_number}\t{s.day}\t{_null(s.first_interest)}\t{month}\n")
    copy_text(cursor, WALK_TABLE, None, lines.getvalue())
    # Analysed, the planner sizes the walk right instead of guessing (and compiling it with JIT).
    cursor.execute(f"ANALYZE {WALK_TABLE}")


def walks_store(cursor: Any, walks: list[Walk]) -> int:
    """Store the instalments of every walk (inside the caller's transaction); returns how many."""
    if not walks:
        return 0
    walks_load(cursor, walks)
    cursor.execute(WALK_INSERT)
    return cursor.rowcount
