"""The annual interest settlement, run by a worker: chunk by chunk, resumable (deposits.services.interest)."""

from celery import shared_task

from ..services.interest import interest_run_process


@shared_task(name="deposits.settle_interest", acks_late=True)
def settle_interest(run_id: int) -> None:
    interest_run_process(run_id=run_id)
