"""Annual interest settlement (年终结息), SPEC §2.1.

1.5 % a year (policy `deposit_interest_rate` in force on 30 June), for 1 July – 30 June, by the accumulation
method: Σ of each day's end-of-day balance × rate ÷ 360, the total half up to the fen; of it, the 上年结转
part is that part's own 积数 rounded the same way and the 当年归集 part the rest (`interest_parts`). The ledger keeps the 积数 on every account as it changes (fund.ledger SubAccount), so the
settlement is a few set-based statements per chunk of 50 000 accounts (`interest_settle_set`), each chunk
one transaction with its own idempotency key that also moves the run's cursor: a crashed run resumes where
it stopped and a rerun posts nothing new.

A worker works on a run in slices of about a minute (`interest_run_slice`), each queueing the next, so no
task outlives the broker's visibility timeout; every chunk touches the run's heartbeat, and a run that is
still going but has not moved for a few minutes (its worker died) is queued again by the core's beat job
(fund.batches; `interest_runs_stalled`, `interest_run_requeue`). Two workers on one run take turns: a chunk
holds the run's row, and a worker that finds it held leaves the run to the one holding it.

Years are settled in order: the ledger keeps the figures of one ended year per account, and settling a year
clears whatever an account still holds of earlier ones, so a year cannot start while an earlier year's
interest is still owed to some account (`interest_year_owed_before`).
"""

import time
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F, Q, Sum
from django.utils import timezone

from fund.audit.services import audit_log
from fund.ledger import chart
from fund.ledger.models import Account, BusinessType, SubAccount, SubLedgerRow
from fund.ledger.services import accumulation_through, interest_settle_set
from fund.money import ZERO, to_fen
from fund.people.models import Post
from fund.people.roles import roles_of
from fund.policy.selectors import policy_value

from ..models import InterestRun, InterestRunState

CHUNK_SIZE = 50_000
SLICE_SECONDS = 60  # one task's share of a run; far inside the broker's visibility timeout
LIVE_STATES = (InterestRunState.PENDING, InterestRunState.RUNNING)


class RunBusy(Exception):
    """Another process holds the run (it is settling a chunk): this one leaves the run to it."""


def interest_period(year: int) -> tuple[date, date]:
    """The interest year settled on 30 June of `year`: 1 July of the year before to that 30 June."""
    return date(year - 1, 7, 1), date(year, 6, 30)


def interest_rate(on: date) -> Decimal:
    return Decimal(policy_value("deposit_interest_rate", on))


def interest_can_start(user: Any) -> bool:
    """Settlement is the centre's books: centre-wide staff of 财务 or a director start it."""
    roles = roles_of(user)
    return bool(
        roles.staff is not None and roles.staff.centre_wide and (roles.has_post(Post.FINANCE) or roles.has_post(Post.DIRECTOR))
    )


def _reference(year: int) -> str:
    return f"interest:{year}"


# Per interest year before %(end_before)s: how many member accounts still hold 积数 of it that no settlement
# has credited. An account holds an ended year's figures as its closed period (closed_period_end, when it
# has been posted to since), or as its running period when nothing has been posted since that year ended
# (accumulated_to in it, with a balance or 积数). Accounts without money in those years owe nothing.
_OWED_YEARS = """
SELECT year, COUNT(*) FROM (
    SELECT LEAST(
               CASE WHEN closed_period_end < %(end)s AND closed_accumulation > 0
                    THEN EXTRACT(YEAR FROM closed_period_end)::int END,
               CASE WHEN accumulated_to <= %(end_before)s AND (balance > 0 OR accumulation > 0)
                    THEN EXTRACT(YEAR FROM accumulated_to)::int
                         + CASE WHEN EXTRACT(MONTH FROM accumulated_to) >= 7 THEN 1 ELSE 0 END END
           ) AS year
      FROM ledger_subaccount
     WHERE control_id = %(control)s
       AND ((closed_period_end < %(end)s AND closed_accumulation > 0)
            OR (accumulated_to <= %(end_before)s AND (balance > 0 OR accumulation > 0)))
) owed
GROUP BY year ORDER BY year
"""


@dataclass(frozen=True)
class OwedYear:
    """An interest year before the one asked for whose interest some accounts have not been credited."""

    year: int
    accounts: int
    run: InterestRun | None

    @property
    def message(self) -> str:
        if self.run is not None:
            return (f"{self.year}年度结息尚未完成（{self.run.get_state_display()}），还有 {self.accounts} 个账户未结该年度"
                    f"利息；请先完成{self.year}年度结息")
        return (f"{self.year}年度尚未结息，有 {self.accounts} 个账户的该年度利息未结；请先结{self.year}年度利息"
                f"（各年度须依次结息，否则该年度利息将丢失）")


