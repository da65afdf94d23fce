"""Two steps of the nightly close, after the loans' counters (loans.counters, order 60) have brought each loan's
days and periods overdue to the business date D:

    110 risk.classification  each loan's five-tier class (五级分类) from its days overdue; a history row per change
    120 risk.overdue_rate    the day's 个贷逾期率 and overdue borrowers, for the centre, each branch and each bank

Both are a few set-based statements whatever the size of the book, and idempotent per date: a second run for D
finds no loan whose tier differs and rewrites the day's rate rows with the same figures.

The overdue rate taken (SPEC §2.4: overdue loan balance ÷ loan balance): the overdue loan balance is the whole
principal outstanding (the loan's sub-account balance) of every active loan with at least one instalment still
owing after its due date, the way 住房公积金年度报告 count 逾期贷款余额; the overdue instalments' own unpaid
principal is kept beside it (`overdue_principal`) for those who want the narrower figure.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import connection, transaction

from ..selectors.tiers import tier_thresholds

# Candidates: loans overdue now (the partial index on overdue_since) and loans still classified below 正常 (to
# bring them back). Only loans whose tier differs are written: one history row each, and the current row.
_CLASSIFY = """
WITH candidates AS (
    SELECT l.id, l.days_overdue AS days FROM loans_loan l
     WHERE l.overdue_since IS NOT NULL AND l.status IN ('active', 'written_off')
    UNION
    SELECT l.id, CASE WHEN l.status IN ('active', 'written_off') THEN l.days_overdue ELSE 0 END
      FROM risk_loantier t JOIN loans_loan l ON l.id = t.loan_id
     WHERE t.tier <> 'normal'
), classed AS (
    SELECT c.id, c.days, COALESCE(t.tier, 'normal') AS old,
           CASE WHEN c.days >= %(loss)s THEN 'loss' WHEN c.days >= %(doubtful)s THEN 'doubtful'
                WHEN c.days >= %(substandard)s THEN 'substandard' WHEN c.days >= %(attention)s THEN 'attention'
                ELSE 'normal' END AS tier
      FROM candidates c LEFT JOIN risk_loantier t ON t.loan_id = c.id
), changed AS (
    SELECT * FROM classed WHERE tier <> old
), history AS (
    INSERT INTO risk_tierchange (loan_id, "on", old_tier, new_tier, days_overdue, created_at)
    SELECT id, %(d)s, old, tier, days, now() FROM changed
    ON CONFLICT (loan_id, "on") DO NOTHING
)
INSERT INTO risk_loantier (loan_id, tier, since, days_overdue)
SELECT id, tier, %(d)s, days FROM changed
ON CONFLICT (loan_id) DO UPDATE SET tier = EXCLUDED.tier, since = EXCLUDED.since, days_overdue = EXCLUDED.days_overdue
"""


def classification_step(on: date) -> dict[str, int]:
    limits = tier_thresholds(on)
    params: dict[str, Any] = {"d": on, "attention": limits.attention, "substandard": limits.substandard,
              "doubtful": limits.doubtful, "loss": limits.loss}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_CLASSIFY, params)
        return {"changed": cursor.rowcount}


# One pass over the active loans and their sub-accounts, grouped three ways at once (no DISTINCT there, so the
# planner hashes instead of sorting the book per grouping); the overdue instalments' principal and the distinct
# overdue borrowers are read from the overdue loans alone (the partial index on overdue_since), a few rows.
_RATES = """
WITH book AS (
    SELECT l.id, l.branch_id, l.bank_id, l.borrower_id, s.balance, l.overdue_since IS NOT NULL AS overdue
      FROM loans_loan l JOIN ledger_subaccount s ON s.id = l.sub_account_id
     WHERE l.status = 'active'
), late AS (
    SELECT l.id, l.branch_id, l.bank_id, l.borrower_id,
           (SELECT COALESCE(SUM(i.principal - i.principal_paid), 0) FROM loans_instalment i
             WHERE i.loan_id = l.id AND i.state IN ('pending', 'overdue') AND i.due_on < %(d)s) AS principal
      FROM loans_loan l
     WHERE l.overdue_since IS NOT NULL AND l.status = 'active'
), totals AS (
    SELECT CASE WHEN GROUPING(b.branch_id) = 0 THEN 'branch' WHEN GROUPING(b.bank_id) = 0 THEN 'bank'
                ELSE 'centre' END AS scope,
           COALESCE(CASE WHEN GROUPING(b.branch_id) = 0 THEN b.branch_id
                         WHEN GROUPING(b.bank_id) = 0 THEN b.bank_id END, 0) AS scope_id,
           COUNT(*) AS loans, COALESCE(SUM(b.balance), 0) AS loan_balance,
           COUNT(*) FILTER (WHERE b.overdue) AS overdue_loans,
           COALESCE(SUM(b.balance) FILTER (WHERE b.overdue), 0) AS overdue_balance
      FROM book b
     GROUP BY GROUPING SETS ((), (b.branch_id), (b.bank_id))
), lates AS (
    SELECT CASE WHEN GROUPING(t.branch_id) = 0 THEN 'branch' WHEN GROUPING(t.bank_id) = 0 THEN 'bank'
                ELSE 'centre' END AS scope,
           COALESCE(CASE WHEN GROUPING(t.branch_id) = 0 THEN t.branch_id
                         WHEN GROUPING(t.bank_id) = 0 THEN t.bank_id END, 0) AS scope_id,
           SUM(t.principal) AS overdue_principal, COUNT(DISTINCT t.borrower_id) AS borrowers
      FROM late t
     GROUP BY GROUPING SETS ((), (t.branch_id), (t.bank_id))
)
INSERT INTO risk_overduerate ("on", scope, scope_id, loans, loan_balance, overdue_loans, overdue_balance,
                              overdue_principal, borrowers, rate)
