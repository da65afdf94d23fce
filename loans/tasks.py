"""Celery tasks of the loans line. Each is safe to run again: moves are compare-and-set under the liquidity lock
and the bank pays a reference once."""

from celery import shared_task


@shared_task(name="loans.disbursement_queue_drain", ignore_result=True, acks_late=True)
def disbursement_queue_drain_task() -> int:
    """轮候: pay the queued disbursements in order of approval as money arrives."""
    from .services.disbursement import disbursement_queue_drain

    return disbursement_queue_drain()