def interest_year_owed_before(year: int) -> OwedYear | None:
    """The earliest year before `year` whose interest some member account is still owed, or None.

    Settling `year` first would drop those figures (see the module's note), so `interest_run_start` refuses.
    A year whose run is already done is not named (its run cannot settle anything more); the first year the
    system runs, with no money in earlier years, owes nothing."""
    _, period_end = interest_period(year)
    control = Account.objects.get(code=chart.MEMBER_DEPOSITS)
    with connection.cursor() as cursor:
        cursor.execute(_OWED_YEARS, {"end": period_end, "end_before": interest_period(year - 1)[1],
                                     "control": control.pk})
        owed = cursor.fetchall()
    runs = {r.year: r for r in InterestRun.objects.filter(year__in=[y for y, _ in owed])}
    for owed_year, accounts in owed:
        run = runs.get(owed_year)
        if run is None or run.state != InterestRunState.DONE:
            return OwedYear(owed_year, accounts, run)
    return None


def interest_year_to_settle(last_ended: int) -> int:
    """The year the settlement page offers: the earliest still owed, else the last ended one."""
    owed = interest_year_owed_before(last_ended)
    return owed.year if owed is not None else last_ended


def interest_run_start(*, year: int, actor: Any, today: date | None = None) -> InterestRun:
    """Start (or resume) the settlement of `year`. One run per year: starting a year that has a run queues
    it again only if it has not finished (to resume after a failure), and never posts anything twice."""
    today = today or timezone.localdate()
    period_start, period_end = interest_period(year)
    if year < 2000 or period_end >= today:
        raise ValidationError({"year": [f"{year}年度计息期（至{period_end:%Y年%m月%d日}）尚未结束，不能结息"]})
    later = InterestRun.objects.filter(year__gt=year).order_by("year").first()
    if later is not None and not InterestRun.objects.filter(year=year).exists():
        raise ValidationError({"year": [f"已开始{later.year}年度结息，不能再结以前年度"]})
    if not InterestRun.objects.filter(year=year).exists() and (owed := interest_year_owed_before(year)) is not None:
        raise ValidationError({"year": [f"不能开始{year}年度结息：{owed.message}"]})
    with transaction.atomic(durable=True):
        control = Account.objects.get(code=chart.MEMBER_DEPOSITS)
        run, created = InterestRun.objects.get_or_create(
            year=year,
            defaults=dict(
                period_start=period_start, period_end=period_end, started_by=actor if getattr(actor, "pk", None) else None,
                started_at=timezone.now(), heartbeat_at=timezone.now(),
                total_accounts=SubAccount.objects.filter(control=control).count(),
            ),
        )
        if created:
            audit_log(actor=actor, action="deposits.interest.started", target=run,
                      new={"year": year, "period_start": period_start, "period_end": period_end,
                           "accounts": run.total_accounts})
        elif run.state != InterestRunState.DONE:
            InterestRun.objects.filter(pk=run.pk).update(heartbeat_at=timezone.now())
            audit_log(actor=actor, action="deposits.interest.resumed", target=run,
                      new={"state": run.state, "processed": run.processed_accounts})
        if run.state != InterestRunState.DONE:
            from ..tasks.interest import settle_interest

            transaction.on_commit(lambda: settle_interest.delay(run.pk), robust=True)
    return run


def interest_run_chunk(*, run_id: int, chunk_size: int | None = None) -> bool:
    """Settle the next chunk of accounts of a run in one transaction; False when none is left (run done)."""
    with transaction.atomic():
        run = InterestRun.objects.select_for_update(skip_locked=True).filter(pk=run_id).first()
        if run is None:
            if not InterestRun.objects.filter(pk=run_id).exists():
                raise InterestRun.DoesNotExist(run_id)
            raise RunBusy(run_id)
        if run.state == InterestRunState.DONE:
            return False
        done = interest_settle_set(
            control_code=chart.MEMBER_DEPOSITS, period_start=run.period_start, period_end=run.period_end,
            rate=interest_rate(run.period_end), expense_code=chart.INTEREST_EXPENSE,
            key_prefix=f"deposits.interest:{run.year}", reference=_reference(run.year),
            after_id=run.last_sub_account_id, limit=chunk_size or CHUNK_SIZE, actor=run.started_by,
            memo=f"{run.year}年度结息", summary=f"{run.year}年度结息",
        )
        if done.last_id is None:
            processed = run.processed_accounts
            moved = InterestRun.objects.filter(pk=run.pk).exclude(state=InterestRunState.DONE).update(
                state=InterestRunState.DONE, finished_at=timezone.now(), heartbeat_at=timezone.now(), error="",
                total_accounts=max(run.total_accounts, processed),
            )
            if moved:
                audit_log(actor=run.started_by, action="deposits.interest.done", target=run,
                          old={"state": run.state},
                          new={"state": InterestRunState.DONE, "accounts": processed,
                               "interest": run.total_interest})
            return False
        InterestRun.objects.filter(pk=run.pk).update(
            state=InterestRunState.RUNNING, last_sub_account_id=done.last_id, heartbeat_at=timezone.now(),
            processed_accounts=F("processed_accounts") + done.accounts,
            total_interest=F("total_interest") + done.interest,
        )
        return True


