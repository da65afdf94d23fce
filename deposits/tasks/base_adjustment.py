"""Checking an uploaded base list (调基名单) in a worker; a batch whose worker was lost is queued again by
fund.batches (registered in deposits.apps)."""

from celery import shared_task

from ..services.base_adjustment import base_batch_process


@shared_task(name="deposits.base_batch_check", acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def base_batch_check(batch_id: int) -> str:
    """Read, check and apply (or reject) one batch; running it twice is harmless (see base_batch_process)."""
    return base_batch_process(batch_id=batch_id).state

