"""The loans' nightly close for one business date over a book of N (200 000) active loans.

    DATABASE_NAME=fund_bench_loans .venv/bin/python bench/loans_close.py [N=200000]

Builds the book (bench/loan_book.py: 10 % of the loans due on the business date, 2 % of those with an empty
card, 1 % with an older overdue instalment), then times the loan steps of the close for that date, called in
the close's order (20 overdue and penalty, 30 自愿扣划, 40 the batch debit built and sent to the sandbox bank,
50 its results applied and posted, 60 counters, 70 reminders; the texts' queueing is counted, their sending is
the worker's and is not), each printed, then the same steps again for the same date (they must do nothing).

The floor, measured first in the same run and rolled back: one set-based UPDATE marking the same instalment
rows (those due on the date) paid. Target: the close ≤ 10 s and ≤ 5× the floor. The last line is
`loans_close_<N>: <seconds> s (<ratio> x)`. The sandbox bank runs in-process, so its own work (deciding and
recording 20 000 collections and debiting the cards, which a real bank does on its side) is inside the figure;
its share is printed apart, from the call log's latency.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("DATABASE_NAME", "fund_bench_loans")
os.environ.setdefault("DJANGO_DEBUG", "0")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import loan_book  # noqa: E402


def main(n: int) -> None:
    book = loan_book.build(n)
    print(f"book: {book['loans']:,} loans, {book['instalments']:,} instalments, built in {book['seconds']:.1f} s")
    from django.db import connection, transaction

    import fund.people.tasks
    from fund.ledger.selectors import ledger_reconcile
    from loans.close import counters_step, fund_deduction_step, overdue_step, reminders_step
    from loans.services.collection import debit_results_step, debit_step

    queued: list[int] = []
    fund.people.tasks.send_sms_many.delay = lambda chunk: queued.append(len(chunk))  # type: ignore[method-assign]
    on = loan_book.BUSINESS_DATE

    floor_started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as c:
        c.execute("""UPDATE loans_instalment SET principal_paid = principal, interest_paid = interest, state = 'paid',
                            paid_on = %s WHERE due_on = %s AND state IN ('pending', 'overdue')""", [on, on])
        floor_rows = c.rowcount
        transaction.set_rollback(True)
    floor = time.perf_counter() - floor_started
    with connection.cursor() as c:
        c.execute("VACUUM ANALYZE loans_instalment")
    print(f"floor: one UPDATE of the {floor_rows:,} instalment rows due on {on}: {floor:.2f} s")

    steps = [("loans.overdue", overdue_step), ("loans.fund_deduction", fund_deduction_step),
             ("loans.debit", debit_step), ("loans.debit_results", debit_results_step),
             ("loans.counters", counters_step), ("loans.reminders", reminders_step)]
    total = 0.0
    for name, run in steps:
        started = time.perf_counter()
        result = run(on)
        seconds = time.perf_counter() - started
        total += seconds
        print(f"  {name}: {seconds:.2f} s {result}")
    print(f"reminder texts queued: {sum(queued):,} in {len(queued)} tasks")
    from fund.integrations.models import IntegrationCall

    bank = sum(IntegrationCall.objects.filter(system="bank").values_list("latency_ms", flat=True)) / 1000
    print(f"of which the sandbox bank's own work (its call log's latency: deciding, recording and debiting the"
          f" {floor_rows:,} collections): {bank:.2f} s; the centre's steps without it: {total - bank:.2f} s"
          f" ({(total - bank) / floor:.1f} x)")
    again = 0.0
    for name, run in steps:
        started = time.perf_counter()
        result = run(on)
        again += time.perf_counter() - started
        if any(v for k, v in result.items() if k not in ("items", "no_card", "loans") or name == "loans.counters"):
            print(f"  SECOND RUN DID SOMETHING: {name} {result}")
    print(f"the same date again: {again:.2f} s")
    problems = ledger_reconcile()
    print(f"reconcile: {'balanced' if not problems else problems[:3]}")
    print(f"loans_close_{n}: {total:.2f} s ({total / floor:.1f} x)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200_000)
