"""One second-hand loan at the window in one sitting: the system's time from submission to the money at the seller.

    .venv/bin/python bench/loans_window.py [N=50]

Builds N + 1 borrowers fast (COPY, as bench/accounts.py: a person, a sub-account with a balance, a member account in
a bench unit, 12 months of deposits up to last month), the sandbox records the flow reads (identity, a credit
report with a 24-month repayment history, the seller's home in the registry and the seller's bank account), the
loan staff of the bench branch (受理, 初审, 审批, 委贷管理, 财务), an entrusted bank, and money in the fund's bank
account. Then, for each borrower in turn, with no pause between requests (typing excluded), Django's test client
drives the API as the window's pages would, each request signed in by session as the post that does it:

    POST /api/loans/applications/                         受理 at the window: submitted and accepted on the spot
    POST /api/loans/applications/<id>/decide/             初审 (reviewer)
    POST /api/loans/applications/<id>/decide/             审批 (approver)
    POST /api/loans/applications/<id>/sign/               合同面签 and the mortgage in the same sitting (三融合)
    POST /api/loans/applications/<id>/disbursement-notice/  放款通知 (委贷管理)
    POST /api/loans/disbursements/<id>/release/           放行 (财务): the payment is made; its task runs in-process
                                                          (Celery eager) and the bank's answer is applied

with every Celery task the flow queues (the PDFs: approval opinion, contract, IOU, credit reports, notice; the
payment; the texts) run in-process in the request that queues it. One loan's figure is the wall-clock time of the
six requests. The first borrower is a warm-up (the process's first queries fill caches) and is not counted; its
queries per request are printed.

The floor, measured in the same run, is what the database needs at least for the same rows: every row the flow
inserted for a loan, in every table, copied (COPY) into bare tables of the same columns (no keys, indexes,
constraints or triggers) in one transaction per loan. Each figure is printed with its ratio to the floor's median;
the last line is `loan_window_p95_<N>: <seconds> s (<ratio> x)`. Target: ≤ 5 s per loan in all.
"""

from __future__ import annotations

import io
import os
import statistics
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

os.environ.setdefault("DATABASE_NAME", "fund_loans_bench")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:56379/7")
os.environ.setdefault("DJANGO_DEBUG", "0")  # as deployed: DEBUG records every query
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "true"  # the flow's tasks run in-process, in the request that queues them
os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
# One clerk signs 50 loans in minutes here (three documents each), which the print limits per user would stop.
os.environ["FUND_PRINT_PER_USER_HOUR"] = os.environ["FUND_PRINT_PER_USER_DAY"] = "100000"

sys.path.insert(0, str(Path(__file__).resolve().parent))
import accounts as bench_accounts  # noqa: E402  (COPY helpers, Django set up on a fresh database)

PASSWORD = "Bench@2026loan"
AMOUNT = "150000.00"
STEPS = ["受理", "初审", "审批", "签约+抵押", "放款通知", "放行+付款"]


