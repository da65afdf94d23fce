"""The nightly bank debit (批量扣款): steps 40 (loans.debit) and 50 (loans.debit_results) of the close.

40 builds one `CollectionBatch` for the business date D (unique by date) with one item per active loan that
has an instalment due on D, or an overdue one due within `loan_debit_retry_days` before D, and a repayment
card. The item asks for everything the loan owes to D — penalty, interest and principal of every instalment
still owing that is due on or before D, not only those in the retry window — because a bank debit is
all-or-nothing and the allocation order (penalty, overdue interest, overdue principal, current interest,
current principal; oldest first) must hold: paying all that is owed is the one all-or-nothing amount that
keeps it. The batch moves built → sent, then goes to the bank outside any transaction; the items'
references (`DK` + date + loan id) are the bank's idempotency keys, so sending again after a failure (the
step is resumed) debits nobody twice.

50 fetches the bank's answers (outside a transaction) and applies them in ONE transaction: items move sent →
paid / failed by compare-and-set (only rows that moved are applied, so a result applied twice posts once),
the paid loans' owed instalments are marked paid in full, their 还款明细 rows inserted, and one balanced
entry posts the batch (Dr 101 the money; Cr 111 principal with each loan's sub-ledger row, Cr 401 interest,
Cr 402 penalty), keyed by the batch. A paid item whose loan no longer owes exactly its amount (a repayment at
the counter between the debit and its answer) is not applied to instalments: its money is credited to 暂收款
(231) for staff to refund, never lost. A loan whose principal reaches 0 closes (`loan_paid_off`, few).
Failed items leave the instalments owing; the next days' batches ask again within the retry days.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import connection, transaction
from django.utils import timezone

from fund.bulk import analyze, bulk_settings, temp_table_load
from fund.integrations import entrusted_bank
from fund.integrations.bank import CollectionItem as BankItem
from fund.integrations.bank import CollectionOutcome
from fund.ledger import chart
from fund.ledger.models import BusinessType
from fund.ledger.services import credit, debit
from fund.ledger.services.set_posting import entry_post_set
from fund.policy.selectors import policy_value
from fund.workflow.moves import move_status

from ..models import BatchState, CollectionBatch, Loan, Repayment
from ..models.collection import repayment_key
from ..states import BATCH_MOVES
from .repayment_posting import loan_paid_off

PURPOSE = "公积金贷款还款"

# What each loan in the debit's window owes to D, into a small analysed table first (over the whole book the
# planner otherwise walks every instalment in loan order to group them: 1-2 s on 200 000 loans). The loans are
# found by the window's dates alone (a few days of due dates: the planner estimates that well, where "open and
# due by D" looks like a quarter of the table when it is 1 %), then each one's open instalments are summed.
_OWED = """
CREATE TEMP TABLE loans_close_owed ON COMMIT DROP AS
SELECT i.loan_id,
       SUM((i.principal - i.principal_paid) + (i.interest - i.interest_paid) + (i.penalty - i.penalty_paid)) AS owed
  FROM loans_instalment i
 WHERE i.loan_id IN (SELECT w.loan_id FROM loans_instalment w
                      WHERE w.state IN ('pending', 'overdue') AND w.due_on >= %(since)s AND w.due_on <= %(d)s)
   AND i.state IN ('pending', 'overdue') AND i.due_on <= %(d)s
 GROUP BY i.loan_id
"""

# The items, built in one statement that also counts the window's loans without a repayment card (counted, not
# asked) and sums what was built.
_ITEMS_BUILD = """
WITH due AS (
    SELECT o.loan_id, o.owed, l.repayment_card, l.borrower_id
      FROM loans_close_owed o JOIN loans_loan l ON l.id = o.loan_id
     WHERE l.status = 'active' AND o.owed > 0
), built AS (
    INSERT INTO loans_collectionitem (batch_id, loan_id, reference, account_number, name, amount, state, reason,
                                      bank_serial)
    SELECT %(batch)s, d.loan_id, 'DK' || to_char(%(d)s::date, 'YYYYMMDD') || d.loan_id, d.repayment_card, p.name,
           d.owed, 'sent', '', ''
      FROM due d JOIN people_person p ON p.id = d.borrower_id
     WHERE d.repayment_card <> ''
     ORDER BY d.loan_id
    RETURNING amount
)
SELECT (SELECT COUNT(*) FROM due WHERE repayment_card = ''), COUNT(*), COALESCE(SUM(amount), 0) FROM built
"""


def batch_reference(on: date) -> str:
    return f"PLKK{on:%Y%m%d}"


def debit_step(on: date) -> dict[str, int]:
    """40 loans.debit: build the date's batch (once) and send it (again, harmlessly, if a run failed after
    the move to sent and before the bank's answer was recorded)."""
    batch, built, skipped = _batch_build(on)
    if batch.state == BatchState.BUILT:
        move_status(batch, BatchState.SENT, table=BATCH_MOVES, action="loans.collection_batch.sent")
    if batch.state == BatchState.SENT and batch.sent_at is None:
        items = [BankItem(reference=r, account_number=a, name=n, amount=m)
                 for r, a, n, m in batch.items.order_by("id").values_list("reference", "account_number", "name",
                                                                           "amount")]
        call_id = None
        if items:
            call_id = entrusted_bank().collect_batch(batch_reference=batch.reference, items=items,
                                                     purpose=PURPOSE).call_id
        CollectionBatch.objects.filter(pk=batch.pk, sent_at__isnull=True).update(sent_at=timezone.now(),
                                                                                call_id=call_id)
        return {"items": batch.items_count, "sent": batch.items_count, "no_card": skipped, "built": int(built)}
    return {"items": batch.items_count, "sent": 0, "no_card": skipped, "built": int(built)}


