"""The annual interest settlement, run by a worker: chunk by chunk, resumable (deposits.services.interest)."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from ..services.interest import interest_run_slice


# A database that is briefly away (restarted, a lock wait timed out) is tried again with back-off, never
# longer than the broker's visibility timeout; any other error leaves the run 失败 for staff to resume.
@shared_task(name="deposits.settle_interest", acks_late=True, autoretry_for=(OperationalError, InterfaceError),
             retry_backoff=30, retry_backoff_max=300, max_retries=10)
def settle_interest(run_id: int) -> None:
    """A slice of the run; the next slice is a new task, so no delivery outlives the visibility timeout."""
    if interest_run_slice(run_id=run_id):
        settle_interest.delay(run_id)
