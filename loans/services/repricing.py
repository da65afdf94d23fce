"""The yearly schedule and re-pricing on 1 January (SPEC §2.3: existing loans re-price on 1 January after a
rate change).

`repricing_run(year)` brings every active loan's stored schedule into `year`:

- **roll**: the instalments due in `year` are stored, continuing the loan's current segment from its last stored
  instalment (`segment_walk` from the next number with that instalment's scheduled balance);
- **re-price**: when the policy rate in force on 1 January of `year` for the loan's band (first/second home,
  term ≤ 5 / > 5 years as contracted: `loans.services.rates`) differs from the current segment's rate, a new
  segment (reason 利率调整) starts at the first instalment due on or after 1 January, from the scheduled balance
  before it, over the remaining instalments, at the new rate (`segment_new`: the term is kept, the instalment
  changes). Stored open instalments from that number on (a December loan stored January's) become 已调整 and
  stay beside the old segment as history. The first instalment of a loan disbursed in December is counted by
  days from the disbursement at the new rate, as every instalment due in the new year is at the new rate.

Idempotent: what a loan needs is read from what is stored (its last stored instalment, its current segment's
rate), so a second run for the same year finds every loan rolled and at the new rate, and stores nothing.

Set-based: loans are read in slices of `SLICE` in one query each (with their last stored instalment); what each
needs and a new segment's payment are decided in Python with `loans.schedule`, the segments are written with COPY,
and the instalments are walked and inserted by one statement per slice (`schedule_sql`, the same arithmetic to
the fen: the walk in Python and its COPY text were half the run at 200,000 loans); the loans are re-pointed by
one UPDATE per slice. Each slice is its own transaction with its loans locked (a repayment or prepayment at the same moment
waits for it, and finds the new schedule), so a run that stops is resumed by running it again. `WORKERS` slices
are written at a time, each on its own connection (one run at a time: a session advisory lock for the run). Borrowers of
re-priced loans are texted after each slice commits, by one task per slice (`fund.people.tasks.send_sms_many`).
"""

from __future__ import annotations

import functools
import io
import threading
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from fund.bulk import bulk_settings, copy_text
from fund.money import format_money

from ..models import HomeOrder, LoanStatus, SegmentReason
from ..schedule import Instalment as Planned
from ..schedule import Segment, segment_new, segment_walk
from .rates import FIVE_YEARS, loan_rate, rate_policy_name
from .schedule_sql import Walk, walks_store

SLICE = 5000
# Slices written side by side, each by its own connection: the run is the database's work (the walk, the
# inserts, their indexes and key checks at commit), and one backend uses one core.
WORKERS = 2
LOCK = "loans.repricing"

# One row per loan: the loan, its band, its current segment, the borrower's phone, its last stored instalment,
# the last stored one due before 1 January, and the stored ones due on or after it (the first, and the last with
# anything paid: a re-pricing starts after it). One aggregate pass over the slice's recent instalments rather
# than three index probes per loan (a third of the run's time at 200,000 loans): along the schedule in force the
# planned balance after an instalment never grows with its number (see loans/selectors/reconcile.py), so the
# last instalment's balance_after is the smallest. Stored instalments reach 31 December of the year before at
# least, so those due in the last 400 days hold every figure wanted.
_READ = """
SELECT l.id, l.contract_number, l.term_months, l.disbursed_on, a.home_order, p.phone,
       s.id, s.balance, s.rate, s.method, s.first_number, s.last_number, s.first_due, s.day, s.payment,
       s.first_interest,
       g.last_number, g.last_balance, g.prior_number, g.prior_balance, g.later_first, g.later_paid
  FROM loans_loan l
  JOIN loans_schedulesegment s ON s.id = l.segment_id
  JOIN loans_loanapplication a ON a.id = l.application_id
  JOIN people_person p ON p.id = l.borrower_id
  LEFT JOIN (
       SELECT i.loan_id, max(i.number) AS last_number, min(i.balance_after) AS last_balance,
              max(i.number) FILTER (WHERE i.due_on < %(jan1)s) AS prior_number,
              min(i.balance_after) FILTER (WHERE i.due_on < %(jan1)s) AS prior_balance,
              min(i.number) FILTER (WHERE i.due_on >= %(jan1)s) AS later_first,
              max(i.number) FILTER (WHERE i.due_on >= %(jan1)s
                                      AND (i.principal_paid > 0 OR i.interest_paid > 0 OR i.state = 'paid'))
                AS later_paid
         FROM loans_instalment i
        WHERE i.loan_id = ANY(%(ids)s) AND i.state <> 'superseded'
          AND i.due_on >= %(jan1)s::date - 400
        GROUP BY i.loan_id) g ON g.loan_id = l.id
 WHERE l.id = ANY(%(ids)s)
 ORDER BY l.id
"""

