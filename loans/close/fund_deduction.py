"""30 loans.fund_deduction: 自愿扣划 — for each active loan with an active agreement that owes something on
the date (an instalment due that day, or an overdue one within the debit's retry days), take it from the
agreed fund accounts first (`services.fund_deduction.fund_deduct_due`); what it leaves owing, the bank's
debit (step 40) asks the card for. A Python loop: few loans have agreements, and each deduction is one
member's posting with its own locks.

fund_deduct_due is idempotent per loan and date (its posting's key), so the step may run again."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import connection

from fund.policy.selectors import policy_value

from ..services.fund_deduction import fund_deduct_due

_AGREED_OWING = """
SELECT DISTINCT l.id
  FROM loans_loan l
  JOIN loans_repaymentagreement a ON a.loan_id = l.id AND a.active
  JOIN loans_instalment i ON i.loan_id = l.id AND i.state IN ('pending', 'overdue')
 WHERE l.status = 'active' AND i.due_on <= %(d)s AND i.due_on >= %(since)s
 ORDER BY l.id
"""


def fund_deduction_step(on: date) -> dict[str, int]:
    since = on - timedelta(days=int(policy_value("loan_debit_retry_days", on)))
    with connection.cursor() as cursor:
        cursor.execute(_AGREED_OWING, {"d": on, "since": since})
        loan_ids = [row[0] for row in cursor.fetchall()]
    taken = 0
    for loan_id in loan_ids:
        if fund_deduct_due(loan_id, on) > 0:
            taken += 1
    return {"loans": len(loan_ids), "deducted": taken}
