"""秒批 latency: from a member's submission to the bank payout instruction, for auto-approved withdrawals.

    .venv/bin/python bench/withdrawal_decisions.py [N=200] [CLIENTS=20]

Builds 2(N + CLIENTS) members with a year of deposits and the sandbox records a rent withdrawal (07) reads, then runs
two measurements, each N withdrawals from CLIENTS concurrent clients:

1. Through HTTP: gunicorn, a real Celery worker and Redis are started on this benchmark's own database
   and Redis database; each client POSTs a member's withdrawal to the API with the member's token, waits
   until its payout is sent, and goes on with the next member (a closed loop: at most CLIENTS withdrawals
   in flight). The latency of one withdrawal is from just before its POST to the moment the payout is sent
   to the bank (the payment attempt's `sent_at`).
2. The decision alone: `withdrawal_submit` and `withdrawal_decide` (rules against the sandboxes, the
   verdicts, the ledger posting and the payout instruction), without HTTP or the broker, by CLIENTS
   processes forked from this one, each a closed loop.

The floor, measured in the same run, is what the database needs at least for the same rows of one
withdrawal, from the same number of concurrent connections: one transaction that inserts a withdrawal-,
7 rule-check-, an entry-, 2 line-, a sub-ledger- and a payout-shaped row into bare tables and updates one
balance. Each figure is printed with its ratio to the floor's median; the last line is
`withdrawal_p95_http_<N>: <seconds> s (<ratio> x)`.

Each run starts with a warm-up round of CLIENTS withdrawals that is not counted (services just started open
their connections and fill their caches; the figure is printed apart). Before the results, the CPU spent per
withdrawal during the HTTP run by the web server, the worker (all their processes), PostgreSQL, this script's
clients, and the whole machine. On a shared virtual machine these move between runs too (by a quarter seen
here), so compare changes on several runs.

Django runs without DEBUG unless DJANGO_DEBUG says otherwise. gunicorn runs with the deployment's settings
(`fund/gunicorn.py`: 3 processes × 8 threads); BENCH_WEB_WORKERS / BENCH_WEB_THREADS and
BENCH_WORKER_CONCURRENCY (Celery prefork, default 2, as deployed) change the services' sizes.
"""

from __future__ import annotations

import json
import os
import resource
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta
from pathlib import Path

os.environ.setdefault("DATABASE_NAME", "fund_wd_bench")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:56379/7")  # a Redis database of its own: no stray tasks
# Measured as deployed: without DEBUG (which records and formats every SQL query in every process).
os.environ.setdefault("DJANGO_DEBUG", "0")
PORT = int(os.environ.get("BENCH_WEB_PORT", "8790"))
# Process and thread counts of the services (see the module docstring).
WEB_WORKERS = os.environ.get("BENCH_WEB_WORKERS", "3")
WEB_THREADS = os.environ.get("BENCH_WEB_THREADS", "8")
WORKER_CONCURRENCY = os.environ.get("BENCH_WORKER_CONCURRENCY", "2")
ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv" / "bin"
TOKENS: dict[int, str] = {}  # user id → API key, issued by build()

sys.path.insert(0, str(Path(__file__).resolve().parent))
import accounts as bench_accounts  # noqa: E402  (COPY helpers, the bench unit, Django set up on a fresh database)


