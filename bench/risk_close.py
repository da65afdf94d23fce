"""The risk steps of the nightly close for one business date over a book of N (200 000) active loans, 1 % overdue.

    DATABASE_NAME=fund_bench_risk .venv/bin/python bench/risk_close.py [N=200000]

Builds the book with bench/loan_book.py (the loans' close benchmark's builder: loans i ≡ 7 (mod 100) left May's
instalment unpaid, so 1 % are overdue on the business date, 31 days), runs the loans' steps the risk steps read
(20 overdue and penalty, 60 counters; printed apart, they are the loans' figure), then every registered close
step whose name starts with "risk." in the close's order, each printed with its counts — the steps other
helpers register join by themselves — and then the same steps again for the same date (they must add nothing).
Texts are counted, not sent (their sending is the worker's).

The floor, measured first in the same run and rolled back: one set-based pass over the same rows — the active
loans joined with their sub-accounts written into a table (what any step that reads the whole book must at
least do). Target: the risk steps ≤ 10 s. The last line is `risk_close_<N>: <seconds> s (<ratio> x)`.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("DATABASE_NAME", "fund_bench_risk")
os.environ.setdefault("DJANGO_DEBUG", "0")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import loan_book  # noqa: E402

# Counts that a second run for the same date may report without having changed anything: the rate rows rewritten in
# place, the screening's rules in force and subjects read, the link graph's applications of the date's stored run.
REWRITES = {"rows", "rules", "subjects", "applications"}


def main(n: int) -> None:
    book = loan_book.build(n)
    print(f"book: {book['loans']:,} loans, {book['instalments']:,} instalments, built in {book['seconds']:.1f} s")
    from django.db import connection, transaction

    import fund.people.tasks
    from fund.close.registry import close_steps
    from loans.close import counters_step, overdue_step

    queued: list[int] = []
    fund.people.tasks.send_sms_many.delay = lambda chunk: queued.append(len(chunk))  # type: ignore[method-assign]
    on = loan_book.BUSINESS_DATE

    started = time.perf_counter()
    loans_figures = (overdue_step(on), counters_step(on))
    print(f"the loans' overdue and counters steps first: {time.perf_counter() - started:.2f} s {loans_figures}")
    with connection.cursor() as c:
        c.execute("VACUUM ANALYZE loans_loan")

    floor_started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as c:
        c.execute("""CREATE TEMP TABLE bench_floor AS
                     SELECT l.id, l.branch_id, l.bank_id, l.borrower_id, l.days_overdue, s.balance
                       FROM loans_loan l JOIN ledger_subaccount s ON s.id = l.sub_account_id
                      WHERE l.status = 'active'""")
        floor_rows = c.rowcount
        transaction.set_rollback(True)
    floor = time.perf_counter() - floor_started
    print(f"floor: one pass writing the {floor_rows:,} active loans with their balances: {floor:.2f} s")

    steps = [step for step in close_steps() if step.name.startswith("risk.")]
    total = 0.0
    for step in steps:
        started = time.perf_counter()
        result = step.run(on)
        seconds = time.perf_counter() - started
        total += seconds
        print(f"  {step.name} ({step.order}): {seconds:.2f} s {result}")
    print(f"texts queued: {sum(queued):,} in {len(queued)} tasks")
    again = 0.0
    for step in steps:
        started = time.perf_counter()
        result = step.run(on)
        again += time.perf_counter() - started
        if any(v for k, v in result.items() if k not in REWRITES):
            print(f"  SECOND RUN DID SOMETHING: {step.name} {result}")
    print(f"the same date again: {again:.2f} s")
    print(f"risk_close_{n}: {total:.2f} s ({total / floor:.1f} x)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200_000)