def build(n: int) -> dict[str, Any]:
    """n borrowers aged 36 with 12 months of deposits, their sandbox records and a seller each, the staff."""
    bench_accounts.main(4 * n)  # balances spread over 250 … 50 250: a quarter of them carry 150 000 (× 15)
    from django.conf import settings
    from django.db import connection
    from django.utils import timezone
    from stdnum import luhn

    from deposits.models import MemberAccount
    from fund.dates import add_months, first_of_month
    from fund.demo import make_id_number
    from fund.integrations.models import (
        LoanKind,
        SandboxBankAccount,
        SandboxCreditLoan,
        SandboxCreditReport,
        SandboxHome,
        SandboxIdentity,
    )
    from fund.ledger import chart
    from fund.ledger.models import BusinessType
    from fund.ledger.services import credit, debit, entry_post
    from fund.people.models import Branch, EntrustedBank, Person, Post
    from fund.people.services import staff_create

    accounts = list(MemberAccount.objects.select_related("person", "sub_account")
                    .filter(sub_account__balance__gte=Decimal("12000")).order_by("id")[:n])
    assert len(accounts) == n, "not enough accounts with a balance for the loan"
    # Borrowers of 36: a valid ID for that birth date, so the age rule allows a 20-year term.
    birth = date(timezone.localdate().year - 36, 3, 7)
    for i, a in enumerate(accounts):
        number = make_id_number(birth=birth, seq=i, male=True)
        Person.objects.filter(pk=a.person_id).update(id_number=number, birth_date=birth, sex="1", name=f"借款人{i}")
    accounts = list(MemberAccount.objects.select_related("person", "unit__employer").filter(pk__in=[a.pk for a in accounts])
                    .order_by("id"))
    last = add_months(first_of_month(timezone.localdate()), -1)
    with connection.cursor() as c:
        c.execute(
            """INSERT INTO deposits_monthlydeposit (account_id, month, unit_amount, member_amount, base, entry_id,
                      created_at)
               SELECT m.id, (%s::date - make_interval(months => g)), m.unit_monthly, m.member_monthly, m.base,
                      (SELECT MIN(id) FROM ledger_journalentry), now()
                 FROM deposits_memberaccount m CROSS JOIN generate_series(0, 11) g WHERE m.id = ANY(%s)""",
            [last, [a.pk for a in accounts]],
        )
        c.execute("UPDATE deposits_memberaccount SET paid_up_to = %s WHERE id = ANY(%s)", [last, [a.pk for a in accounts]])
    SandboxIdentity.objects.bulk_create([
        SandboxIdentity(id_number=a.person.id_number, name=a.person.name, sex="1", birth_date=birth,
                        hukou_city_code=settings.FUND_CITY_CODE, hukou_city_name="示范市") for a in accounts])
    reports = SandboxCreditReport.objects.bulk_create([
        SandboxCreditReport(id_number=a.person.id_number, report_number=f"BR{i:010d}", acceptable=True)
        for i, a in enumerate(accounts)])
    SandboxCreditLoan.objects.bulk_create([
        SandboxCreditLoan(report=r, lender="中国工商银行示范市分行", kind=LoanKind.OTHER, for_housing=False,
                          monthly_instalment=Decimal("900.00"), balance=Decimal("12000.00"),
                          repayment_history="NNNNNNNN1NNNNNNNNNNNNNNN") for r in reports])
    sellers = []
    for i in range(n):
        seller_id = make_id_number(birth=date(1970, 2, 3), seq=500 + i)
        card = f"62170077{i:010d}"
        card += luhn.calc_check_digit(card)
        sellers.append((seller_id, f"鲁(2016)示范市不动产权第{i:07d}号", card))
    SandboxIdentity.objects.bulk_create([
        SandboxIdentity(id_number=s, name=f"售房人{i}", sex="1", birth_date=date(1970, 2, 3),
                        hukou_city_code=settings.FUND_CITY_CODE, hukou_city_name="示范市")
        for i, (s, _, _) in enumerate(sellers)])
    SandboxHome.objects.bulk_create([
        SandboxHome(certificate_number=cert, owner_id_numbers=[s], address=f"示范市太白楼路{i}号", area=Decimal("96.00"),
                    city_code=settings.FUND_CITY_CODE, price=Decimal("400000.00"), registered_on=date(2016, 5, 10))
        for i, (s, cert, _) in enumerate(sellers)])
    SandboxBankAccount.objects.bulk_create([
        SandboxBankAccount(account_number=card, name=f"售房人{i}", holder_id=s, bank_name="中国建设银行")
        for i, (s, _, card) in enumerate(sellers)])
    # The fund's bank account holds enough for every loan (liquidity above the reserve): money received.
    money = Decimal(AMOUNT) * (n + 5)
    entry_post(business_type=BusinessType.GJ_OTHER, reference="bench.money", idempotency_key="bench.money:1",
               value_date=timezone.localdate(), legs=[debit(chart.BANK, money), credit(chart.SUSPENSE, money)],
               memo="基准测试到账")
    branch = Branch.objects.get(code="BX")

    def staff(username: str, posts: list[str]) -> Any:
        return staff_create(actor=None, username=username, name=username, branch=branch, posts=posts,
                            employee_number=username, password=PASSWORD)

    people = {"clerk": staff("bclerk", [Post.ACCEPT]), "reviewer": staff("breview", [Post.REVIEW]),
              "approver": staff("bapprove", [Post.APPROVE]), "loanadmin": staff("bloanadmin", [Post.LOAN_ADMIN]),
              "finance": staff("bfinance", [Post.FINANCE])}
    bank = EntrustedBank.objects.create(code="BENCH01", name="中国建设银行", outlet="示范市分行营业部")
    return {"accounts": accounts, "sellers": sellers, "staff": people, "bank": bank}