def build(n: int) -> list[tuple[int, int]]:
    """2n members with 12 months of deposits (as rows on the opening entry), identities, cards and logins.
    Returns (account id, user id) pairs."""
    bench_accounts.main(3 * n)  # sets Django up on a fresh database and COPYs the accounts in
    from django.conf import settings
    from django.db import connection
    from django.utils import timezone
    from stdnum import luhn

    from deposits.models import MemberAccount
    from fund.integrations.models import SandboxBankAccount, SandboxIdentity, SandboxSocialInsurance
    from fund.people.models import ApiToken, User
    from fund.people.tokens import key_hash

    accounts = list(MemberAccount.objects.select_related("person", "unit__employer")
                    .filter(sub_account__balance__gte=1000).order_by("id")[: 2 * n])  # room for a 1,000 yuan rent
    with connection.cursor() as c:
        c.execute(
            """INSERT INTO deposits_monthlydeposit (account_id, month, unit_amount, member_amount, base, entry_id,
                      created_at)
               SELECT m.id, make_date(2025, g, 1), m.unit_monthly, m.member_monthly, m.base,
                      (SELECT MIN(id) FROM ledger_journalentry), now()
                 FROM deposits_memberaccount m CROSS JOIN generate_series(1, 12) g WHERE m.id = ANY(%s)""",
            [[a.pk for a in accounts]],
        )
    cards = {}
    for i, a in enumerate(accounts):
        body = f"62170099{i:010d}"
        cards[a.pk] = body + luhn.calc_check_digit(body)
    for a in accounts:
        MemberAccount.objects.filter(pk=a.pk).update(bank_card=cards[a.pk])
    SandboxIdentity.objects.bulk_create([
        SandboxIdentity(id_number=a.person.id_number, name=a.person.name, sex=a.person.sex or "1",
                        birth_date=a.person.birth_date or date(1990, 1, 1), hukou_city_code=settings.FUND_CITY_CODE,
                        hukou_city_name="示范市") for a in accounts
    ], ignore_conflicts=True)
    SandboxSocialInsurance.objects.bulk_create([
        SandboxSocialInsurance(id_number=a.person.id_number, months_local=60, employer_credit_code=a.unit.employer.credit_code,
                               employer_name=a.unit.employer.name) for a in accounts
    ], ignore_conflicts=True)
    SandboxBankAccount.objects.bulk_create([
        SandboxBankAccount(account_number=cards[a.pk], name=a.person.name, holder_id=a.person.id_number, bank_name="建设银行")
        for a in accounts
    ])
    users = User.objects.bulk_create([User(username=f"wdbench{a.pk}", person=a.person) for a in accounts])
    TOKENS.update({u.pk: secrets.token_urlsafe(30) for u in users})  # only digests are stored: keep the keys
    expires = timezone.now() + timedelta(days=1)
    ApiToken.objects.bulk_create([ApiToken(user=u, name="bench", key_hash=key_hash(TOKENS[u.pk]), prefix=TOKENS[u.pk][:6],
                                           expires_at=expires) for u in users])
    return [(a.pk, u.pk) for a, u in zip(accounts, users, strict=True)]


def floor(n: int, clients: int) -> list[float]:
    """Per-withdrawal time of the bare rows, from `clients` concurrent connections."""
    import psycopg

    dsn = dict(host=os.environ.get("DATABASE_HOST", "127.0.0.1"), port=os.environ.get("DATABASE_PORT", "55432"),
               user=os.environ.get("DATABASE_USER", "postgres"), dbname=os.environ["DATABASE_NAME"])
    with psycopg.connect(**dsn, autocommit=True) as conn:
        for name in ("w", "r", "e", "l", "s", "p"):
            conn.execute(f"DROP TABLE IF EXISTS floor_{name}")
        conn.execute("CREATE UNLOGGED TABLE floor_w (id bigserial primary key, account bigint, state text, amount numeric(18,2), "
                     "details jsonb, at timestamptz default now())")
        conn.execute("CREATE UNLOGGED TABLE floor_r (id bigserial primary key, w bigint, rule text, passed bool, detail text, "
                     "evidence jsonb)")
        conn.execute("CREATE UNLOGGED TABLE floor_e (id bigserial primary key, number text, at timestamptz default now())")
        conn.execute("CREATE UNLOGGED TABLE floor_l (id bigserial primary key, e bigint, account text, debit numeric, credit numeric)")
        conn.execute("CREATE UNLOGGED TABLE floor_s (id bigserial primary key, e bigint, sub bigint, amount numeric)")
        conn.execute("CREATE UNLOGGED TABLE floor_p (id bigserial primary key, w bigint, reference text, amount numeric)")
        subs = [row[0] for row in conn.execute("SELECT id FROM ledger_subaccount ORDER BY id LIMIT %s", [n]).fetchall()]

    times: list[float] = []
    lock = threading.Lock()

    def one(i: int) -> None:
        sub = subs[i % len(subs)]  # one withdrawal, one member's sub-account, as in the real runs
        with psycopg.connect(**dsn) as conn:
            started = time.perf_counter()
            with conn.transaction():
                w = conn.execute("INSERT INTO floor_w (account, state, amount, details) VALUES (%s, 'approved', 1000, '{}') "
                                 "RETURNING id", [i]).fetchone()[0]
                conn.cursor().executemany("INSERT INTO floor_r (w, rule, passed, detail, evidence) VALUES (%s, %s, true, 'ok', '{}')",
                                          [(w, f"r{k}") for k in range(7)])
                e = conn.execute("INSERT INTO floor_e (number) VALUES (%s) RETURNING id", [f"E{i}"]).fetchone()[0]
                conn.cursor().executemany("INSERT INTO floor_l (e, account, debit, credit) VALUES (%s, %s, %s, %s)",
                                          [(e, "201", 1000, 0), (e, "221", 0, 1000)])
                conn.execute("INSERT INTO floor_s (e, sub, amount) VALUES (%s, %s, -1000)", [e, sub])
                conn.execute("INSERT INTO floor_p (w, reference, amount) VALUES (%s, %s, 1000)", [w, f"P{i}"])
                conn.execute("SELECT balance FROM ledger_subaccount WHERE id = %s FOR UPDATE", [sub])
                conn.execute("UPDATE ledger_subaccount SET balance = balance WHERE id = %s", [sub])
            with lock:
                times.append(time.perf_counter() - started)

    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(one, range(n)))
    with psycopg.connect(**dsn, autocommit=True) as conn:
        for name in ("w", "r", "e", "l", "s", "p"):
            conn.execute(f"DROP TABLE floor_{name}")
    return times