def _process(*, run_id: int, chunk_size: int | None, max_chunks: int | None, seconds: float | None) -> bool:
    """Chunks until the run is done or a limit is reached; True if another process held the run."""
    with transaction.atomic():
        # Not waiting on a row another worker holds for its chunk: that worker is on the run already.
        run = InterestRun.objects.select_for_update(skip_locked=True).filter(pk=run_id).first()
        if run is None:
            if not InterestRun.objects.filter(pk=run_id).exists():
                raise InterestRun.DoesNotExist(run_id)
            return True
        if run.state == InterestRunState.DONE:
            return False
        InterestRun.objects.filter(pk=run_id).update(
            state=InterestRunState.RUNNING, error="", heartbeat_at=timezone.now()
        )
    deadline = None if seconds is None else time.monotonic() + seconds
    chunks = 0
    try:
        while (max_chunks is None or chunks < max_chunks) and (deadline is None or time.monotonic() < deadline):
            if not interest_run_chunk(run_id=run_id, chunk_size=chunk_size):
                break
            chunks += 1
    except RunBusy:
        return True
    except Exception as exc:
        InterestRun.objects.filter(pk=run_id).update(state=InterestRunState.FAILED, error=str(exc)[:2000])
        raise
    return False


def interest_run_process(*, run_id: int, chunk_size: int | None = None, max_chunks: int | None = None) -> InterestRun:
    """Work through a run chunk by chunk. A failure marks the run 失败 and leaves the committed chunks in
    place; starting the year again resumes from the cursor."""
    _process(run_id=run_id, chunk_size=chunk_size, max_chunks=max_chunks, seconds=None)
    return InterestRun.objects.get(pk=run_id)


def interest_run_slice(*, run_id: int, seconds: float | None = None) -> bool:
    """One task's share of a run (the Celery task's body): chunks for about SLICE_SECONDS. True when the run
    has more to do and this worker should queue the next slice; False when it is done, failed, or held by
    another worker (which goes on with it)."""
    busy = _process(run_id=run_id, chunk_size=None, max_chunks=None, seconds=seconds or SLICE_SECONDS)
    return not busy and InterestRun.objects.filter(pk=run_id, state=InterestRunState.RUNNING).exists()


def _stalled(cutoff: datetime) -> Q:
    return Q(state__in=LIVE_STATES) & (Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True))


def interest_runs_stalled(cutoff: datetime) -> list[int]:
    """Runs queued or going whose heartbeat is older than `cutoff`: their task was lost with a worker."""
    return list(InterestRun.objects.filter(_stalled(cutoff)).order_by("year").values_list("pk", flat=True))


def interest_run_requeue(run_id: int, cutoff: datetime) -> bool:
    """Queue a stalled run again (fund.batches' beat job). False if it moved meanwhile or a worker holds it;
    the heartbeat is touched, so the run is not queued again for another few minutes."""
    with transaction.atomic():
        run = InterestRun.objects.select_for_update(skip_locked=True).filter(_stalled(cutoff), pk=run_id).first()
        if run is None:
            return False
        InterestRun.objects.filter(pk=run.pk).update(heartbeat_at=timezone.now())
        audit_log(actor=None, action="deposits.interest.requeued", target=run,
                  old={"heartbeat_at": run.heartbeat_at},
                  new={"state": run.state, "processed": run.processed_accounts})
        from ..tasks.interest import settle_interest

        transaction.on_commit(lambda: settle_interest.delay(run.pk), robust=True)
    return True


@dataclass(frozen=True)
class InterestTotals:
    current: Decimal
    prior: Decimal
    rows: int

    @property
    def total(self) -> Decimal:
        return self.current + self.prior


def interest_run_totals(run: InterestRun) -> InterestTotals:
    """The interest a run credited, by part, from its sub-ledger rows."""
    sums = SubLedgerRow.objects.filter(
        entry__business_type=BusinessType.GJ_INTEREST, entry__reference=_reference(run.year)
    ).aggregate(cur=Sum("current_year_amount"), pri=Sum("prior_year_amount"), n=Sum(1))
    return InterestTotals(sums["cur"] or ZERO, sums["pri"] or ZERO, sums["n"] or 0)


def interest_parts(total: Decimal, prior: Decimal, rate: Decimal) -> tuple[Decimal, Decimal]:
    """(当年, 上年) interest on a period's 积数 `total`, of which `prior` is 上年结转's: the total is rounded
    half up to the fen (SPEC §2.1), 上年 is its own 积数 rounded, 当年 the rest — so they add up to the
    rounded total, as the settlement in fund.ledger computes them."""
    whole = to_fen(max(total, ZERO) * rate / 360)
    carried = min(whole, to_fen(max(prior, ZERO) * rate / 360))
    return whole - carried, carried


def interest_to_date(sub_account: SubAccount, day: date) -> tuple[Decimal, Decimal]:
    """(当年, 上年) interest earned and not yet settled, through `day` inclusive — what a closing withdrawal
    pays with the balance. A closed period not yet settled counts at its own rate; each period's interest
    is rounded half up to the fen (`interest_parts`). Pure: nothing is posted."""
    current = prior = ZERO
    for period in accumulation_through(sub_account, day):
        cur, pri = interest_parts(period.total, period.prior, interest_rate(min(period.period_end, day)))
        current += cur
        prior += pri
    return current, prior
