"""The nightly close, run by a worker: one business date per task, each queueing the next (fund.close.services)."""

from datetime import date

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from .services import close_catch_up_slice


# Acknowledged late (a lost worker's task comes back) and safe twice: a second copy finds the advisory lock
# held, or the date done, and does nothing. A database briefly away is tried again with back-off, never longer
# than the broker's visibility timeout; a failing step leaves its run 失败 for staff (or the next evening).
@shared_task(name="fund.close.catch_up", acks_late=True, ignore_result=True,
             autoretry_for=(OperationalError, InterfaceError), retry_backoff=30, retry_backoff_max=300, max_retries=10)
def catch_up(through: str | None = None, actor_id: int | None = None) -> None:
    """Beat, every evening at FUND_CLOSE_HOUR (no arguments: through today); or queued by a director. The date
    is fixed by the first slice, so slices running past midnight do not close the new day too."""
    day = date.fromisoformat(through) if through else timezone.localdate()
    if close_catch_up_slice(through=day, actor_id=actor_id):
        catch_up.delay(day.isoformat(), actor_id)
