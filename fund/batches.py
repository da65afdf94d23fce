"""Resumable batches, and the beat job that restarts those a lost worker left standing.

A batch that runs as a chain of worker tasks (the annual interest settlement; a loans line's nightly close
later) keeps its progress in a run row that it touches as it goes (a heartbeat). When the worker running it
dies, the broker gives the task back only after its visibility timeout, or never if the message was lost; so
every minute `batches_resume_stalled` asks each registered batch for its runs that are still going but have
not moved for FUND_BATCH_STALLED_MINUTES, and has each queued again. Resuming must be harmless if the run
is in fact still going (each batch already proves a rerun posts nothing twice).

A business line registers its batch in its AppConfig.ready() (fund never imports a business line):

    register_batch("deposits.interest", stalled=interest_runs_stalled, resume=interest_run_requeue)
"""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

logger = logging.getLogger(__name__)

# The runs still going that have not moved since the cutoff (ids, or whatever `resume` takes).
StalledFinder = Callable[[datetime], Iterable[Any]]
# Queue one run again; returns False when it was no longer stalled (another process moved it meanwhile).
Resumer = Callable[[Any, datetime], bool]


@dataclass(frozen=True)
class Batch:
    name: str
    stalled: StalledFinder
    resume: Resumer


_BATCHES: dict[str, Batch] = {}


def register_batch(name: str, *, stalled: StalledFinder, resume: Resumer) -> None:
    """Register (or replace, so a reloaded app registers once) the finder and resumer of one batch."""
    _BATCHES[name] = Batch(name=name, stalled=stalled, resume=resume)


def registered_batches() -> list[str]:
    return sorted(_BATCHES)


def batches_resume_stalled(*, now: datetime | None = None, minutes: int | None = None) -> dict[str, int]:
    """Queue again every registered batch's runs that have not moved for `minutes`; how many, by batch.

    One batch's error is logged and does not keep the others from being resumed."""
    minutes = settings.FUND_BATCH_STALLED_MINUTES if minutes is None else minutes
    cutoff = (now or timezone.now()) - timedelta(minutes=minutes)
    resumed: dict[str, int] = {}
    for batch in _BATCHES.values():
        count = 0
        try:
            for run in batch.stalled(cutoff):
                if batch.resume(run, cutoff):
                    logger.warning("batch %s: run %s had not moved since %s; queued again", batch.name, run, cutoff)
                    count += 1
        except Exception:
            logger.exception("batch %s: resuming stalled runs failed", batch.name)
        resumed[batch.name] = count
    return resumed