def materials() -> list[str]:
    from loans.catalogue import item_for

    return [m.code for m in item_for("second_hand").paper_materials if not m.condition]


def one_loan(clients: dict[str, Any], account: Any, seller: tuple[str, str, str], bank_id: int, i: int,
             times: list[float]) -> int:
    """The six requests of one loan; appends each one's seconds to `times`; returns the application's id."""
    seller_id, certificate, card = seller

    def post(who: str, url: str, body: dict[str, Any] | None = None, code: int = 200) -> dict[str, Any]:
        started = time.perf_counter()
        response = clients[who].post(url, body or {}, format="json")
        times.append(time.perf_counter() - started)
        assert response.status_code == code, (url, response.status_code, response.content[:600])
        return response.json()

    application = post("clerk", "/api/loans/applications/", {
        "account": str(account.pk), "home_kind": "second_hand", "home_address": f"示范市太白楼路{i}号",
        "certificate_number": certificate, "price": "400000.00", "area": "96.00", "building_year": "2012",
        "seller_name": f"售房人{i}", "seller_account": card, "seller_bank": "中国建设银行示范市分行",
        "monthly_income": "15000.00", "amount_requested": AMOUNT, "term_months": "240", "materials": materials(),
    }, code=201)
    pk = application["id"]
    post("reviewer", f"/api/loans/applications/{pk}/decide/", {"approve": True, "opinion": "同意"})
    post("approver", f"/api/loans/applications/{pk}/decide/", {"approve": True, "opinion": "同意"})
    post("clerk", f"/api/loans/applications/{pk}/sign/", {"bank": bank_id, "repayment_day": 20, "and_mortgage": True},
         code=201)
    disbursement = post("loanadmin", f"/api/loans/applications/{pk}/disbursement-notice/", code=201)
    post("finance", f"/api/loans/disbursements/{disbursement['id']}/release/")
    return pk


def inserted_tables() -> list[str]:
    """Tables of the public schema with an integer `id` (every row the flow writes is in one of them)."""
    from django.db import connection

    with connection.cursor() as c:
        c.execute("""SELECT table_name FROM information_schema.columns
                      WHERE table_schema = 'public' AND column_name = 'id' AND data_type IN ('integer', 'bigint')""")
        return sorted(r[0] for r in c.fetchall())


def max_ids(tables: list[str]) -> dict[str, int]:
    from django.db import connection

    with connection.cursor() as c:
        c.execute(" UNION ALL ".join(f"SELECT '{t}', COALESCE(MAX(id), 0) FROM \"{t}\"" for t in tables))
        return dict(c.fetchall())


def rows_between(before: dict[str, int], after: dict[str, int]) -> dict[str, bytes]:
    """The rows a loan inserted, table by table, as COPY text (read outside any timing)."""
    from django.db import connection

    out = {}
    with connection.cursor() as c:
        for table, high in after.items():
            if high > before[table]:
                buffer = io.BytesIO()
                with c.copy(f'COPY (SELECT * FROM "{table}" WHERE id > {before[table]} AND id <= {high}) TO STDOUT') as cp:
                    for chunk in cp:
                        buffer.write(chunk)
                out[table] = buffer.getvalue()
    return out