_SEGMENT_COLUMNS = ("id", "loan_id", "reason", "effective_on", "balance", "rate", "method", "first_number",
                    "last_number", "first_due", "day", "payment", "first_interest", "created_at")


@dataclass(frozen=True)
class Repriced:
    loan_id: int
    contract_number: str
    phone: str
    old_rate: Decimal
    segment: Segment
    first: Planned  # the new segment's first instalment (for the text); the database walks the rest
    supersede_from: int  # stored open instalments numbered from here become 已调整
    supersedes: bool = False  # whether any are stored (a December loan's January instalment)


@dataclass
class Work:
    """One slice's writes: instalments continuing current segments, and new segments with theirs."""

    rolled: list[Walk]  # current segments continued from the last stored instalment
    repriced: list[Repriced]


def band_rates(on: date) -> dict[str, Decimal]:
    """The rate of each band (policy name → percent) in force on `on`."""
    rates = {}
    for order in (HomeOrder.FIRST, HomeOrder.SECOND):
        for term in (FIVE_YEARS, FIVE_YEARS + 1):
            rates[rate_policy_name(home_order=order, term_months=term)] = loan_rate(home_order=order,
                                                                                    term_months=term, on=on)
    return rates


def plan_loan(row: tuple[Any, ...], *, jan1: date, dec31: date, rates: dict[str, Decimal]) -> Repriced | Walk | None:
    """What one loan needs for the year: a re-pricing, a roll (the walk that stores its instalments), or nothing.
    The instalments themselves are computed by the database (`schedule_sql`), to the fen as `segment_walk`."""
    (loan_id, contract_number, term_months, disbursed_on, home_order, phone,
     segment_id, s_balance, s_rate, s_method, s_first, s_last, s_first_due, s_day, s_payment, s_first_interest,
     last_number, last_balance, prior_number, prior_balance, later_first, later_paid) = row
    if last_number is None:
        return None
    current = Segment(balance=s_balance, rate=s_rate, method=s_method, first_number=s_first, last_number=s_last,
                      first_due=s_first_due, day=s_day, payment=s_payment, first_interest=s_first_interest)
    rate = rates[rate_policy_name(home_order=home_order, term_months=term_months)]
    if rate == current.rate:
        # segment_walk's own test for a first instalment to store: within the segment, owing, due by 31 December
        start = last_number + 1
        if last_balance <= 0 or start > current.last_number or current.due_on(start) > dec31:
            return None
        return Walk(loan_id=loan_id, segment_id=segment_id, segment=current, start=start, balance=last_balance,
                    through=dec31, at_least_one=False)
    # The first instalment the new rate applies to, and the scheduled balance before it.
    if later_paid is not None:
        start, balance = later_paid + 1, None  # paid ahead into the new year: re-price after what was paid
    elif later_first is not None:
        start, balance = later_first, prior_balance if prior_number is not None else None
    else:
        start, balance = last_number + 1, last_balance
    if balance is None:
        if start == current.first_number:
            balance = current.balance
        else:
            balance = _balance_before(loan_id, start)
    if balance is None or balance <= 0 or start > current.last_number:
        return None
    first_due = current.due_on(start)
    segment = segment_new(balance=balance, rate=rate, method=current.method, first_number=start,
                          last_number=current.last_number, first_due=first_due, day=current.day,
                          interest_from=disbursed_on if start == 1 else None)
    first = segment_walk(segment, through=segment.first_due)[0]
    return Repriced(loan_id=loan_id, contract_number=contract_number, phone=phone or "", old_rate=current.rate,
                    segment=segment, first=first, supersede_from=start, supersedes=last_number >= start)


