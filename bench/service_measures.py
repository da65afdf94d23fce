"""服务效能 over a year of N (1,000,000) applications in the register, against a GROUP BY floor over the same rows.

    DATABASE_NAME=fund_bench_measures .venv/bin/python bench/service_measures.py [N=1000000]
    BENCH_REUSE=1 ...                     # again over the rows an earlier run built

Builds N rows of fund.tracking's Application by COPY (a fresh database of its own): submitted through 2025 in
Shanghai time, 3 branches, 24 catalogue items, the online share rising month by month from 31 % to 94 % (Linyi),
秒批 for a third of the online ones, window applications mostly finished on the spot, visits and pages of paper
falling through the year (Jining's 136 → 24 pages, Zhuzhou's five trips → one), 90 % finished, 5 % refused.

The floor, measured in the same run: `SELECT count(*) … GROUP BY item, branch, month` over the year's rows (the
month in Shanghai time, as the figures take it). The figure: `fund.measures.selectors.measures_report` for the
year as the centre-wide director sees it — every figure by item × branch × month, by month, by item, by branch
and overall, in one query, plus the registered sources (risk's overdue rate, 12 monthly reads). Each is run
twice and the second (warm cache) time printed; target ≤ 10 s. The last line is
`service_measures_<N>: <seconds> s (<ratio> x)`.
"""

from __future__ import annotations

import io
import os
import random
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

os.environ.setdefault("DATABASE_NAME", "fund_bench_measures")
os.environ.setdefault("DJANGO_DEBUG", "0")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import _setup  # noqa: E402

SHANGHAI = ZoneInfo("Asia/Shanghai")
YEAR = 2025
ITEMS = [f"GJ-{i:02d}" for i in range(1, 9)] + [f"TQ-{i:02d}" for i in range(1, 13)] + ["DK-01", "DK-02", "ZH-01",
                                                                                        "ZH-02"]
FLOOR_SQL = """
SELECT item_code, branch_id, date_trunc('month', submitted_at AT TIME ZONE 'Asia/Shanghai') AS month, count(*)
  FROM tracking_application
 WHERE submitted_at >= %(since)s AND submitted_at < %(until)s
 GROUP BY 1, 2, 3
"""


def build(n: int) -> None:
    """N applications of YEAR by COPY, the columns the register's rows carry."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction

    from fund.people.models import Branch, Post
    from fund.people.services import staff_create

    branches = [Branch.objects.create(code=f"0{i}", name=name, address=name, phone="12329")
                for i, name in enumerate(("市直管理部", "高新区管理部", "北湖管理部"), start=1)]
    staff_create(actor=None, username="director", name="主任", branch=branches[0],
                 posts=[Post.DIRECTOR, Post.APPROVE], employee_number="G0001", password="Bench@2026fund",
                 centre_wide=True)
    subject_type = ContentType.objects.get_for_model(Branch).pk
    rng = random.Random(2025)
    start = datetime(YEAR, 1, 1, tzinfo=SHANGHAI)
    seconds = (datetime(YEAR + 1, 1, 1, tzinfo=SHANGHAI) - start).total_seconds()
    t0 = time.perf_counter()
    buffer = io.StringIO()
    for i in range(n):
        submitted = start + timedelta(seconds=int(seconds * i / n))  # spread evenly over the year, in order
        month = submitted.month
        online_share = 0.31 + (0.94 - 0.31) * (month - 1) / 11
        channel = "window"
        roll = rng.random()
        if roll < online_share:
            channel = "cross_province" if roll < 0.02 else "online"
        instant = channel != "window" and rng.random() < 0.35
        on_the_spot = channel == "window" and rng.random() < 0.8
        visits = 0 if channel != "window" else (1 if on_the_spot else rng.choice((1, 2, 2, 3)))
        pages = rng.randint(0, 2) if channel != "window" else max(1, int(rng.gauss(30 - 2 * month, 6)))
        outcome = "done" if roll < 0.9 or rng.random() < 0.9 else rng.choice(("refused", "open"))
        accepted = submitted + timedelta(minutes=0 if channel == "window" else rng.randint(5, 2000))
        took = 0.5 if instant else rng.expovariate(1 / (15 if on_the_spot else 2400))
        finished = accepted + timedelta(minutes=took) if outcome != "open" else None
        branch = branches[i % 3].pk
        buffer.write("\t".join((
            f"BJ{submitted:%Y%m%d}{i:08d}", "bench", ITEMS[(i * 7 + i // 3) % len(ITEMS)], "基准测试办件",
            str(subject_type), str(i + 1), "", str(branch), "\\N", "\\N", "", channel, "t" if instant else "f",
            submitted.isoformat(), accepted.isoformat(), finished.isoformat() if finished else "\\N", outcome,
            outcome, outcome, "\\N", submitted.isoformat(), "\\N", str(visits), str(pages), "t" if on_the_spot else "f",
            "0", submitted.isoformat(),
        )) + "\n")
    t_build = time.perf_counter() - t0
    columns = ("number, kind, item_code, title, subject_type_id, subject_id, source_number, branch_id, person_id, "
               "employer_id, lookup_suffix, channel, instant, submitted_at, accepted_at, finished_at, outcome, "
               "step_code, step_label, step_deadline, step_since, handled_by_id, visits, pages, on_the_spot, "
               "returns, updated_at")
    t1 = time.perf_counter()
    buffer.seek(0)
    with transaction.atomic(), connection.cursor() as c, c.copy(f"COPY tracking_application ({columns}) FROM STDIN") as cp:
        while chunk := buffer.read(1 << 20):
            cp.write(chunk)
    with connection.cursor() as c:
        c.execute("VACUUM ANALYZE tracking_application")
    print(f"applications: {n:,} of {YEAR} built in {t_build:.1f} s, COPY and ANALYZE {time.perf_counter() - t1:.1f} s "
          "(not counted)")


def timed(fn) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    """The second of two runs (the first warms the cache the same way for the floor and the figure)."""
    fn()
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def main(n: int) -> None:
    if os.environ.get("BENCH_REUSE") == "1":
        import django

        django.setup()
    else:
        _setup.setup()
        build(n)
    from django.db import connection

    from fund.measures.selectors import measures_report
    from fund.people.models import User

    since, until = datetime(YEAR, 1, 1, tzinfo=SHANGHAI), datetime(YEAR + 1, 1, 1, tzinfo=SHANGHAI)

    def floor_query() -> int:
        with connection.cursor() as c:
            c.execute(FLOOR_SQL, {"since": since, "until": until})
            return len(c.fetchall())

    floor, groups = timed(floor_query)
    print(f"floor (SELECT count(*) … GROUP BY item, branch, month over the year, {groups} groups): {floor:.2f} s")
    director = User.objects.get(username="director")
    figure, report = timed(lambda: measures_report(user=director, start=date(YEAR, 1, 1), end=date(YEAR, 12, 1)))
    o = report.overall  # type: ignore[attr-defined]
    print(f"figures: {o.applications:,} applications, {len(report.rows):,} item × branch × month rows, "  # type: ignore[attr-defined]
          f"网办率 {report.months[0].figures.online_rate} → {report.months[-1].figures.online_rate}, "  # type: ignore[attr-defined]
          f"median 受理→办结 {o.median_minutes} min: {figure:.2f} s")
    print(f"service_measures_{n}: {figure:.2f} s ({figure / floor:.1f} x)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
