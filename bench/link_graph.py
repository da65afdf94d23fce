"""The link graph over N (500,000) applications: the nightly run that finds suspected rings, against its floor.

    .venv/bin/python bench/link_graph.py 500000
    BENCH_REUSE=1 .venv/bin/python bench/link_graph.py 500000   # again over the applications already built

Builds N applications by COPY — 70 % withdrawals and 30 % loan applications of N × 0.6 people (accounts by
bench/accounts.py) — with realistic sharing: every person's phone and card their own, a couple in every ten
people (the wife's withdrawal names her husband's home, sharing his card: not a ring), a person's second
application (same keys), homes sold on (a certificate shared by a seller's withdrawal and a buyer's loan), and
planted rings: 0.1 % of people in threes sharing a card, 0.1 % in fours sharing a phone, and groups of eight
sharing an agent's medical record numbers. A developer's account shared by 2,000 loans is a hub and links
nothing.

The floor is the extraction SELECT alone (every application's keys, counted, not grouped); the figure is
`link_graph_run` on a business date: extraction and grouping in SQL, union-find in Python, rings stored. Then
the same run again (identity kept: no new rings). Target ≤ 60 s.
"""

import io
import json
import sys
import time
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import _setup  # noqa: F401  (Django's settings and the bench database)


def copy_model(cursor: Any, model: Any, rows: list[dict[str, Any]]) -> None:
    """COPY `rows` into `model`'s table: every concrete column, a row's value or the field's default."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    defaults = {f.attname: f.get_default() for f in fields}

    def text(value: Any) -> str:
        if value is None:
            return "\\N"
        if isinstance(value, bool):
            return "t" if value else "f"
        if isinstance(value, (dict, list)):
            value = json.dumps(value, ensure_ascii=False)
        if isinstance(value, (date, datetime)):
            value = value.isoformat()
        return str(value).replace("\\", "\\\\").replace("\t", " ").replace("\n", " ")

    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join(text(row.get(f.attname, defaults[f.attname])) for f in fields) + "\n")
    buffer.seek(0)
    columns = ", ".join(f.column for f in fields)
    with cursor.copy(f"COPY {model._meta.db_table} ({columns}) FROM STDIN") as cp:
        while chunk := buffer.read(1 << 20):
            cp.write(chunk)


def build(n: int) -> None:
    import accounts

    people = int(n * 0.6)
    accounts.main(people)
    from django.db import connection, transaction

    from loans.models import LoanApplication
    from withdrawals.models import Withdrawal

    with connection.cursor() as c:
        c.execute("SELECT a.id, a.person_id, p.id_number, u.employer_id FROM deposits_memberaccount a"
                  " JOIN people_person p ON p.id = a.person_id JOIN deposits_unitaccount u ON u.id = a.unit_id"
                  " ORDER BY a.id")
        accs = c.fetchall()
        c.execute("SELECT id FROM people_branch ORDER BY id LIMIT 1")
        branch = c.fetchone()[0]
        c.execute("SELECT id FROM people_user WHERE username = 'bench'")
        user = c.fetchone()[0]
    now = datetime.now().astimezone()
    # Phones: everyone their own, but people in fours at positions 5000k+100.. share one (planted).
    phones = []
    for i in range(len(accs)):
        phones.append(f"139{(i // 4 if i % 1000 in (100, 101, 102, 103) else 10_000_000 + i):08d}")
    t0 = time.perf_counter()
    with transaction.atomic(), connection.cursor() as c:
        c.execute("CREATE TEMP TABLE bench_phone (id bigint, phone text) ON COMMIT DROP")
        with c.copy("COPY bench_phone FROM STDIN") as cp:
            cp.write("".join(f"{acc[1]}\t{phones[i]}\n" for i, acc in enumerate(accs)))
        c.execute("UPDATE people_person p SET phone = b.phone FROM bench_phone b WHERE b.id = p.id")

        w_rows, l_rows = [], []
        n_w = int(n * 0.7)
        for k in range(n_w):
            i = k % len(accs)  # the first 10 % of people apply twice
            acc_id, _person_id, id_number, _employer = accs[i]
            card = f"6217{i:015d}"
            details: dict[str, Any] = {}
            relation, other = "self", ""
            if i % 10 == 1:  # a wife: her husband's (i - 1) home and card
                relation, other, card = "spouse", accs[i - 1][2], f"6217{i - 1:015d}"
                details["certificate_number"] = f"鲁2026不动产权第{i - 1:08d}号"
            elif i % 10 == 0:
                details["certificate_number"] = f"鲁2026不动产权第{i:08d}号"
            elif i % 10 == 5:
                details["invoice_number"] = f"FP{i:012d}"
            if i % 1000 in (200, 201, 202):  # three unrelated people sharing one card: a ring
                card = f"6217999{i // 1000:012d}"
            if i % 5000 < 8 and i % 5000 >= 0 and i % 10 not in (0, 1):  # a medical-record ring of eight
                details["medical"] = {"hospital": "示范市人民医院", "record_number": f"MR{i // 5000:06d}"}
            elif i % 7 == 3:
                details["medical"] = {"hospital": "示范市中医院", "record_number": f"MR-{i:09d}"}
            w_rows.append(dict(number=f"TQ{k:012d}"[-20:], account_id=acc_id, branch_id=branch, reason="07",
                               reason_code="07", channel="window", relation=relation, other_id_number=other,
                               payee_name="职工", payee_card=card, details=details, state="paid",
                               submitted_by_id=user, submitted_at=now))
        for k in range(n - n_w):
            i = (k * 7 + 3) % len(accs)
            acc_id, person_id, id_number, _employer = accs[i]
            j = (i + 1) % len(accs)
            fields: dict[str, Any] = dict(
                number=f"DK{k:012d}"[-20:], channel="window", branch_id=branch, borrower_id=person_id,
                account_id=acc_id, household_key=id_number, home_kind="second_hand" if k % 3 else "new",
                home_address=f"示范市幸福路{k}号", price=Decimal("800000.00"), monthly_income=Decimal("12000.00"),
                amount_requested=Decimal("500000.00"), term_months=240, state="rejected", submitted_by_id=user,
                created_at=now, purchase_contract=f"HT{k:010d}",
            )
            if k % 3 == 0:  # a new home: the developer's supervision account — a hub, 1/3 of the loans
                fields["seller_account"] = "37050000000000000001"
            else:
                fields["seller_account"] = f"6228{k:015d}"
                # The home a seller once withdrew for (a certificate of i % 10 == 0 people) sold on.
                fields["certificate_number"] = f"鲁2026不动产权第{(j // 10) * 10:08d}号"
            l_rows.append(fields)
        t_build = time.perf_counter() - t0
        t1 = time.perf_counter()
        copy_model(c, Withdrawal, w_rows)
        copy_model(c, LoanApplication, l_rows)
        for table in ("withdrawals_withdrawal", "loans_loanapplication"):
            c.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")
        t_copy = time.perf_counter() - t1
    with connection.cursor() as c:
        for table in ("people_person", "withdrawals_withdrawal", "loans_loanapplication"):
            c.execute(f"ANALYZE {table}")
    print(f"applications: {n_w:,} withdrawals, {n - n_w:,} loan applications of {len(accs):,} people; "
          f"rows built in {t_build:.1f} s, COPY {t_copy:.1f} s (not counted)")


def main(n: int) -> None:
    import os

    if os.environ.get("BENCH_REUSE") == "1":  # the applications of an earlier run, its rings forgotten
        import django

        django.setup()
        from django.db import connection

        from fund.policy.services import policy_defaults_seed

        policy_defaults_seed()  # a policy added since the database was built
        with connection.cursor() as c:
            c.execute("TRUNCATE risk_ringlink, risk_ringmember, risk_ring, risk_linkgraphrun")
    else:
        build(n)  # bench/accounts.py sets the fresh database up
    from django.db import connection

    from risk.models import Ring
    from risk.services.rings import extraction_sql, link_graph_run, link_graph_run_create

    with connection.cursor() as c:
        t0 = time.perf_counter()
        c.execute(f"SELECT count(*) FROM ({extraction_sql()}) keys")
        keys = c.fetchone()[0]
        floor = time.perf_counter() - t0
    on = date.today()
    t1 = time.perf_counter()
    run = link_graph_run(link_graph_run_create(actor=None, business_date=on))
    first = time.perf_counter() - t1
    t2 = time.perf_counter()
    again = link_graph_run(link_graph_run_create(actor=None, business_date=on))
    second = time.perf_counter() - t2
    sizes = sorted(Ring.objects.values_list("applications", flat=True))
    print(f"floor (the extraction SELECT alone, {keys:,} keys): {floor:.2f} s")
    print(f"run: {run.applications:,} applications, {run.shared_keys:,} keys shared by applicants, "
          f"{run.hub_keys} hub keys, {run.components:,} linked groups of applicants, {run.rings:,} rings (sizes {sizes[:1]}…{sizes[-1:]}): {first:.2f} s")
    print(f"the same run again: {again.rings_new} new, {again.rings_closed} closed: {second:.2f} s")
    print(f"link_graph_{n}: {first:.2f} s ({first / floor:.1f} x)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 500_000)
