"""A book of N active loans with their stored schedules, built fast, for the loans' close and re-pricing benchmarks.

    from loan_book import build; book = build(200_000)

Only what the nightly close and the yearly re-pricing read is built: per loan a borrower (person with a phone),
its application, the loan (还款中, 240 months, 等额本金 at 3.100 %, disbursed in December 2025), its
sub-account under 委托贷款 (111) holding the principal outstanding, one schedule segment from 1 January 2026 and
its twelve instalments of 2026 (those due before the business date repaid, the rest pending), and a repayment
card at the sandbox bank. 等额本金 because its figures have a closed form per instalment (principal = P ÷ 240,
interest on the balance after k − 1 of them), so the whole schedule is a few set-based statements.

Business date `BUSINESS_DATE` (2026-06-15): loans i ≡ 0 (mod 10) repay on the 15th, so 10 % are due that day;
1 in 50 of those has an empty card (2 % fail the debit); loans i ≡ 7 (mod 100) left May's instalment unpaid
(overdue, outside the retry days: penalty only, and the loan's counters as the day before's close left them);
the rest repay on the other days of the month.

Rows are made by INSERT … SELECT over generate_series on the server (explicit ids, one template row per table
made through the ORM so that every NOT NULL column has its value), which does what COPY does here without
shipping millions of rows from Python; the sequences are moved past the ids after.
"""

from __future__ import annotations

import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

BUSINESS_DATE = date(2026, 6, 15)
RATE = Decimal("3.100")
TERM = 240
OTHER_DAYS = [d for d in range(1, 29) if d != BUSINESS_DATE.day]


def _columns(cursor: Any, table: str) -> list[str]:
    cursor.execute("SELECT column_name FROM information_schema.columns WHERE table_name = %s AND table_schema ="
                   " current_schema() ORDER BY ordinal_position", [table])
    return [row[0] for row in cursor.fetchall()]


def clone(cursor: Any, table: str, template_id: int, rows_sql: str, overrides: dict[str, str],
          params: dict[str, Any]) -> int:
    """Insert one row per row of `rows_sql` (a FROM clause over `g`), copying the template row's columns except
    those `overrides` computes (SQL over g and the template `t`). Returns the rows inserted."""
    names = _columns(cursor, table)
    values = [overrides.get(name, f"t.{name}") for name in names]
    cursor.execute(
        f"INSERT INTO {table} ({', '.join(names)}) SELECT {', '.join(values)}"
        f"  FROM {table} t, {rows_sql} WHERE t.id = %(template)s",
        {**params, "template": template_id},
    )
    cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")
    return cursor.rowcount


def templates() -> dict[str, Any]:
    import accounts  # Django set up on a fresh database, with one member account for the applications

    accounts.main(1)
    from django.utils import timezone

    from deposits.models import MemberAccount
    from fund.integrations.models import SandboxBankAccount
    from fund.ledger import chart
    from fund.ledger.models import Account, SubAccount
    from fund.people.models import EntrustedBank, Person
    from loans.models import Loan, LoanApplication, ScheduleSegment

    account = MemberAccount.objects.select_related("person", "unit").first()
    assert account is not None
    user = account.opened_by
    branch = account.person.branch
    bank = EntrustedBank.objects.create(code="BENCH02", name="中国建设银行", outlet="示范市分行营业部")
    person = Person.objects.create(id_number="990000000000000000", name="借款人", sex="1", birth_date=date(1988, 1, 2),
                                   phone="13900000000", branch=branch)
    application = LoanApplication.objects.create(
        number="BDK0000000000", channel="window", branch=branch, borrower=person, account=account,
        household_key=person.id_number, home_kind="second_hand", home_order="first", home_address="示范市基准路1号",
        price=Decimal("900000.00"), monthly_income=Decimal("12000.00"), amount_requested=Decimal("300000.00"),
        term_months=TERM, submitted_by=user, state="disbursed", approved_amount=Decimal("300000.00"), rate=RATE,
        method="principal",
    )
    sub = SubAccount.objects.create(control=Account.objects.get(code=chart.LOANS), number="BDKFH0000000000",
                                    name=person.name, accumulated_to=date(2026, 1, 1), opened_on=date(2025, 12, 1),
                                    allow_negative=False)
    loan = Loan.objects.create(
        contract_number="BHT0000000000", application=application, borrower=person, branch=branch, sub_account=sub,
        bank=bank, principal=Decimal("300000.00"), rate=RATE, term_months=TERM, method="principal", repayment_day=1,
        signed_at=timezone.now(), signed_by=user, signed_branch=branch, iou_number="BJJ0000000000", status="pending",
    )
    segment = ScheduleSegment.objects.create(
        loan=loan, reason="disbursed", effective_on=date(2025, 12, 1), balance=loan.principal, rate=RATE,
        method="principal", first_number=1, last_number=TERM, first_due=date(2026, 1, 1), day=1,
        payment=Decimal("1250.00"),
    )
    card = SandboxBankAccount.objects.create(account_number="6217BENCHTEMPLATE", name="模板", bank_name="建设银行")
    return {"person": person.pk, "application": application.pk, "sub": sub.pk, "loan": loan.pk,
            "segment": segment.pk, "card": card.pk}


