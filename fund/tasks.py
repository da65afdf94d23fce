"""Celery tasks of the core itself (fund.celery discovers this module besides each app's tasks)."""

from celery import shared_task

from .batches import batches_resume_stalled


@shared_task(name="fund.resume_stalled_batches", ignore_result=True)
def resume_stalled_batches() -> dict[str, int]:
    """Beat, every minute: queue again the runs of resumable batches that a lost worker left standing."""
    return batches_resume_stalled()