def _balance_before(loan_id: int, number: int) -> Decimal | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT balance_after FROM loans_instalment WHERE loan_id = %s AND number = %s "
                       "AND state <> 'superseded'", [loan_id, number - 1])
        found = cursor.fetchone()
    return found[0] if found else None


def _tsv(values: tuple[Any, ...]) -> str:
    return "\t".join("\\N" if v is None else str(v) for v in values) + "\n"


def work_write(work: Work, *, jan1: date, dec31: date) -> int:
    """Write one slice (inside its transaction, loans locked): supersede, segments, instalments, loans.
    Returns the number of instalments stored."""
    walks = list(work.rolled)
    with connection.cursor() as cursor:
        if work.repriced:
            cursor.execute("SELECT nextval(pg_get_serial_sequence('loans_schedulesegment', 'id')) "
                           "FROM generate_series(1, %s)", [len(work.repriced)])
            ids = [r[0] for r in cursor.fetchall()]
            cursor.execute("CREATE TEMP TABLE IF NOT EXISTS loans_repricing_tmp "
                           "(loan_id bigint, segment_id bigint, first_number int, rate numeric, maturity date,"
                           " supersedes boolean) ON COMMIT DROP")
            cursor.execute("TRUNCATE loans_repricing_tmp")
            tmp = io.StringIO()
            segments = io.StringIO()
            now = timezone.now()
            for segment_id, r in zip(ids, work.repriced, strict=True):
                s = r.segment
                tmp.write(_tsv((r.loan_id, segment_id, r.supersede_from, s.rate, s.due_on(s.last_number),
                                "t" if r.supersedes else "f")))
                segments.write(_tsv((segment_id, r.loan_id, SegmentReason.REPRICED.value, jan1, s.balance, s.rate,
                                     s.method, s.first_number, s.last_number, s.first_due, s.day, s.payment,
                                     s.first_interest, now)))
                # planned_rows': the year's instalments, and at least the first
                walks.append(Walk(loan_id=r.loan_id, segment_id=segment_id, segment=s, start=s.first_number,
                                  balance=s.balance, through=dec31, at_least_one=True))
            copy_text(cursor, "loans_repricing_tmp", ("loan_id", "segment_id", "first_number", "rate", "maturity",
                                                      "supersedes"), tmp.getvalue())
            # Without statistics the planner takes the slice for a handful of rows or for the whole table and
            # scans every instalment once per slice; analysed, it probes each loan's instalments by index.
            cursor.execute("ANALYZE loans_repricing_tmp")
            # The replaced instalments first: one current instalment per number (a partial unique index). Only
            # for the loans that have any (the read says so): over all of the slice's loans the planner hashes
            # the whole instalment table, 1-2 s a slice for nothing when no loan has the new year stored.
            if any(r.supersedes for r in work.repriced):
                cursor.execute("""
                    UPDATE loans_instalment i SET state = 'superseded'
                      FROM loans_repricing_tmp t
                     WHERE t.supersedes AND i.loan_id = t.loan_id AND i.number >= t.first_number
                       AND i.state IN ('pending', 'overdue')
                """)
            copy_text(cursor, "loans_schedulesegment", _SEGMENT_COLUMNS, segments.getvalue())
            cursor.execute("""
                UPDATE loans_loan l SET segment_id = t.segment_id, rate = t.rate, maturity_on = t.maturity
                  FROM loans_repricing_tmp t WHERE l.id = t.loan_id
            """)
        return walks_store(cursor, walks)


def repricing_text(r: Repriced) -> str:
    first = r.first
    return (f"【{settings.FUND_CENTRE_NAME}】您的住房公积金贷款（合同 {r.contract_number}）自{first.due_on.year}年1月1日起"
            f"执行新利率 {r.segment.rate}%（原 {r.old_rate}%），{first.due_on:%Y年%m月%d日}起月还款额"
            f"{format_money(first.payment)}元，详见个人网厅还款计划。")


def active_loan_ids() -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM loans_loan WHERE status = %s AND segment_id IS NOT NULL ORDER BY id",
                       [LoanStatus.ACTIVE.value])
        return [r[0] for r in cursor.fetchall()]