def build(n: int) -> dict[str, Any]:
    """The book of n active loans; returns timings and the ids' bases."""
    from django.db import connection, transaction

    started = time.perf_counter()
    tpl = templates()
    with transaction.atomic(), connection.cursor() as c:
        bases = {}
        for table in ("people_person", "loans_loanapplication", "ledger_subaccount", "loans_loan",
                      "loans_schedulesegment", "integrations_sandboxbankaccount"):
            c.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
            bases[table] = c.fetchone()[0]
        p = {"n": n, "due_day": BUSINESS_DATE.day, "others": OTHER_DAYS, "rate": RATE, "term": TERM,
             "d": BUSINESS_DATE, **{f"b_{k}": v for k, v in bases.items()}}
        # Per loan i: its day, principal and whether its card is empty; one scratch table the clones read.
        c.execute("DROP TABLE IF EXISTS bench_book")
        c.execute(
            """CREATE TEMP TABLE bench_book AS
               SELECT g AS i,
                      CASE WHEN g %% 10 = 0 THEN %(due_day)s ELSE (%(others)s::int[])[1 + g %% 27] END AS day,
                      (100000 + (g * 7919) %% 500000)::numeric(18, 2) AS principal,
                      (g %% 10 = 0 AND (g / 10) %% 50 = 0) AS empty_card,
                      (g %% 100 = 7) AS late
                 FROM generate_series(1, %(n)s) g""", p)
        c.execute("ALTER TABLE bench_book ADD PRIMARY KEY (i)")
        rows = "bench_book g"
        clone(c, "people_person", tpl["person"], rows, {
            "id": "%(b_people_person)s + g.i", "id_number": "'99' || lpad(g.i::text, 16, '0')",
            "name": "'借款人' || g.i", "phone": "'139' || lpad(g.i::text, 8, '0')"}, p)
        clone(c, "loans_loanapplication", tpl["application"], rows, {
            "id": "%(b_loans_loanapplication)s + g.i", "number": "'BDK' || lpad(g.i::text, 10, '0')",
            "borrower_id": "%(b_people_person)s + g.i", "household_key": "'99' || lpad(g.i::text, 16, '0')",
            "approved_amount": "g.principal", "amount_requested": "g.principal"}, p)
        # Principal outstanding: the principal less the instalments of 2026 repaid before the business date.
        clone(c, "ledger_subaccount", tpl["sub"], rows, {
            "id": "%(b_ledger_subaccount)s + g.i", "number": "'BDKFH' || lpad(g.i::text, 10, '0')",
            "name": "'借款人' || g.i",
            "balance": "g.principal - round(g.principal / %(term)s, 2) * "
                       "(SELECT COUNT(*) FROM generate_series(1, 12) k WHERE make_date(2026, k, g.day) < %(d)s"
                       " AND NOT (g.late AND k = 5))",
            "current_year": "g.principal - round(g.principal / %(term)s, 2) * "
                            "(SELECT COUNT(*) FROM generate_series(1, 12) k WHERE make_date(2026, k, g.day) < %(d)s"
                            " AND NOT (g.late AND k = 5))"}, p)
        clone(c, "loans_loan", tpl["loan"], rows, {
            "id": "%(b_loans_loan)s + g.i", "contract_number": "'BHT' || lpad(g.i::text, 10, '0')",
            "iou_number": "'BJJ' || lpad(g.i::text, 10, '0')", "application_id": "%(b_loans_loanapplication)s + g.i",
            "borrower_id": "%(b_people_person)s + g.i", "sub_account_id": "%(b_ledger_subaccount)s + g.i",
            "principal": "g.principal", "repayment_day": "g.day", "status": "'active'",
            "disbursed_on": "make_date(2025, 12, g.day)", "first_due_on": "make_date(2026, 1, g.day)",
            "maturity_on": "make_date(2045, 12, g.day)", "repayment_card": "'6217' || lpad(g.i::text, 15, '0')",
            "segment_id": "NULL",
            # The counters as the close of the day before left them: a late loan overdue since May's instalment.
            "overdue_since": "CASE WHEN g.late THEN make_date(2026, 5, g.day) END",
            "periods_overdue": "CASE WHEN g.late THEN 1 ELSE 0 END",
            "periods_overdue_total": "CASE WHEN g.late THEN 1 ELSE 0 END",
            "days_overdue": "CASE WHEN g.late THEN %(d)s::date - 1 - make_date(2026, 5, g.day) ELSE 0 END"}, p)
        clone(c, "loans_schedulesegment", tpl["segment"], rows, {
            "id": "%(b_loans_schedulesegment)s + g.i", "loan_id": "%(b_loans_loan)s + g.i",
            "balance": "g.principal", "first_due": "make_date(2026, 1, g.day)", "day": "g.day",
            "payment": "round(g.principal / %(term)s, 2)"}, p)
        c.execute("UPDATE loans_loan SET segment_id = id - %(b_loans_loan)s + %(b_loans_schedulesegment)s"
                  " WHERE id > %(b_loans_loan)s", p)
        c.execute(
            """INSERT INTO loans_instalment (loan_id, segment_id, number, due_on, principal, interest, balance_after,
                      principal_paid, interest_paid, penalty, penalty_paid, penalty_frozen, penalty_from, state,
                      paid_on, reminded_on)
               SELECT %(b_loans_loan)s + g.i, %(b_loans_schedulesegment)s + g.i, k, s.due, s.pri, s.intr,
                      g.principal - s.pri * k,
                      CASE WHEN s.paid THEN s.pri ELSE 0 END, CASE WHEN s.paid THEN s.intr ELSE 0 END, 0, 0, 0,
                      CASE WHEN s.due < %(d)s AND NOT s.paid THEN s.due END,
                      CASE WHEN s.paid THEN 'paid' WHEN s.due < %(d)s THEN 'overdue' ELSE 'pending' END,
                      CASE WHEN s.paid THEN s.due END, NULL
                 FROM bench_book g CROSS JOIN generate_series(1, 12) k
                CROSS JOIN LATERAL (
                      SELECT make_date(2026, k, g.day) AS due, round(g.principal / %(term)s, 2) AS pri,
                             round((g.principal - round(g.principal / %(term)s, 2) * (k - 1)) * %(rate)s / 1200, 2)
                                 AS intr,
                             make_date(2026, k, g.day) < %(d)s AND NOT (g.late AND k = 5) AS paid) s
                ORDER BY 1, 3""", p)
        clone(c, "integrations_sandboxbankaccount", tpl["card"], rows, {
            "id": "%(b_integrations_sandboxbankaccount)s + g.i",
            "account_number": "'6217' || lpad(g.i::text, 15, '0')", "name": "'借款人' || g.i",
            "holder_id": "'99' || lpad(g.i::text, 16, '0')",
            "balance": "CASE WHEN g.empty_card THEN 0 ELSE 100000 END"}, p)
        # The loans' principal in the ledger: one opening entry Dr 111 / Cr 101 with a sub-ledger row each.
        _opening_entry(c, bases["ledger_subaccount"])
    with connection.cursor() as c:
        for table in ("people_person", "loans_loanapplication", "ledger_subaccount", "loans_loan",
                      "loans_schedulesegment", "loans_instalment", "integrations_sandboxbankaccount",
                      "ledger_subledgerrow"):
            c.execute(f"VACUUM ANALYZE {table}")
        c.execute("SELECT COUNT(*) FROM loans_instalment")
        instalments = c.fetchone()[0]
    return {"seconds": time.perf_counter() - started, "loans": n, "instalments": instalments}


