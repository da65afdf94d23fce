"""Celery tasks of the withdrawals line. Each is safe to run again: the services it calls move states by
compare-and-set and the bank pays a reference once."""

from celery import shared_task


@shared_task(name="withdrawals.decide", ignore_result=True, acks_late=True)
def withdrawal_decide_task(withdrawal_id: int) -> str:
    """Decide and, when approved, send the payout; an attempt the bank did not answer goes to the payments task."""
    from fund.payments.tasks import payment_send_task

    from .services.payout import withdrawal_decide_and_send

    withdrawal, unsent = withdrawal_decide_and_send(withdrawal_id=withdrawal_id)
    for attempt_id in unsent:
        payment_send_task.apply_async(args=[attempt_id], countdown=30)
    return withdrawal.state


@shared_task(name="withdrawals.standing_run", ignore_result=True)
def standing_run_task() -> dict:
    from .services.standing import standing_run

    return standing_run()


@shared_task(name="withdrawals.decide_stale", ignore_result=True)
def decide_stale_task() -> int:
    from .services.decision import decisions_stale

    stale = decisions_stale()
    for withdrawal_id in stale:
        withdrawal_decide_task.delay(withdrawal_id)
    return len(stale)
