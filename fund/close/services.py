"""Running the nightly close (日终) of a business date: each registered step once, in order, resumable.

    close_run(date(2027, 1, 4), actor=director)       # that date, if it is the next to close
    close_catch_up(today=date(2027, 1, 4))           # every date not closed yet up to that day, in order

One close at a time: the runner holds a PostgreSQL advisory lock (session-level, so it is released when the
worker's connection dies with it) for as long as it works, and a second caller (another worker, the beat's copy,
a director's button) returns at once without running anything. Under the lock every step-run found 执行中 was
left so by a lost worker, and runs again.

The steps run outside any transaction the runner holds: each manages its own transactions and may call outside
systems (the bank), which `fund.integrations` refuses inside one. The runner's own writes (run and step rows,
status moves) are short transactions of their own between the steps.

Dates close in order and never twice: a run is created only for the date after the last one done (or for the
first date ever), a done run is final, and a failed one is run again from its failed step — its done steps are
not run again. A date after today is refused.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from fund.audit.services import audit_log
from fund.transactions import in_business_transaction
from fund.workflow.moves import move_status

from .models import CloseRun, CloseRunState, CloseStepRun, CloseStepState
from .registry import CloseStep, close_steps
from .selectors import close_date_due, close_date_next, close_start_date
from .states import RUN_MOVES

logger = logging.getLogger(__name__)

LOCK_NAME = "fund.close"


class CloseInTransaction(RuntimeError):
    """The close was called inside a business transaction: its steps would run inside it (a bug)."""


@contextmanager
def close_lock() -> Iterator[bool]:
    """Hold the close's advisory lock while the block runs; yields False (and holds nothing) when another
    session has it. Re-entrant within one session, as PostgreSQL's session locks are."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(hashtext(%s))", [LOCK_NAME])
        held = bool(cursor.fetchone()[0])
    try:
        yield held
    finally:
        if held:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(hashtext(%s))", [LOCK_NAME])


def close_lock_held() -> bool:
    """True while this session holds the close's lock. A step that closed the connection (or a connection that
    broke and came back) lost it with the old session: the close must not go on unlocked."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted"
            " AND objsubid = 1 AND classid = ((k >> 32) & 4294967295)::oid AND objid = (k & 4294967295)::oid)"
            " FROM (SELECT hashtext(%s)::bigint AS k) AS lock", [LOCK_NAME])
        return bool(cursor.fetchone()[0])


def close_lock_free() -> bool:
    """True when no session is running a close (the lock could be taken; it is given back at once)."""
    with close_lock() as held:
        return held


def _refuse_future(day: date, field: str) -> None:
    today = timezone.localdate()
    if day > today:
        raise ValidationError({field: [f"营业日 {day:%Y-%m-%d} 晚于今天（{today:%Y-%m-%d}），不能执行日终"]},
                              code="future")


def _refuse_in_transaction() -> None:
    if in_business_transaction():
        raise CloseInTransaction("the nightly close runs its steps outside any transaction; call it at top level")


def close_run(business_date: date, *, actor: Any = None) -> CloseRun | None:
    """Close `business_date` (or finish its failed or interrupted close) and return its run; a date already
    done returns its run and runs nothing. None when another close holds the lock (nothing was run).

    ValidationError (field `business_date`) for a date after today, or one that is not the next to close."""
    _refuse_in_transaction()
    _refuse_future(business_date, "business_date")
    with close_lock() as held:
        if not held:
            logger.info("close of %s: another close is running; nothing done", business_date)
            return None
        return _close_date(business_date, actor)


def close_catch_up(*, today: date, actor: Any = None, max_dates: int | None = None) -> list[CloseRun]:
    """Close every date not closed yet, from the one after the last done (or FUND_CLOSE_START, or `today`, before
    the first close ever) up to `today` inclusive, each once and in order; stop at the first that fails. At most
    `max_dates` dates (a worker's slice). The runs, in order; [] when nothing was due or another close holds
    the lock. ValidationError (field `today`) when `today` is after the real today."""
    _refuse_in_transaction()
    _refuse_future(today, "today")
    runs: list[CloseRun] = []
    with close_lock() as held:
        if not held:
            logger.info("close catch-up to %s: another close is running; nothing done", today)
            return runs
        day = close_date_next() or close_start_date(today)
        while day <= today and (max_dates is None or len(runs) < max_dates):
            run = _close_date(day, actor)
            runs.append(run)
            if run.state != CloseRunState.DONE:
                break
            day += timedelta(days=1)
    return runs


def close_catch_up_slice(*, through: date | None = None, actor_id: int | None = None) -> bool:
    """One worker task's share of a catch-up (the Celery task's body): the next date not closed, up to
    `through` (default today). True when it was closed and more dates remain (queue the next slice); False
    when all are closed, one failed, or another close holds the lock. A catch-up of many dates thus never holds
    one delivery past the broker's visibility timeout."""
    from django.contrib.auth import get_user_model

    through = through or timezone.localdate()
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    runs = close_catch_up(today=through, actor=actor, max_dates=1)
    if not runs or runs[-1].state != CloseRunState.DONE:
        return False
    return runs[-1].business_date < through


