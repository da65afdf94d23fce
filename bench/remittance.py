"""Posting a month's remittance for N members of one unit (default 100,000), against the floor.

    .venv/bin/python bench/remittance.py 100000

Builds N member accounts in one unit with the COPY helpers of bench/accounts.py, then times the real
services: `bill_generate` (the bill from the roster) and `bill_post` (ONE transaction: the bill's state,
one journal entry through `entry_post` with N sub-ledger movements, N monthly deposits, the paid-up months).
The floor, measured in the same run on the same rows, is what the database needs at least for the same
effect: INSERT … SELECT of N sub-ledger-shaped and N deposit-shaped rows into bare tables, and one UPDATE
of N balances (rolled back). The last line is `post_remittance_<N>: <seconds> s (<ratio> x)`.
"""

import cProfile
import io
import os
import pstats
import sys
import time

os.environ.setdefault("DATABASE_NAME", "fund_remit_bench")

import accounts as bench_accounts  # noqa: E402  (bench/accounts.py: COPY helpers and the bench unit)


def floor_seconds(unit_id: int, month) -> float:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as c:
        c.execute("CREATE TEMP TABLE floor_rows ON COMMIT DROP AS SELECT entry_id, sub_account_id, value_date, amount,"
                  " current_year_amount, prior_year_amount, balance_after, summary FROM ledger_subledgerrow WITH NO DATA")
        c.execute("CREATE TEMP TABLE floor_deposits ON COMMIT DROP AS SELECT account_id, month, unit_amount,"
                  " member_amount, base, entry_id FROM deposits_monthlydeposit WITH NO DATA")
        started = time.perf_counter()
        c.execute(
            """INSERT INTO floor_rows SELECT 1, s.id, CURRENT_DATE, m.unit_monthly + m.member_monthly,
                      m.unit_monthly + m.member_monthly, 0, s.balance + m.unit_monthly + m.member_monthly, '汇缴'
                 FROM deposits_memberaccount m JOIN ledger_subaccount s ON s.id = m.sub_account_id
                WHERE m.unit_id = %s""",
            [unit_id],
        )
        c.execute(
            """INSERT INTO floor_deposits SELECT m.id, %s, m.unit_monthly, m.member_monthly, m.base, 1
                 FROM deposits_memberaccount m WHERE m.unit_id = %s""",
            [month, unit_id],
        )
        c.execute(
            """UPDATE ledger_subaccount s SET balance = s.balance + m.unit_monthly + m.member_monthly,
                      current_year = s.current_year + m.unit_monthly + m.member_monthly
                 FROM deposits_memberaccount m WHERE m.sub_account_id = s.id AND m.unit_id = %s""",
            [unit_id],
        )
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)  # the floor leaves nothing behind
    return seconds


def main(n: int, profile: bool) -> None:
    bench_accounts.main(n)  # sets Django up on a fresh database and COPYs the accounts in
    from django.utils import timezone
    from guardian.shortcuts import assign_perm

    from deposits.models import MemberAccount, MonthlyDeposit, PaymentChannel, UnitAccount
    from deposits.services.remittance import bill_confirm, bill_generate, bill_post
    from fund.dates import first_of_month
    from fund.ledger.selectors import ledger_reconcile
    from fund.people.models import User

    unit = UnitAccount.objects.select_related("employer").get(employer__name="基准测试单位")
    user = User.objects.get(username="bench")
    assign_perm("people.act_for_employer", user, unit.employer)  # the unit's operator generates and confirms
    month = first_of_month(timezone.localdate())
    MemberAccount.objects.filter(unit=unit).update(first_month=month)

    from django.db import connection

    with connection.cursor() as c:  # fresh statistics for the (empty) remittance tables, as after any deploy
        for table in ("deposits_remittancebill", "deposits_remittancebillline", "deposits_monthlydeposit",
                      "deposits_baseadjustment", "deposits_memberaccount"):
            c.execute(f"ANALYZE {table}")
    floor = floor_seconds(unit.pk, month)

    started = time.perf_counter()
    bill = bill_generate(actor=user, unit=unit, month=month)
    t_generate = time.perf_counter() - started
    bill = bill_confirm(actor=user, bill=bill)

    profiler = cProfile.Profile() if profile else None
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    bill, created = bill_post(bill=bill, bank_reference=f"BENCH-{bill.pk}", channel=PaymentChannel.COUNTER, actor=user)
    if profiler:
        profiler.disable()
    t_post = time.perf_counter() - started
    assert created and bill.member_count == n

    started = time.perf_counter()
    again, created_again = bill_post(bill=bill, bank_reference=f"BENCH-{bill.pk}", channel="counter", actor=user)
    t_again = time.perf_counter() - started
    assert not created_again
    paid_up = MemberAccount.objects.filter(unit=unit, paid_up_to=month).count()
    problems = ledger_reconcile()

    print(f"bill_generate for {n:,} members: {t_generate:.2f} s (bill {bill.number}, total {bill.total})")
    print(f"bill_post: {t_post:.2f} s; posting it again: {t_again:.3f} s (nothing changed)")
    print(f"monthly deposits: {MonthlyDeposit.objects.filter(entry=bill.entry).count():,}; paid up to {month:%Y-%m}: "
          f"{paid_up:,}; reconcile: {'balanced' if not problems else problems[:3]}")
    print(f"floor (INSERT {n:,} sub-ledger rows + {n:,} deposit rows into bare tables, one UPDATE of {n:,} "
          f"balances): {floor:.2f} s")
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
        print(out.getvalue())
    print(f"post_remittance_{n}: {t_post:.2f} s ({t_post / floor:.2f} x)")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    main(int(args[0]) if args else 100_000, profile="--profile" in sys.argv)