def _texts_after_commit(messages: list[tuple[str, str]]) -> None:
    from fund.people.tasks import send_sms_many

    transaction.on_commit(lambda: send_sms_many.delay(messages), robust=True)


def _slice_run(piece: list[int], *, jan1: date, dec31: date, rates: dict[str, Decimal]) -> dict[str, int]:
    """One slice in its own transaction, its loans locked: read, decide, write; texts after the commit."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            # The slice's statements join temporary tables the planner sizes by guesses (the walk's
            # recursion most of all): without JIT off it compiles them, for no gain. The walk's rows (12 a
            # loan) are sorted by loan and number before the insert, so each loan's instalments sit together:
            # a few megabytes, sorted in memory rather than on disk.
            bulk_settings(cursor)
            # The loans locked against a repayment or prepayment writing their schedule.
            cursor.execute("SELECT id FROM loans_loan WHERE id = ANY(%s) AND status = %s ORDER BY id FOR UPDATE",
                           [piece, LoanStatus.ACTIVE.value])
            cursor.execute(_READ, {"jan1": jan1, "ids": piece})
            rows = cursor.fetchall()
        work = Work(rolled=[], repriced=[])
        for row in rows:
            planned = plan_loan(row, jan1=jan1, dec31=dec31, rates=rates)
            if isinstance(planned, Repriced):
                work.repriced.append(planned)
            elif planned is not None:
                work.rolled.append(planned)
        stored = work_write(work, jan1=jan1, dec31=dec31)
        messages = [(r.phone, repricing_text(r)) for r in work.repriced if r.phone]
        if messages:
            _texts_after_commit(messages)
    return {"rolled": len(work.rolled), "repriced": len(work.repriced), "instalments": stored}


def _slices_in_parallel(slices: list[list[int]], run: Any) -> list[dict[str, int]]:
    """Run the slices on WORKERS threads, each with its own database connection (closed when it is done): the
    work is the database's, one backend per core. The first failure stops the others after their slice."""
    from django.db import connections

    queue = list(reversed(slices))
    guard = threading.Lock()
    results: list[dict[str, int]] = []
    failures: list[BaseException] = []

    def worker() -> None:
        try:
            while True:
                with guard:
                    if failures or not queue:
                        return
                    piece = queue.pop()
                counts = run(piece)
                with guard:
                    results.append(counts)
        except BaseException as exc:  # handed to the caller below
            with guard:
                failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, name=f"repricing-{n}") for n in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
    return results


def repricing_run(year: int, *, on: date | None = None) -> dict[str, int]:
    """Store every active loan's instalments of `year`, re-pricing where the rate changed. `on` is the day the
    new schedule takes effect (1 January of `year`). Returns the counts the close shows: loans rolled (stored
    the year's instalments on their schedule), loans re-priced, instalments stored."""
    jan1 = on or date(year, 1, 1)
    dec31 = date(year, 12, 31)
    rates = band_rates(jan1)
    ids = active_loan_ids()
    slices = [ids[start:start + SLICE] for start in range(0, len(ids), SLICE)]
    run = functools.partial(_slice_run, jan1=jan1, dec31=dec31, rates=rates)
    with connection.cursor() as cursor:
        # One run at a time (for the whole run, on this connection, whichever connections do the slices).
        cursor.execute("SELECT pg_advisory_lock(hashtext(%s))", [LOCK])
    try:
        # Slices are independent (their own loans, transactions and texts), so they run side by side; inside a
        # caller's transaction (tests) other connections would not see its rows, so there they run in turn.
        if WORKERS > 1 and len(slices) > 1 and not connection.in_atomic_block:
            results = _slices_in_parallel(slices, run)
        else:
            results = [run(piece) for piece in slices]
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(hashtext(%s))", [LOCK])
    return {key: sum(r[key] for r in results) for key in ("rolled", "repriced", "instalments")}


def year_roll_step(business_date: date) -> dict[str, int]:
    """Close step `loans.year_roll`: on 1 January, the year's instalments (and the re-pricing), before the same
    close's debit step collects those due that day; nothing on any other date."""
    if (business_date.month, business_date.day) != (1, 1):
        return {}
    return repricing_run(business_date.year, on=business_date)