def _close_date(business_date: date, actor: Any) -> CloseRun:
    """The close of one date, under the lock."""
    run = _run_open(business_date, actor)
    if run.state == CloseRunState.DONE:
        return run
    steps = close_steps()
    _plan(run, steps)
    for step in steps:
        step_run = CloseStepRun.objects.get(run=run, name=step.name)
        if step_run.state == CloseStepState.DONE:
            continue
        if not _run_step(run, step, step_run):
            return run
    with transaction.atomic():
        now = timezone.now()
        move_status(run, CloseRunState.DONE, table=RUN_MOVES, action="close.run.done", actor=actor,
                    finished_at=now, heartbeat_at=now, error="",
                    note={"business_date": run.business_date, "steps": len(steps)})
    return run


def _run_open(business_date: date, actor: Any) -> CloseRun:
    """The run of `business_date`, created or set going again; a done one as it is."""
    run = CloseRun.objects.filter(business_date=business_date).first()
    if run is not None and run.state == CloseRunState.DONE:
        return run
    expected = close_date_next()
    if expected is not None and business_date != expected:
        raise ValidationError({"business_date": [
            f"日终须按营业日依次执行：下一个应执行的营业日为 {expected:%Y-%m-%d}，不能执行 {business_date:%Y-%m-%d}"
        ]}, code="out_of_order")
    now = timezone.now()
    with transaction.atomic():
        if run is None:
            run = CloseRun.objects.create(business_date=business_date, state=CloseRunState.RUNNING, started_at=now,
                                          heartbeat_at=now, triggered_by=actor if getattr(actor, "pk", None) else None)
            audit_log(actor=actor, action="close.run.started", target=run, new={"business_date": business_date})
        elif run.state == CloseRunState.FAILED:
            move_status(run, CloseRunState.RUNNING, table=RUN_MOVES, action="close.run.resumed", actor=actor,
                        was={"error": run.error}, error="", finished_at=None, heartbeat_at=now)
        else:  # 执行中 with nobody holding the lock: its worker was lost
            CloseRun.objects.filter(pk=run.pk).update(heartbeat_at=now)
            audit_log(actor=actor, action="close.run.resumed", target=run,
                      old={"heartbeat_at": run.heartbeat_at}, new={"state": run.state})
    return run


def _plan(run: CloseRun, steps: list[CloseStep]) -> None:
    """A row per registered step (pending), so the page shows the whole close before it gets there; the
    order is the registry's as it stands (a step added by a release is run in its place)."""
    CloseStepRun.objects.bulk_create(
        [CloseStepRun(run=run, name=s.name, label=s.label, position=n) for n, s in enumerate(steps, start=1)],
        ignore_conflicts=True,
    )
    for n, step in enumerate(steps, start=1):
        CloseStepRun.objects.filter(run=run, name=step.name).exclude(position=n, label=step.label).update(
            position=n, label=step.label)


def _counts(result: Any) -> dict[str, int]:
    if result is None:
        return {}
    if not isinstance(result, Mapping):
        raise TypeError(f"a close step returns a dict of counts, not {type(result).__name__}")
    return {str(key): int(value) for key, value in result.items()}


def _error_text(exc: BaseException) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)[:2000]
    return f"{type(exc).__name__}: {exc}"[:2000]