def start_services() -> list[subprocess.Popen]:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="fund.settings.local", CELERY_TASK_ALWAYS_EAGER="false")
    log = open(ROOT / ".local" / "bench_withdrawals_services.log", "w")  # noqa: SIM115
    web = subprocess.Popen([str(VENV / "gunicorn"), "-c", "python:fund.gunicorn", "fund.wsgi", "-b", f"127.0.0.1:{PORT}",
                            "-w", WEB_WORKERS, "--threads", WEB_THREADS], cwd=ROOT, env=env, stdout=log, stderr=log,
                           start_new_session=True)
    worker = subprocess.Popen([str(VENV / "celery"), "-A", "fund", "worker", "-c", WORKER_CONCURRENCY, "-l", "warning", "--without-gossip",
                               "--without-mingle", "-P", "prefork"], cwd=ROOT, env=env, stdout=log, stderr=log,
                              start_new_session=True)
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/", timeout=2)
            break
        except OSError:
            time.sleep(0.3)
    time.sleep(3)  # the worker connects to Redis
    return [web, worker]


def _cpu_of(pids: list[str]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def cpu_seconds(proc: subprocess.Popen) -> float:
    """User + system CPU of a service and every process of its group (gunicorn's and Celery's children)."""
    return _cpu_of(subprocess.run(["pgrep", "-g", str(proc.pid)], capture_output=True, text=True).stdout.split())


def cpu_postgres() -> float:
    """User + system CPU of every PostgreSQL process now running (backends that ended are not counted, so the
    services' connections are read before they stop)."""
    return _cpu_of(subprocess.run(["pgrep", "-x", "postgres"], capture_output=True, text=True).stdout.split())


def _cpu_self() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def cpu_machine() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, all cores."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return (sum(values) - idle) / os.sysconf("SC_CLK_TCK"), sum(values) / os.sysconf("SC_CLK_TCK")


def stop_services(procs: list[subprocess.Popen]) -> None:
    for p in procs:
        os.killpg(p.pid, signal.SIGTERM)
    for p in procs:
        p.wait(timeout=20)


def http_run(pairs: list[tuple[int, int]], clients: int) -> tuple[dict[int, float], dict[int, float], list[str]]:
    """Each of `clients` clients submits one member's rent withdrawal by POST, waits until its payout has been
    sent to the bank (as the member's app would wait, but watching the database so the watching costs the
    server nothing), then submits the next. Returns withdrawal id → wall-clock time just before its POST, withdrawal
id → seconds until the POST was answered, and the refusals."""
    from django.db import connection

    from fund.payments.models import PaymentAttempt as Payout

    tokens = TOKENS
    started: dict[int, float] = {}
    answered: dict[int, float] = {}  # withdrawal id → seconds its POST took to be answered
    errors: list[str] = []
    lock = threading.Lock()
    queue = list(pairs)

    def client() -> None:
        while True:
            with lock:
                if not queue:
                    break
                account_id, user_id = queue.pop()
            body = json.dumps({"account": account_id, "reason": "07", "amount": "1000.00"}).encode()
            request = urllib.request.Request(
                f"http://127.0.0.1:{PORT}/api/withdrawals/", data=body, method="POST",
                headers={"Content-Type": "application/json", "Authorization": f"Token {tokens[user_id]}",
                         "Idempotency-Key": uuid.uuid4().hex},
            )
            t0 = time.time()
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    withdrawal_id = json.loads(response.read())["id"]
            except Exception as exc:  # noqa: BLE001  (reported, not hidden)
                detail = exc.read().decode(errors="replace") if hasattr(exc, "read") else str(exc)
                with lock:
                    errors.append(detail[:300])
                continue
            sent = threading.Event()
            with lock:
                started[withdrawal_id] = t0
                answered[withdrawal_id] = time.time() - t0
                waiting[withdrawal_id] = sent
            sent.wait(60)

    def watcher() -> None:
        """Looks every 200 ms, in one query for all clients, for payouts sent: each client learns of its own
        within 0–200 ms, as an app polling every 200 ms would, without 20 clients' queries on the database."""
        while not done.is_set():
            with lock:
                ids = list(waiting)
            if ids:
                found = set(Payout.objects.filter(payment__purpose="withdrawals.payout", payment__subject_id__in=ids,
                                                  sent_at__isnull=False).values_list("payment__subject_id", flat=True))
                with lock:
                    for withdrawal_id in found:
                        waiting.pop(withdrawal_id).set()
            time.sleep(0.2)
        connection.close()

    waiting: dict[int, threading.Event] = {}
    done = threading.Event()
    watching = threading.Thread(target=watcher)
    watching.start()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    done.set()
    watching.join()
    return started, answered, errors


def wait_sent(ids: list[int], timeout: float = 120) -> dict[int, datetime]:
    from fund.payments.models import PaymentAttempt as Payout

    deadline = time.time() + timeout
    while time.time() < deadline:
        rows = dict(Payout.objects.filter(payment__purpose="withdrawals.payout", payment__subject_id__in=ids,
                                          sent_at__isnull=False).values_list("payment__subject_id", "sent_at"))
        if len(rows) == len(ids):
            return rows
        time.sleep(0.5)
    return rows


def _decide_share(share: list[tuple[int, int]]) -> list[float]:
    """One client of the in-process run, in a process of its own: submit and decide each member's rent
    withdrawal in turn (a closed loop); the first is a warm-up (the process's first connection and queries)
    and is not timed."""
    from django.db import connection, transaction

    from deposits.models import MemberAccount
    from fund.people.models import User
    from withdrawals.services import withdrawal_submit
    from withdrawals.services.decision import withdrawal_decide

    times: list[float] = []
    for k, (account_id, user_id) in enumerate(share):
        account = MemberAccount.objects.get(pk=account_id)
        user = User.objects.get(pk=user_id)
        started = time.perf_counter()
        with transaction.atomic():
            w = withdrawal_submit(actor=user, account=account, reason="07", channel="api", amount="1000.00",
                                  client_token=uuid.uuid4().hex)
        w = withdrawal_decide(withdrawal_id=w.pk)
        elapsed = time.perf_counter() - started
        assert w.state == "approved", (w.state, w.decision_note)
        if k:
            times.append(elapsed)
    connection.close()
    return times


def in_process_run(pairs: list[tuple[int, int]], clients: int) -> list[float]:
    """submit + decide without HTTP or the broker, the payout task not sent (the payout instruction row is the
    end): `clients` processes forked from this one, as Celery forks its pool, each a closed loop over its share
    of the members (processes, not threads: 20 threads of one process would queue on its interpreter lock,
    which the system never does). `pairs` holds one warm-up member per client before the measured ones."""
    import multiprocessing

    from django.db import connections

    from withdrawals import tasks

    class Quiet:
        @staticmethod
        def delay(*args: object) -> None:
            return None

    tasks.withdrawal_decide_task.delay = Quiet.delay  # decided in the measured span, by the same process
    tasks.payout_send_task.delay = Quiet.delay  # the payout row is the instruction; the bank call is not ours
    connections.close_all()  # each process opens its own
    shares = [pairs[i::clients] for i in range(clients)]
    with multiprocessing.get_context("fork").Pool(clients) as pool:
        return [t for share in pool.map(_decide_share, shares, chunksize=1) for t in share]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main(n: int, clients: int) -> None:
    pairs = build(n + clients)  # 2(n + clients) members: a warm-up round and n measured, for each of the two runs
    from django.db import connection

    from withdrawals.models import Withdrawal

    http_pairs, process_pairs = pairs[: n + clients], pairs[n + clients:]
    connection.close()
    floor_times = floor(n, clients)
    f50 = statistics.median(floor_times)
    print(f"floor (bare rows of one withdrawal, {clients} connections): median {f50 * 1000:.1f} ms, "
          f"p95 {pct(floor_times, 0.95) * 1000:.1f} ms")

    decision = in_process_run(process_pairs, clients)
    d50, d95 = statistics.median(decision), pct(decision, 0.95)
    print(f"decision_median_{n}: {d50:.3f} s ({d50 / f50:.1f} x)")
    print(f"decision_p95_{n}: {d95:.3f} s ({d95 / f50:.1f} x)")

    procs = start_services()
    try:
        # A warm-up round, not counted: the services' first requests open their connections and fill their
        # caches, as they do once after a restart (shown below, apart).
        cold_started, cold_answered, _ = http_run(http_pairs[:clients], clients)
        cold_sent = wait_sent(list(cold_started))
        cpu_before = [cpu_seconds(p) for p in procs] + [cpu_postgres(), _cpu_self()]
        machine_before = cpu_machine()
        started, answered, errors = http_run(http_pairs[clients:], clients)
        sent = wait_sent(list(started))
        cpu_after = [cpu_seconds(p) for p in procs] + [cpu_postgres(), _cpu_self()]
        machine_after = cpu_machine()
        cpu_used = [after - before for after, before in zip(cpu_after, cpu_before, strict=True)]
    finally:
        stop_services(procs)
    latencies = [sent[i].timestamp() - t0 for i, t0 in started.items() if i in sent]
    states = dict(Withdrawal.objects.filter(pk__in=list(started)).values_list("pk", "state"))
    paid = sum(1 for s in states.values() if s == "paid")
    print(f"submitted {len(started)}/{n} over HTTP, payout sent for {len(latencies)}, paid {paid}"
          + (f"; {len(errors)} refused, e.g. {errors[0]}" if errors else ""))
    done = max(len(latencies), 1)
    busy, total = (after - before for after, before in zip(machine_after, machine_before, strict=True))
    print(f"CPU per withdrawal over HTTP: web {cpu_used[0] / done * 1000:.1f} ms, worker {cpu_used[1] / done * 1000:.1f} ms, "
          f"PostgreSQL {cpu_used[2] / done * 1000:.1f} ms, the clients {cpu_used[3] / done * 1000:.1f} ms; the machine "
          f"{busy / done * 1000:.1f} ms, busy {busy / max(total, 1e-9):.0%} of {os.cpu_count()} cores "
          f"(gunicorn -w {WEB_WORKERS} --threads {WEB_THREADS}, celery -c {WORKER_CONCURRENCY})")
    cold = [cold_sent[i].timestamp() - t0 for i, t0 in cold_started.items() if i in cold_sent]
    if cold:
        print(f"  warm-up round ({clients} at once on services just started; not counted): median "
              f"{statistics.median(cold):.3f} s, POST answered in {statistics.median(cold_answered.values()):.3f} s")
    print(f"  POST answered in: median {statistics.median(answered.values()):.3f} s, "
          f"p95 {pct(list(answered.values()), 0.95):.3f} s")
    h50, h95 = statistics.median(latencies), pct(latencies, 0.95)
    print(f"withdrawal_median_http_{n}: {h50:.3f} s ({h50 / f50:.1f} x)")
    print(f"withdrawal_p95_http_{n}: {h95:.3f} s ({h95 / f50:.1f} x)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200, int(sys.argv[2]) if len(sys.argv) > 2 else 20)
