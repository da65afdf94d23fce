"""Demo history for 服务效能: a year of past applications in the register, so the dashboard shows its trends the
day the demo loads (the lines' own demo applications add this month's on top).

The rows stand for themselves (kind "demo.history", no applicant, no handler), so no applicant's 我的办件 and
no staff member's assessment lists them; they carry the trends the seeds report: the online share rising from
31 % to 94 % (Linyi), a loan's paper falling from 136 pages to 24 (Jining) and its trips from five to one
(Zhuzhou).
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone

from fund.dates import add_months
from fund.tracking.models import Application
from fund.tracking.services import NUMBER_SEQUENCE

from .selectors import item_name

# item code → (weight, loan-like: many pages and trips, never on the spot; may be decided by 秒批)
ITEMS = {"GJ-02": (20, False, False), "GJ-04": (10, False, False), "GJ-06": (3, False, False),
         "TQ-01": (8, False, False), "TQ-03": (8, False, True), "TQ-06": (15, False, True), "TQ-07": (20, False, True),
         "ZH-01": (8, False, True), "DK-01": (5, True, False), "DK-02": (5, True, False)}
PER_MONTH = 220


def seed(ctx: Any) -> None:
    # A generator of its own: drawing from ctx.rng would shift every later app's demo (the withdrawals' amounts
    # are drawn after this, against balances drawn before).
    rng, today = random.Random(20261203), ctx.today
    branches = [b.pk for b in ctx.branches]
    codes = [code for code, (weight, _, _) in ITEMS.items() for _ in range(weight)]
    zone = timezone.get_current_timezone()
    first = add_months(today.replace(day=1), -12)
    rows = []
    for m in range(12):  # the twelve months before this one
        month = add_months(first, m)
        progress = m / 11
        online_share = 0.31 + (0.94 - 0.31) * progress
        for _ in range(PER_MONTH + rng.randint(-30, 30)):
            code = rng.choice(codes)
            _, loan, instant_item = ITEMS[code]
            day = month + timedelta(days=rng.randrange(28))
            submitted = datetime.combine(day, time(rng.randint(8, 16), rng.randrange(60)), tzinfo=zone)
            online = rng.random() < online_share
            instant = online and instant_item and rng.random() < 0.6
            if loan:
                pages = 0 if online else max(1, round(136 - (136 - 24) * progress + rng.gauss(0, 8)))
                visits = max(1 if not online else 0, round(5 - 4 * progress + rng.gauss(0, 0.5)))
            else:
                pages = 0 if online else rng.randint(2, 8 - round(4 * progress))
                visits = 0 if online else rng.choice((1, 1, 1, 2))
            spot = not online and not loan and rng.random() < 0.7 + 0.2 * progress
            accepted = submitted + timedelta(minutes=0 if not online else rng.randint(10, 600))
            took = (1 if instant else rng.randint(8, 40) if spot
                    else rng.randint(60 * 24, 60 * 24 * (12 if loan else 4)))
            roll = rng.random()
            outcome = "refused" if roll < 0.05 else "done"
            finished = accepted + timedelta(minutes=took)
            rows.append(dict(item_code=code, title=f"{item_name(code)}（演示历史办件）", branch_id=rng.choice(branches),
                             channel=("cross_province" if rng.random() < 0.03 else "online") if online else "window",
                             instant=instant, submitted_at=submitted, accepted_at=accepted, finished_at=finished,
                             outcome=outcome, step_code=outcome, step_label="已办结" if outcome == "done" else "不予办理",
                             step_since=finished, visits=visits, pages=pages, on_the_spot=spot))
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(%s) FROM generate_series(1, %s)", [NUMBER_SEQUENCE, len(rows)])
        numbers = [n for (n,) in cursor.fetchall()]
    subject_type = ContentType.objects.get_for_model(Application)
    Application.objects.bulk_create([
        Application(number=f"BJ{timezone.localtime(r['submitted_at']):%Y%m%d}{n:08d}", kind="demo.history",
                    subject_type=subject_type, subject_id=n, **r)
        for n, r in zip(numbers, rows, strict=True)
    ], batch_size=1000)