def _run_step(run: CloseRun, step: CloseStep, step_run: CloseStepRun) -> bool:
    """Run one step outside any transaction; record its counts, or its error and the run's failure. False when
    the close must stop here (the step failed, or the lock was lost to another close)."""
    if not close_lock_held():
        logger.warning("close of %s: the lock was lost before step %s (the connection was closed); stopping, the "
                       "close resumes from this step", run.business_date, step.name)
        return False
    started = timezone.now()
    CloseStepRun.objects.filter(pk=step_run.pk).update(
        state=CloseStepState.RUNNING, started_at=started, finished_at=None, error="", attempts=step_run.attempts + 1)
    CloseRun.objects.filter(pk=run.pk).update(heartbeat_at=started)
    clock = time.monotonic()
    try:
        counts = _counts(step.run(run.business_date))
    except Exception as exc:
        logger.exception("close of %s: step %s failed", run.business_date, step.name)
        now, error = timezone.now(), _error_text(exc)
        CloseStepRun.objects.filter(pk=step_run.pk).update(state=CloseStepState.FAILED, finished_at=now, error=error)
        with transaction.atomic():
            move_status(run, CloseRunState.FAILED, table=RUN_MOVES, action="close.run.failed", actor=None,
                        finished_at=now, heartbeat_at=now, error=f"{step.label}：{error}",
                        note={"step": step.name})
        return False
    now = timezone.now()
    CloseStepRun.objects.filter(pk=step_run.pk).update(state=CloseStepState.DONE, finished_at=now, counts=counts)
    CloseRun.objects.filter(pk=run.pk).update(heartbeat_at=now)
    logger.info("close of %s: step %s done in %.1f s: %s", run.business_date, step.name,
                time.monotonic() - clock, counts)
    return True


def close_catch_up_queue(*, actor: Any, through: date | None = None) -> list[date]:
    """Queue a catch-up through `through` (default: the last date whose close is due, `close_date_due`) for a
    worker; the dates it will close, [] when none is due (nothing queued). ValidationError (field `through`)
    for a date after today."""
    through = through or close_date_due()
    _refuse_future(through, "through")
    from .selectors import close_dates_pending

    dates = close_dates_pending(through)
    if not dates:
        return dates
    with transaction.atomic(durable=True):
        # The audit row's target: the run of the first date when it exists (a failed one), else the last done.
        target = CloseRun.objects.order_by("-business_date").first()
        if target is not None:
            audit_log(actor=actor, action="close.run.queued", target=target,
                      new={"through": through, "dates": len(dates)})
        from .tasks import catch_up

        actor_id = actor.pk if getattr(actor, "pk", None) else None
        transaction.on_commit(lambda: catch_up.delay(through.isoformat(), actor_id), robust=True)
    return dates


def close_runs_stalled(cutoff: datetime) -> list[int]:
    """Runs 执行中 whose heartbeat is older than `cutoff` while no close holds the lock: their worker was lost.
    (A long step holds the lock, so it is not taken for stalled however long it runs.)"""
    stalled = list(CloseRun.objects.filter(state=CloseRunState.RUNNING, heartbeat_at__lt=cutoff)
                   .order_by("business_date").values_list("pk", flat=True))
    if stalled and not close_lock_free():
        return []
    return stalled


def close_run_requeue(run_id: int, cutoff: datetime) -> bool:
    """Queue a stalled run's catch-up again (fund.batches' beat job), compare-and-set on its heartbeat so two
    beats queue it once; False if it moved meanwhile. It goes on through the last date whose close is due."""
    with transaction.atomic():
        run = CloseRun.objects.filter(pk=run_id, state=CloseRunState.RUNNING, heartbeat_at__lt=cutoff).first()
        if run is None or not CloseRun.objects.filter(pk=run.pk, heartbeat_at=run.heartbeat_at).update(
                heartbeat_at=timezone.now()):
            return False
        through = max(run.business_date, close_date_due())
        audit_log(actor=None, action="close.run.requeued", target=run, old={"heartbeat_at": run.heartbeat_at},
                  new={"state": run.state, "through": through})
        from .tasks import catch_up

        transaction.on_commit(lambda: catch_up.delay(through.isoformat(), None), robust=True)
    return True