SELECT %(d)s, f.scope, f.scope_id, f.loans, f.loan_balance, f.overdue_loans, f.overdue_balance,
       COALESCE(x.overdue_principal, 0), COALESCE(x.borrowers, 0),
       CASE WHEN f.loan_balance > 0 THEN round(f.overdue_balance / f.loan_balance, 10) ELSE 0 END
  FROM totals f LEFT JOIN lates x ON x.scope = f.scope AND x.scope_id = f.scope_id
ON CONFLICT ("on", scope, scope_id) DO UPDATE
   SET loans = EXCLUDED.loans, loan_balance = EXCLUDED.loan_balance, overdue_loans = EXCLUDED.overdue_loans,
       overdue_balance = EXCLUDED.overdue_balance, overdue_principal = EXCLUDED.overdue_principal,
       borrowers = EXCLUDED.borrowers, rate = EXCLUDED.rate
"""

# A day with no active loan still has its centre row (a rate of 0), and every branch and active bank without
# one has a row of zeros, so each series a user may read has a point every day.
_EMPTY = """
INSERT INTO risk_overduerate ("on", scope, scope_id, loans, loan_balance, overdue_loans, overdue_balance,
                              overdue_principal, borrowers, rate)
SELECT %(d)s, scope, scope_id, 0, 0, 0, 0, 0, 0, 0
  FROM (SELECT 'centre' AS scope, 0::bigint AS scope_id
        UNION ALL SELECT 'branch', id FROM people_branch
        UNION ALL SELECT 'bank', id FROM people_entrustedbank WHERE active) scopes
ON CONFLICT ("on", scope, scope_id) DO NOTHING
"""


def overdue_rate_step(on: date) -> dict[str, int]:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_RATES, {"d": on})
        rows = cursor.rowcount
        cursor.execute(_EMPTY, {"d": on})
        rows += cursor.rowcount
    return {"rows": rows}