def _batch_build(on: date) -> tuple[CollectionBatch, bool, int]:
    existing = CollectionBatch.objects.filter(business_date=on).first()
    if existing is not None:
        return existing, False, 0
    since = on - timedelta(days=int(policy_value("loan_debit_retry_days", on)))
    params = {"d": on, "since": since}
    with transaction.atomic():
        batch = CollectionBatch.objects.create(business_date=on, reference=batch_reference(on))
        with connection.cursor() as cursor:
            bulk_settings(cursor)
            cursor.execute("DROP TABLE IF EXISTS loans_close_owed")
            cursor.execute(_OWED, params)
            analyze(cursor, "loans_close_owed", ("loan_id",))
            cursor.execute(_ITEMS_BUILD, {**params, "batch": batch.pk})
            skipped, count, amount = cursor.fetchone()
            cursor.execute("DROP TABLE loans_close_owed")
        CollectionBatch.objects.filter(pk=batch.pk).update(items_count=count, amount=amount)
        batch.items_count, batch.amount = count, amount
    return batch, True, skipped


# ---- 50 loans.debit_results -------------------------------------------------------------------------------

# The items that move now (compare-and-set on state 'sent'), with what the bank said.
# The bank's answers go into a small analysed table first (COPY; over array parameters the planner guesses ten
# rows, and binding them cost more than loading them).
_ANSWERS = (("reference", "text"), ("ok", "boolean"), ("reason", "text"), ("serial", "text"))

_ITEMS_MOVE = """
WITH moved AS (
    UPDATE loans_collectionitem c
       SET state = CASE WHEN a.ok THEN 'paid' ELSE 'failed' END, reason = left(a.reason, 200),
           bank_serial = left(a.serial, 40)
      FROM loans_close_answers a
     WHERE c.reference = a.reference AND c.batch_id = %(batch)s AND c.state = 'sent'
    RETURNING c.id, c.loan_id, c.reference, c.amount, a.ok, c.bank_serial, c.account_number
)
INSERT INTO loans_close_moved (item_id, loan_id, reference, amount, paid, bank_serial, account_number)
SELECT * FROM moved
"""

_PAID_LOCK = """
CREATE TEMP TABLE loans_close_locked ON COMMIT DROP AS
SELECT id AS loan_id, sub_account_id FROM loans_loan
 WHERE id IN (SELECT loan_id FROM loans_close_moved WHERE paid) ORDER BY id FOR NO KEY UPDATE
"""

