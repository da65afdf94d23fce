"""20 loans.overdue: instalments still owing after their due date become overdue, and every overdue
instalment's penalty (罚息) is brought to the business date by `allocation.penalty_to`'s formula, in SQL.

Penalty to D = penalty_frozen + round_half_up(unpaid principal × rate × (1 + markup) × (D − penalty_from)
÷ 36000, fen). PostgreSQL's round(numeric, 2) rounds halves away from zero, which for these non-negative
figures is ROUND_HALF_UP; tests/loans/test_close_overdue.py runs both on random rows.

A penalty only grows: a close run late for a past date (catch-up) never lowers what a repayment made since
brought forward and may already have paid, and a second run for the same date finds nothing to change.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection, transaction

from fund.policy.selectors import policy_value

# An instalment still owing (pending) whose due date has passed becomes overdue; its penalty runs from the
# due date unless a repayment has already set the day it runs from.
_MARK_OVERDUE = """
UPDATE loans_instalment i
   SET state = 'overdue', penalty_from = COALESCE(i.penalty_from, i.due_on)
 WHERE i.state = 'pending' AND i.due_on < %(d)s
"""

# The SQL form of allocation.penalty_to (keep the two in step).
PENALTY_SQL = """
i.penalty_frozen + CASE
    WHEN %(d)s::date > COALESCE(i.penalty_from, i.due_on) AND i.principal > i.principal_paid
    THEN round((i.principal - i.principal_paid) * l.rate * (1 + %(markup)s::numeric)
               * (%(d)s::date - COALESCE(i.penalty_from, i.due_on)) / 36000, 2)
    ELSE 0 END
"""

_PENALTY = f"""
UPDATE loans_instalment i
   SET penalty = {PENALTY_SQL}
  FROM loans_loan l
 WHERE l.id = i.loan_id AND i.state = 'overdue' AND i.due_on < %(d)s AND {PENALTY_SQL} > i.penalty
"""


def overdue_step(on: date) -> dict[str, int]:
    markup = Decimal(policy_value("loan_penalty_markup", on))
    params: dict[str, Any] = {"d": on, "markup": markup}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_MARK_OVERDUE, params)
        marked = cursor.rowcount
        cursor.execute(_PENALTY, params)
        penalised = cursor.rowcount
    return {"overdue": marked, "penalty": penalised}
