"""Reconcile's loan check (registered with fund.ledger from `LoansConfig.ready`): each disbursed loan's
sub-account under 委托贷款 (111) equals the principal its stored schedule still expects.

The schedule's principal outstanding = Σ (principal − principal_paid) over the open stored instalments (overdue
ones of an earlier segment included) + the planned balance after the last stored instalment (the principal of
the instalments not stored yet); 0 for a loan that is closed. One set-based query, so it stays quick at
200,000 loans.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import connection

from fund.ledger.selectors import Discrepancy

LIMIT = 100

_SQL = """
SELECT l.contract_number, sa.balance,
       CASE WHEN l.status = 'closed' THEN 0 ELSE COALESCE(o.unpaid, 0) + COALESCE(t.balance_after, 0) END AS planned
  FROM loans_loan l
  JOIN ledger_subaccount sa ON sa.id = l.sub_account_id
  LEFT JOIN (SELECT loan_id, SUM(principal - principal_paid) AS unpaid
               FROM loans_instalment WHERE state IN ('pending', 'overdue') GROUP BY loan_id) o ON o.loan_id = l.id
  LEFT JOIN (SELECT DISTINCT ON (loan_id) loan_id, balance_after
               FROM loans_instalment WHERE state <> 'superseded' ORDER BY loan_id, number DESC) t ON t.loan_id = l.id
 WHERE l.segment_id IS NOT NULL
   AND sa.balance <> CASE WHEN l.status = 'closed' THEN 0 ELSE COALESCE(o.unpaid, 0) + COALESCE(t.balance_after, 0) END
 ORDER BY l.contract_number
 LIMIT %s
"""


def loan_schedule_discrepancies() -> list[Discrepancy]:
    with connection.cursor() as cursor:
        cursor.execute(_SQL, [LIMIT])
        return [Discrepancy(f"贷款 {number} 分户余额与还款计划剩余本金", Decimal(planned), Decimal(balance))
                for number, balance, planned in cursor.fetchall()]