# Per paid loan, what its owed instalments (due on or before D) hold, split as the allocation order names it.
# The owed instalments are read once by the open-and-due index (a few rows per paid loan) and grouped, rather
# than every instalment of each paid loan read by the loan's key; a paid loan owing nothing now (repaid at the
# counter since) keeps its row with zeros, so its money goes to 暂收款 below, never lost.
_PAID_SPLIT = """
INSERT INTO loans_close_paid (item_id, loan_id, sub_account_id, amount, reference, bank_serial, account_number,
                              penalty, overdue_interest, overdue_principal, interest, principal, applies)
SELECT m.item_id, m.loan_id, l.sub_account_id, m.amount, m.reference, m.bank_serial, m.account_number,
       COALESCE(s.penalty, 0), COALESCE(s.overdue_interest, 0), COALESCE(s.overdue_principal, 0),
       COALESCE(s.interest, 0), COALESCE(s.principal, 0),
       m.amount = COALESCE(s.penalty + s.overdue_interest + s.overdue_principal + s.interest + s.principal, 0)
  FROM loans_close_moved m
  JOIN loans_close_locked l ON l.loan_id = m.loan_id
  LEFT JOIN (
       SELECT i.loan_id,
              SUM(i.penalty - i.penalty_paid) AS penalty,
              COALESCE(SUM(i.interest - i.interest_paid) FILTER (WHERE i.due_on < %(d)s), 0) AS overdue_interest,
              COALESCE(SUM(i.principal - i.principal_paid) FILTER (WHERE i.due_on < %(d)s), 0) AS overdue_principal,
              COALESCE(SUM(i.interest - i.interest_paid) FILTER (WHERE i.due_on >= %(d)s), 0) AS interest,
              COALESCE(SUM(i.principal - i.principal_paid) FILTER (WHERE i.due_on >= %(d)s), 0) AS principal
         FROM loans_instalment i
        WHERE i.state IN ('pending', 'overdue') AND i.due_on <= %(d)s
          AND i.loan_id IN (SELECT loan_id FROM loans_close_moved WHERE paid)
        GROUP BY i.loan_id
  ) s ON s.loan_id = m.loan_id
 WHERE m.paid
"""

_INSTALMENTS_PAY = """
UPDATE loans_instalment i
   SET penalty_paid = i.penalty, interest_paid = i.interest, principal_paid = i.principal, state = 'paid',
       paid_on = %(d)s
  FROM loans_close_paid p
 WHERE i.loan_id = p.loan_id AND p.applies AND i.state IN ('pending', 'overdue') AND i.due_on <= %(d)s
"""

_REPAYMENTS_INSERT = """
INSERT INTO loans_repayment
       (loan_id, number, idempotency_key, kind, channel, value_date, amount, penalty, overdue_interest,
        overdue_principal, interest, principal, prepaid_principal, from_fund, from_card, card, bank_reference,
        entry_id, balance_after, created_at)
SELECT p.loan_id, 'HK' || lpad(nextval('loans_repayment_number')::text, 12, '0'),
       %(key_prefix)s || p.reference,
       CASE WHEN p.penalty + p.overdue_interest + p.overdue_principal > 0 THEN 'overdue' ELSE 'scheduled' END,
       'debit', %(d)s, p.amount, p.penalty, p.overdue_interest, p.overdue_principal, p.interest, p.principal, 0,
       0, p.amount, p.account_number, p.bank_serial, %(entry)s, s.balance, now()
  FROM loans_close_paid p JOIN ledger_subaccount s ON s.id = p.sub_account_id
 WHERE p.applies
 ORDER BY p.loan_id
"""