def _opening_entry(c: Any, sub_base: int) -> None:
    from fund.ledger import chart
    from fund.ledger.models import Account, JournalEntry, JournalLine

    c.execute("SELECT SUM(balance) FROM ledger_subaccount WHERE id > %s", [sub_base])
    total = c.fetchone()[0]
    entry = JournalEntry.objects.create(number="BENCHDK0001", business_type="DK01", reference="bench.loans",
                                        idempotency_key="bench.loans:opening", value_date=date(2025, 12, 31),
                                        memo="基准测试贷款余额")
    JournalLine.objects.create(entry=entry, account=Account.objects.get(code=chart.LOANS), debit=total, credit=0)
    JournalLine.objects.create(entry=entry, account=Account.objects.get(code=chart.BANK), debit=0, credit=total)
    c.execute("""INSERT INTO ledger_subledgerrow (entry_id, sub_account_id, value_date, amount, current_year_amount,
                        prior_year_amount, balance_after, summary)
                 SELECT %s, id, %s, balance, balance, 0, balance, '贷款余额' FROM ledger_subaccount WHERE id > %s
                  ORDER BY id""", [entry.pk, date(2025, 12, 31), sub_base])


if __name__ == "__main__":
    print(build(int(sys.argv[1]) if len(sys.argv) > 1 else 200_000))
