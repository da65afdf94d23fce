"""Annual interest settlement over N member accounts with a year of monthly postings, against the floor.

    .venv/bin/python bench/interest.py 1000000

The accounts (built with COPY, people and member accounts by bench/accounts.py's row builder) each carry
a carried-over balance from 1 July 2025 and twelve monthly deposits on the 15th, July 2025 – June 2026:
balance, 当年/上年 split and the 积数 of both parts are what those twelve postings leave (computed here);
the sub-ledger holds the opening row and the twelve monthly rows for every hundredth account, one row for
the year's deposits for the others, so `reconcile` passes. Then the settlement of the 2026 interest year
runs exactly as the Celery task does (chunks of 50 000, one transaction each), timed against the floor
measured in the same run: one `UPDATE … SET balance = round(balance * 1.015, 2)` over a copy of the same
rows (same columns and indexes, without the split check that such an update would break).
"""

import io
import sys
import time
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from _setup import setup

PERIOD_START, PERIOD_END = date(2025, 7, 1), date(2026, 6, 30)
MONTHS = [date(2025 + (6 + k) // 12, (6 + k) % 12 + 1, 15) for k in range(12)]  # 15 Jul 2025 … 15 Jun 2026
LAST = MONTHS[-1]


def account_figures(i: int) -> tuple[Decimal, Decimal]:
    """(carried over on 1 July, monthly deposit) of account i: varied, realistic sizes."""
    prior = Decimal(2000 + (i * 7919) % 150000)
    monthly = Decimal(2 * ((1800 + (i * 104729) % 30000) * 12 // 100))
    return prior, monthly


def build_ledger(n: int, s0: int, control: int, opening_entry: int, year_entry: int) -> tuple[io.StringIO, io.StringIO]:
    subs, rows = io.StringIO(), io.StringIO()
    day_weights = sum((LAST - m).days for m in MONTHS)  # Σ days each deposit has counted before LAST
    prior_days = (LAST - PERIOD_START).days
    for i in range(n):
        sid = s0 + i
        prior, monthly = account_figures(i)
        current = monthly * 12
        balance = prior + current
        acc = prior * prior_days + monthly * day_weights
        acc_prior = prior * prior_days
        subs.write(
            f"{sid}\t{control}\t9{i:011d}\t职工{i}\t{balance}\t{current}\t{prior}\t{acc}\t{LAST}\tf\t2020-01-01"
            f"\t{acc_prior}\t\\N\t0.00\t0.00\t0.00\n"
        )
        rows.write(f"{opening_entry}\t{sid}\t{PERIOD_START}\t{prior}\t0.00\t{prior}\t{prior}\t上年结转\n")
        if i % 100 == 0:
            running = prior
            for m in MONTHS:
                running += monthly
                rows.write(f"{year_entry}\t{sid}\t{m}\t{monthly}\t{monthly}\t0.00\t{running}\t{m:%Y年%m月}汇缴\n")
        else:
            rows.write(f"{year_entry}\t{sid}\t{LAST}\t{current}\t{current}\t0.00\t{balance}\t2025年07月至2026年06月汇缴\n")
    return subs, rows


SUB_COLUMNS = ("(id, control_id, number, name, balance, current_year, prior_year, accumulation, accumulated_to,"
               " allow_negative, opened_on, accumulation_prior, closed_period_end, closed_accumulation,"
               " closed_accumulation_prior, closed_current_year)")


def expected_interest(i: int) -> Decimal:
    """The same account's interest by brute force over the 365 days (end-of-day balances)."""
    prior, monthly = account_figures(i)
    acc_cur = acc_pri = Decimal(0)
    day = PERIOD_START
    while day <= PERIOD_END:
        acc_pri += prior
        acc_cur += monthly * sum(1 for m in MONTHS if m <= day)
        day += timedelta(days=1)
    fen = Decimal("0.01")
    rate = Decimal("0.015")
    return ((acc_cur + acc_pri) * rate / 360).quantize(fen, ROUND_HALF_UP)  # SPEC §2.1 rounds the total


def main(n: int) -> None:
    setup()
    from accounts import COLUMNS, bench_unit, build_rows, copy
    from django.db import connection, transaction

    from deposits.models import InterestRun
    from deposits.services.interest import interest_run_process
    from fund.ledger import chart
    from fund.ledger.models import Account, JournalEntry, JournalLine

    branch, user, unit = bench_unit(date(2020, 1, 1))
    control = Account.objects.get(code=chart.MEMBER_DEPOSITS)
    bank = Account.objects.get(code=chart.BANK)
    t0 = time.perf_counter()
    people = build_rows(n, {"person": 1, "sub": 1, "member": 1},
                        {"branch": branch.pk, "control": control.pk, "unit": unit.pk, "user": user.pk, "entry": 0})
    total_prior = sum(account_figures(i)[0] for i in range(n))
    total_year = sum(account_figures(i)[1] * 12 for i in range(n))
    with transaction.atomic():
        entries = []
        for key, memo, amount, on in (("opening", "上年结转", total_prior, PERIOD_START),
                                      ("year", "2025年07月至2026年06月汇缴", total_year, LAST)):
            entry = JournalEntry.objects.create(
                number=f"BENCHI{key}", business_type="GJ99", reference="bench.interest",
                idempotency_key=f"bench.interest:{key}", value_date=on, memo=memo,
            )
            JournalLine.objects.bulk_create([JournalLine(entry=entry, account=bank, debit=amount),
                                             JournalLine(entry=entry, account=control, credit=amount)])
            entries.append(entry.pk)
        subs, rows = build_ledger(n, 1, control.pk, *entries)
        print(f"rows built in Python: {time.perf_counter() - t0:.1f} s (not counted)")
        t1 = time.perf_counter()
        with connection.cursor() as c:
            copy(c, "people_person", people["people_person"])
            subs.seek(0)
            with c.copy(f"COPY ledger_subaccount {SUB_COLUMNS} FROM STDIN") as cp:
                while chunk := subs.read(1 << 20):
                    cp.write(chunk)
            copy(c, "deposits_memberaccount", people["deposits_memberaccount"])
            copy(c, "ledger_subledgerrow", rows)
            for table in COLUMNS:
                c.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")
    print(f"loaded {n:,} accounts with a year of postings in {time.perf_counter() - t1:.1f} s")
    with connection.cursor() as c:
        c.execute("CREATE TABLE floor_subaccount (LIKE ledger_subaccount INCLUDING DEFAULTS INCLUDING INDEXES)")
        c.execute("INSERT INTO floor_subaccount SELECT * FROM ledger_subaccount")
    connection.close()
    with connection.cursor() as c:  # autocommit: VACUUM leaves both tables in the same, settled state
        for table in ("ledger_subaccount", "floor_subaccount", "ledger_subledgerrow", "people_person",
                      "deposits_memberaccount"):
            c.execute(f"VACUUM ANALYZE {table}")
        c.execute("CHECKPOINT")

    with transaction.atomic(), connection.cursor() as c:
        t2 = time.perf_counter()
        c.execute("UPDATE floor_subaccount SET balance = round(balance * 1.015, 2) WHERE control_id = %s", [control.pk])
        floor = time.perf_counter() - t2
        c.execute("DROP TABLE floor_subaccount")
    with connection.cursor() as c:
        c.execute("CHECKPOINT")

    run = InterestRun.objects.create(year=2026, period_start=PERIOD_START, period_end=PERIOD_END,
                                     total_accounts=n, started_by=user)
    t3 = time.perf_counter()
    run = interest_run_process(run_id=run.pk)
    real = time.perf_counter() - t3

    from fund.ledger.models import SubAccount, SubLedgerRow
    from fund.ledger.selectors import ledger_reconcile

    samples = [0, 1, 99, n // 2, n - 1]
    for i in samples:
        row = SubLedgerRow.objects.get(sub_account_id=1 + i, entry__business_type="GJ09")
        assert row.amount == expected_interest(i), (i, row.amount, expected_interest(i))
        sub = SubAccount.objects.get(pk=1 + i)
        assert sub.current_year == 0 and sub.prior_year == sub.balance and sub.accumulated_to == date(2026, 7, 1)
    t4 = time.perf_counter()
    problems = ledger_reconcile()
    print(f"run: {run.get_state_display()}, {run.processed_accounts:,} accounts, interest {run.total_interest:,} 元; "
          f"{len(samples)} sampled accounts match a day-by-day recomputation")
    print(f"reconcile: {'balanced' if not problems else problems[:3]} ({time.perf_counter() - t4:.1f} s)")
    print(f"floor (one UPDATE balance = round(balance * 1.015, 2) over {n:,} rows): {floor:.2f} s")
    print(f"interest_settlement_{n}: {real:.2f} s ({real / floor:.2f} x)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
