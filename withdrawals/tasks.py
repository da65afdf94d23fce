"""Celery tasks of the withdrawals line. Each is safe to run again: the services it calls move states by
compare-and-set and the bank pays a reference once."""

from celery import shared_task

from fund.integrations.base import IntegrationError


@shared_task(name="withdrawals.decide", ignore_result=True, acks_late=True)
def withdrawal_decide_task(withdrawal_id: int) -> str:
    """Decide and, when approved, send the payout; a payout the bank did not answer goes to the payout task."""
    from .services.payout import withdrawal_decide_and_send

    withdrawal, unsent = withdrawal_decide_and_send(withdrawal_id=withdrawal_id)
    for payout_id in unsent:
        payout_send_task.apply_async(args=[payout_id], countdown=30)
    return withdrawal.state


@shared_task(bind=True, name="withdrawals.payout_send", ignore_result=True, acks_late=True, max_retries=5)
def payout_send_task(self, payout_id: int) -> str:
    from .services.payout import payout_send

    try:
        return payout_send(payout_id=payout_id).status
    except IntegrationError as exc:  # the bank did not answer: ask again; the reference makes it safe
        raise self.retry(exc=exc, countdown=30) from exc


@shared_task(name="withdrawals.payouts_poll", ignore_result=True)
def payouts_poll_task() -> int:
    from .services.payout import payouts_poll

    return payouts_poll()


@shared_task(name="withdrawals.payouts_retry_due", ignore_result=True)
def payouts_retry_due_task() -> int:
    from .services.payout import payouts_retry_due

    return payouts_retry_due()


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