def debit_results_step(on: date) -> dict[str, int]:
    """50 loans.debit_results: the bank's answers for the date's batch, applied once."""
    batch = CollectionBatch.objects.filter(business_date=on).first()
    if batch is None or batch.state != BatchState.SENT or batch.sent_at is None:
        return {"paid": 0, "failed": 0, "unmatched": 0}
    outcomes: tuple[CollectionOutcome, ...] = ()
    if batch.items_count:
        outcomes = entrusted_bank().collect_batch_result(batch_reference=batch.reference).items
    with transaction.atomic():
        batch = CollectionBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.state != BatchState.SENT:
            return {"paid": 0, "failed": 0, "unmatched": 0}
        with connection.cursor() as cursor:
            bulk_settings(cursor)
            cursor.execute("DROP TABLE IF EXISTS loans_close_moved, loans_close_locked, loans_close_paid")
            cursor.execute(
                "CREATE TEMP TABLE loans_close_moved (item_id bigint, loan_id bigint, reference text, amount numeric,"
                " paid boolean, bank_serial text, account_number text) ON COMMIT DROP")
            cursor.execute(
                "CREATE TEMP TABLE loans_close_paid (item_id bigint, loan_id bigint, sub_account_id bigint,"
                " amount numeric, reference text, bank_serial text, account_number text, penalty numeric,"
                " overdue_interest numeric, overdue_principal numeric, interest numeric, principal numeric,"
                " applies boolean) ON COMMIT DROP")
            temp_table_load(cursor, "loans_close_answers", _ANSWERS,
                            ((o.reference, o.succeeded, o.reason, o.bank_serial) for o in outcomes), keys=("reference",))
            cursor.execute(_ITEMS_MOVE, {"batch": batch.pk})
            analyze(cursor, "loans_close_moved", ("loan_id", "paid"))
            cursor.execute("SELECT COUNT(*) FILTER (WHERE paid), COUNT(*) FILTER (WHERE NOT paid), MIN(item_id)"
                           "  FROM loans_close_moved")
            paid_count, failed_count, first_item = cursor.fetchone()
            # The paid loans, locked in key order before their instalments are read: a repayment at the counter
            # locks its loan first too, so it either finished before (and the item goes to 暂收款 below) or waits.
            # (The repayment rows' key checks at commit then find their loans already locked.)
            cursor.execute(_PAID_LOCK)
            analyze(cursor, "loans_close_locked", ("loan_id",))
            cursor.execute(_PAID_SPLIT, {"d": on})
            analyze(cursor, "loans_close_paid", ("loan_id", "sub_account_id", "applies"))
            cursor.execute(
                "SELECT COALESCE(SUM(amount), 0), COALESCE(SUM(amount) FILTER (WHERE NOT applies), 0),"
                "       COUNT(*) FILTER (WHERE NOT applies),"
                "       COALESCE(SUM(overdue_principal + principal) FILTER (WHERE applies), 0),"
                "       COALESCE(SUM(overdue_interest + interest) FILTER (WHERE applies), 0),"
                "       COALESCE(SUM(penalty) FILTER (WHERE applies), 0) FROM loans_close_paid")
            total, unmatched, unmatched_count, principal, interest, penalty = cursor.fetchone()
            entry = None
            if total > 0:
                legs = [debit(chart.BANK, total)]
                for account, amount in ((chart.LOANS, principal), (chart.INTEREST_INCOME, interest),
                                        (chart.PENALTY_INCOME, penalty), (chart.SUSPENSE, unmatched)):
                    if amount > 0:
                        legs.append(credit(account, amount))
                entry = entry_post_set(
                    business_type=BusinessType.DK_REPAY, reference=batch.reference,
                    # Per round of answers (the first item it moved), so a bank that answers in parts posts each part
                    # once; a round rolled back and applied again has the same first item, hence the same key.
                    idempotency_key=f"loans.debit_batch:{batch.reference}:{first_item}", value_date=on, legs=legs,
                    movements_sql="SELECT sub_account_id, -(overdue_principal + principal), NULL::numeric,"
                                  " NULL::numeric FROM loans_close_paid WHERE applies"
                                  " AND overdue_principal + principal > 0",
                    summary=f"批量扣款还款 {on:%Y-%m-%d}", memo=f"贷款批量扣款 {batch.reference}",
                ).entry
                cursor.execute(_INSTALMENTS_PAY, {"d": on})
                cursor.execute(_REPAYMENTS_INSERT, {"d": on, "entry": entry.pk, "key_prefix": repayment_key("")})
                if unmatched_count:
                    cursor.execute(
                        "UPDATE loans_collectionitem c SET reason = '扣款金额与当前应还不符，已转暂收款待退'"
                        "  FROM loans_close_paid p WHERE c.id = p.item_id AND NOT p.applies")
            cursor.execute(
                "SELECT p.loan_id FROM loans_close_paid p JOIN ledger_subaccount s ON s.id = p.sub_account_id"
                " WHERE p.applies AND s.balance = 0 ORDER BY p.loan_id")
            paid_off = [row[0] for row in cursor.fetchall()]
            cursor.execute("SELECT COUNT(*) FILTER (WHERE state = 'sent'),"
                           "       COALESCE(SUM(amount) FILTER (WHERE state = 'paid'), 0)"
                           "  FROM loans_collectionitem WHERE batch_id = %s", [batch.pk])
            waiting, paid_amount = cursor.fetchone()
        totals = {"paid_count": batch.paid_count + paid_count, "failed_count": batch.failed_count + failed_count,
                  "paid_amount": paid_amount}
        if entry is not None:
            totals["entry"] = entry
        if waiting:
            CollectionBatch.objects.filter(pk=batch.pk).update(**totals)
        else:
            move_status(batch, BatchState.APPLIED, table=BATCH_MOVES, action="loans.collection_batch.applied",
                        note={"paid_count": totals["paid_count"], "failed_count": totals["failed_count"]},
                        applied_at=timezone.now(), **totals)
        for loan in Loan.objects.filter(pk__in=paid_off).select_related("sub_account"):
            repayment = Repayment.objects.get(idempotency_key=repayment_key(f"DK{on:%Y%m%d}{loan.pk}"))
            loan_paid_off(loan, on=on, actor=None, repayment=repayment)
    if waiting:
        raise ResultsIncomplete(f"银行尚未返回批次 {batch.reference} 的全部扣款结果（{waiting} 笔待返回），稍后重试")
    return {"paid": paid_count, "failed": failed_count, "unmatched": unmatched_count}


class ResultsIncomplete(RuntimeError):
    """The bank has not answered every item yet: what it answered is applied, and the step runs again."""


__all__ = ["ResultsIncomplete", "batch_reference", "debit_results_step", "debit_step"]