def floor(per_loan: list[dict[str, bytes]]) -> list[float]:
    """Per loan: COPY of the same rows into bare tables of the same columns, one transaction."""
    from django.db import connection, transaction

    tables = sorted({t for rows in per_loan for t in rows})
    with connection.cursor() as c:
        for t in tables:
            c.execute(f'DROP TABLE IF EXISTS "floor_{t}"')
            # Columns and types only: no keys, NOT NULLs, defaults, indexes, constraints or triggers.
            c.execute(f'CREATE TABLE "floor_{t}" AS SELECT * FROM "{t}" WITH NO DATA')
    times = []
    for rows in per_loan:
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as c:
            for t, data in rows.items():
                with c.copy(f'COPY "floor_{t}" FROM STDIN') as cp:
                    cp.write(data)
        times.append(time.perf_counter() - started)
    with connection.cursor() as c:
        for t in tables:
            c.execute(f'DROP TABLE "floor_{t}"')
    return times


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main(n: int) -> None:
    import logging
    import warnings

    warnings.filterwarnings("ignore", message="No directory at")  # static files are not served here
    logging.getLogger("celery").setLevel(logging.WARNING)  # eager tasks would log every success
    world = build(n + 1)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    from loans.models import LoanApplication

    clients = {}
    for who, user in world["staff"].items():
        clients[who] = APIClient()
        clients[who].force_login(user)  # a session, as the window's browser has
    bank_id = world["bank"].pk
    tables = inserted_tables()

    # Warm-up, not counted: with the queries of each request counted.
    counts = []
    warm: list[float] = []
    original = APIClient.post

    def counted(self: Any, *args: Any, **kwargs: Any) -> Any:
        with CaptureQueriesContext(connection) as queries:
            response = original(self, *args, **kwargs)
        counts.append(len(queries))
        return response

    APIClient.post = counted  # type: ignore[method-assign]
    try:
        one_loan(clients, world["accounts"][0], world["sellers"][0], bank_id, 0, warm)
    finally:
        APIClient.post = original  # type: ignore[method-assign]
    print("warm-up loan (not counted): " + ", ".join(
        f"{step} {t * 1000:.0f} ms / {q} queries" for step, t, q in zip(STEPS, warm, counts, strict=True)))

    totals: list[float] = []
    per_step: list[list[float]] = [[] for _ in STEPS]
    per_loan_rows: list[dict[str, bytes]] = []
    ids = []
    for i in range(1, n + 1):
        before = max_ids(tables)
        times: list[float] = []
        ids.append(one_loan(clients, world["accounts"][i], world["sellers"][i], bank_id, i, times))
        totals.append(sum(times))
        for k, t in enumerate(times):
            per_step[k].append(t)
        per_loan_rows.append(rows_between(before, max_ids(tables)))
    states = set(LoanApplication.objects.filter(pk__in=ids).values_list("state", flat=True))
    assert states == {"disbursed"}, states
    floor_times = floor(per_loan_rows)
    rows = statistics.median(sum(r.count(b"\n") for r in rows.values()) for rows in per_loan_rows)
    f50, f95 = statistics.median(floor_times), pct(floor_times, 0.95)
    print(f"{n} loans disbursed; rows inserted per loan: {rows:.0f} in {statistics.median(len(r) for r in per_loan_rows):.0f} "
          f"tables")
    print(f"floor (COPY of one loan's rows into bare tables, one transaction): median {f50 * 1000:.1f} ms, "
          f"p95 {f95 * 1000:.1f} ms")
    print("per request, median / p95: " + ", ".join(
        f"{step} {statistics.median(ts) * 1000:.0f}/{pct(ts, 0.95) * 1000:.0f} ms" for step, ts in zip(STEPS, per_step,
                                                                                                  strict=True)))
    m50, m95 = statistics.median(totals), pct(totals, 0.95)
    print(f"loan_window_median_{n}: {m50:.3f} s ({m50 / f50:.1f} x)")
    print(f"loan_window_p95_{n}: {m95:.3f} s ({m95 / f50:.1f} x)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50)
