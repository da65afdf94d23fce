"""Electronic audit: the latency screening adds to one withdrawal submission, and the screening task's own time.

    .venv/bin/python bench/screening.py [N=200]

Builds 2N members with a year of deposits (as `withdrawal_decisions.py` does), then submits N rent withdrawals
in process (`withdrawal_submit`, its own transaction, tasks sent to a Redis database of this benchmark's own,
not run), alternating one with risk's audit listener registered and one without, so both halves see the same
machine. What the hook adds to a submission is the on-commit callback and one enqueue of `risk.screen_subject`
(target: median and p95 added ≤ 20 ms); the listener's own time (the enqueue) is timed too, since the
difference of two medians of ~200 ms submissions on a shared machine moves by more than it. Then it runs the screening task's body (`subject_screen_by_label`,
every enabled rule whose check screens withdrawals) on each withdrawal, as the worker would.

The floor, measured in the same run, is one Redis LPUSH of a message of the same size (what an enqueue needs at
least). The last line is `screening_added_p95_<N>: <ms> ms (<ratio> x)`.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

os.environ.setdefault("DATABASE_NAME", "fund_screen_bench")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:56379/9")  # a database of its own: its tasks are purged
os.environ.setdefault("DJANGO_DEBUG", "0")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import withdrawal_decisions as bench_wd  # noqa: E402  (builds the members; sets Django up on a fresh database)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def floor(n: int) -> list[float]:
    import redis
    from django.conf import settings

    client = redis.Redis.from_url(settings.REDIS_URL)
    body = json.dumps({"task": "risk.screen_subject", "args": ["withdrawals.withdrawal", "123456"],
                       "id": str(uuid.uuid4()), "pad": "x" * 900})
    times = []
    for _ in range(n):
        started = time.perf_counter()
        client.lpush("bench.floor", body)
        times.append(time.perf_counter() - started)
    client.delete("bench.floor")
    return times


def main(n: int) -> None:
    pairs = bench_wd.build(n)
    from django.conf import settings
    from django.db import connection

    from deposits.models import MemberAccount
    from fund.audit.listeners import register_audit_listener
    from fund.celery import app as celery_app
    from fund.people.models import User
    from risk.services.screening import (
        SCREENED_ACTIONS,
        rules_sync,
        screening_listener,
        subject_screen_by_label,
    )
    from withdrawals.services import withdrawal_submit

    rules_sync()
    celery_app.conf.task_always_eager = False
    celery_app.conf.broker_url = settings.REDIS_URL
    celery_app._after_fork()

    in_hook: list[float] = []

    def timed_listener(action: str, target_type: str, target_id: str) -> None:
        started = time.perf_counter()
        screening_listener(action, target_type, target_id)
        in_hook.append(time.perf_counter() - started)

    def hook(on: bool) -> None:
        register_audit_listener("risk.screening", SCREENED_ACTIONS if on else (), timed_listener)

    timings: dict[bool, list[float]] = {True: [], False: []}
    made: list[int] = []
    warm = 10
    for k, (account_id, user_id) in enumerate(pairs):
        on = k % 2 == 0
        hook(on)
        account = MemberAccount.objects.select_related("person").get(pk=account_id)
        user = User.objects.get(pk=user_id)
        started = time.perf_counter()
        w = withdrawal_submit(actor=user, account=account, reason="07", channel="api", amount="1000.00",
                              client_token=uuid.uuid4().hex)
        elapsed = time.perf_counter() - started
        made.append(w.pk)
        if k >= warm:
            timings[on].append(elapsed)
    register_audit_listener("risk.screening", SCREENED_ACTIONS, screening_listener)
    celery_app.control.purge()

    screen: list[float] = []
    for pk in made:
        started = time.perf_counter()
        subject_screen_by_label("withdrawals.withdrawal", pk)
        screen.append(time.perf_counter() - started)
    connection.close()

    floor_times = floor(n)
    f50 = statistics.median(floor_times)
    with_, without = timings[True], timings[False]
    added50 = statistics.median(with_) - statistics.median(without)
    added95 = pct(with_, 0.95) - pct(without, 0.95)
    print(f"floor (one Redis LPUSH of a task-sized message): median {f50 * 1000:.2f} ms, p95 {pct(floor_times, 0.95) * 1000:.2f} ms")
    print(f"submission without the hook ({len(without)}): median {statistics.median(without) * 1000:.1f} ms, "
          f"p95 {pct(without, 0.95) * 1000:.1f} ms")
    print(f"submission with the hook ({len(with_)}): median {statistics.median(with_) * 1000:.1f} ms, "
          f"p95 {pct(with_, 0.95) * 1000:.1f} ms")
    print(f"the on-commit listener itself (the enqueue, {len(in_hook)} calls): median {statistics.median(in_hook) * 1000:.2f} ms "
          f"({statistics.median(in_hook) / f50:.1f} x), p95 {pct(in_hook, 0.95) * 1000:.2f} ms ({pct(in_hook, 0.95) / f50:.1f} x)")
    print(f"screen task ({len(screen)} withdrawals): median {statistics.median(screen) * 1000:.1f} ms "
          f"({statistics.median(screen) / f50:.1f} x), p95 {pct(screen, 0.95) * 1000:.1f} ms")
    print(f"screening_added_median_{n}: {added50 * 1000:.2f} ms ({added50 / f50:.1f} x)")
    print(f"screening_added_p95_{n}: {added95 * 1000:.2f} ms ({added95 / f50:.1f} x)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
