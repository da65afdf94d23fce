"""Create N member accounts with balances quickly (COPY), for later benchmarks; time it against the floor.

    .venv/bin/python bench/accounts.py 1000000

The accounts are real: each has a person with a valid resident ID, a sub-account under 住房公积金 with
its balance, a member account in a bench unit, and a sub-ledger row of one balanced opening entry, so
`reconcile` passes afterwards. The floor is COPY of the very same rows into bare tables of the same
columns (no indexes, constraints or triggers), in the same run.
"""

import io
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from _setup import setup

TABLES = ["people_person", "ledger_subaccount", "deposits_memberaccount", "ledger_subledgerrow"]


def build_rows(n: int, first_id: dict[str, int], ids: dict[str, int]) -> dict[str, io.StringIO]:
    from stdnum.cn import ric

    start = date(1965, 1, 1)
    out = {t: io.StringIO() for t in TABLES}
    today = date.today()
    for i in range(n):
        birth = start + timedelta(days=i // 400)
        body = f"370802{birth:%Y%m%d}{(i % 400) * 2 + 1:03d}"
        id_number = body + ric.calc_check_digit(body + "0")
        balance = Decimal(1000 + (i * 7919) % 200000) / 4
        pid, sid, mid = first_id["person"] + i, first_id["sub"] + i, first_id["member"] + i
        number = f"9{i:011d}"
        out["people_person"].write(f"{pid}\t{id_number}\t职工{i}\t1\t{birth}\t\t{ids['branch']}\t{today}\n")
        out["ledger_subaccount"].write(
            f"{sid}\t{ids['control']}\t{number}\t职工{i}\t{balance}\t{balance}\t0.00\t0.00\t{today}\tf\t{today}\n"
        )
        out["deposits_memberaccount"].write(
            f"{mid}\t{number}\t{pid}\t{ids['unit']}\t{sid}\t01\t8000.00\t960.00\t960.00\t\t{today}\t{today}\t\\N\t{ids['user']}\n"
        )
        out["ledger_subledgerrow"].write(f"{ids['entry']}\t{sid}\t{today}\t{balance}\t{balance}\t0.00\t{balance}\t期初余额\n")
    return out


COLUMNS = {
    "people_person": "(id, id_number, name, sex, birth_date, phone, branch_id, created_at)",
    "ledger_subaccount": "(id, control_id, number, name, balance, current_year, prior_year, accumulation, accumulated_to, allow_negative, opened_on)",
    "deposits_memberaccount": "(id, number, person_id, unit_id, sub_account_id, state, base, unit_monthly, member_monthly, bank_card, opened_on, first_month, paid_up_to, opened_by_id)",
    "ledger_subledgerrow": "(entry_id, sub_account_id, value_date, amount, current_year_amount, prior_year_amount, balance_after, summary)",
}


def copy(cursor, table: str, data: io.StringIO) -> None:
    data.seek(0)
    with cursor.copy(f"COPY {table} {COLUMNS[table]} FROM STDIN") as copy_:
        while chunk := data.read(1 << 20):
            copy_.write(chunk)


def bench_unit(opened_on: date) -> tuple[Any, Any, Any]:
    """The benchmark's branch, user and unit (made once, found again on later runs): (branch, user, unit)."""
    from deposits.models import UnitAccount
    from fund.demo import make_credit_code
    from fund.people.models import Branch, Employer, User

    branch, _ = Branch.objects.get_or_create(code="BX", defaults={"name": "基准测试管理部"})
    user, _ = User.objects.get_or_create(username="bench")
    employer, _ = Employer.objects.get_or_create(
        credit_code=make_credit_code(999999), defaults={"name": "基准测试单位", "branch": branch}
    )
    unit, _ = UnitAccount.objects.get_or_create(
        employer=employer,
        defaults=dict(number=f"BX{employer.pk:08d}", unit_ratio=Decimal("0.12"), member_ratio=Decimal("0.12"),
                      pay_day=15, bank_name="基准银行", bank_account="1", opened_on=opened_on, opened_by=user),
    )
    return branch, user, unit


def main(n: int) -> None:
    setup()
    from django.db import connection, transaction

    from fund.ledger import chart
    from fund.ledger.models import Account
    from fund.ledger.services import credit, debit

    branch, user, unit = bench_unit(date.today())
    with connection.cursor() as c:
        c.execute("SELECT COALESCE(MAX(id), 0) FROM people_person")
        p0 = c.fetchone()[0] + 1
        c.execute("SELECT COALESCE(MAX(id), 0) FROM ledger_subaccount")
        s0 = c.fetchone()[0] + 1
        c.execute("SELECT COALESCE(MAX(id), 0) FROM deposits_memberaccount")
        m0 = c.fetchone()[0] + 1

    t0 = time.perf_counter()
    first_id = {"person": p0, "sub": s0, "member": m0}
    ids = {"branch": branch.pk, "control": Account.objects.get(code=chart.MEMBER_DEPOSITS).pk, "unit": unit.pk,
           "user": user.pk, "entry": 0}
    buffers = build_rows(n, first_id, ids)  # entry id filled in below
    t_build = time.perf_counter() - t0

    # Floor: the same rows into bare tables of the same columns.
    with transaction.atomic(), connection.cursor() as c:
        for table in TABLES:
            # The same columns and types, without keys, NOT NULLs, indexes, constraints or triggers.
            columns = COLUMNS[table].strip("()")
            c.execute(f"CREATE TEMP TABLE floor_{table} ON COMMIT DROP AS SELECT {columns} FROM {table} WITH NO DATA")
        t1 = time.perf_counter()
        for table in TABLES:
            buffers[table].seek(0)
            with c.copy(f"COPY floor_{table} {COLUMNS[table]} FROM STDIN") as cp:
                cp.write(buffers[table].getvalue())
        floor = time.perf_counter() - t1

    # The real thing: tables with their keys, indexes, constraints and ledger triggers, in one transaction.
    phases: dict[str, float] = {}
    t2 = time.perf_counter()
    with transaction.atomic():
        total = None
        with connection.cursor() as c:
            for table in ("people_person", "ledger_subaccount", "deposits_memberaccount"):
                started = time.perf_counter()
                copy(c, table, buffers[table])
                phases[f"COPY {table}"] = time.perf_counter() - started
            c.execute("SELECT SUM(balance) FROM ledger_subaccount WHERE id >= %s AND id < %s", [s0, s0 + n])
            total = c.fetchone()[0]
            # One balanced opening entry; its sub-ledger rows come in by COPY as well.
            from fund.ledger.models import JournalEntry, JournalLine

            entry = JournalEntry.objects.create(
                number=f"BENCH{s0}", business_type="GJ99", reference="bench.opening",
                idempotency_key=f"bench.opening:{s0}", value_date=date.today(), memo="基准测试期初余额",
            )
            JournalLine.objects.bulk_create([
                JournalLine(entry=entry, account=Account.objects.get(code=leg.account), debit=leg.debit, credit=leg.credit)
                for leg in (debit(chart.BANK, total), credit(chart.MEMBER_DEPOSITS, total))
            ])
            rows = io.StringIO("".join(f"{entry.pk}{line[1:]}" for line in buffers["ledger_subledgerrow"].getvalue().splitlines(True)))
            started = time.perf_counter()
            copy(c, "ledger_subledgerrow", rows)
            phases["COPY ledger_subledgerrow"] = time.perf_counter() - started
            for table in TABLES:
                c.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")
        commit_started = time.perf_counter()
    phases["COMMIT (deferred foreign-key and ledger checks)"] = time.perf_counter() - commit_started
    real = time.perf_counter() - t2

    with connection.cursor() as c:
        for table in TABLES:  # fresh statistics, as any bulk load should leave them
            c.execute(f"ANALYZE {table}")
    from fund.ledger.selectors import ledger_reconcile

    t3 = time.perf_counter()
    problems = ledger_reconcile()
    t_reconcile = time.perf_counter() - t3
    with connection.cursor() as c:
        t4 = time.perf_counter()
        c.execute("SELECT SUM(balance) FROM ledger_subaccount")
        c.execute("SELECT sub_account_id, SUM(amount) FROM ledger_subledgerrow GROUP BY 1")
        c.fetchall()
        reconcile_floor = time.perf_counter() - t4
    print(f"rows per table: {n:,}; Python row building: {t_build:.2f} s (not counted)")
    print(f"floor (COPY into bare tables): {floor:.2f} s")
    print(f"accounts with balances, keys, constraints, ledger entry: {real:.2f} s")
    for phase, seconds in phases.items():
        print(f"  {phase}: {seconds:.2f} s")
    print(f"reconcile over all accounts: {t_reconcile:.2f} s, {'balanced' if not problems else problems[:3]} "
          f"(floor: the two sums it needs, {reconcile_floor:.2f} s; {t_reconcile / reconcile_floor:.2f} x)")
    print(f"create_member_accounts_{n}: {real:.2f} s ({real / floor:.2f} x)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
