"""Celery tasks of the loans line. Each is safe to run again: moves are compare-and-set under the liquidity lock
and the bank pays a reference once."""

import logging

from celery import Task, shared_task

logger = logging.getLogger(__name__)


@shared_task(name="loans.disbursement_queue_drain", ignore_result=True, acks_late=True)
def disbursement_queue_drain_task() -> int:
    """轮候: pay the queued disbursements in order of approval as money arrives."""
    from .services.disbursement import disbursement_queue_drain

    return disbursement_queue_drain()


@shared_task(bind=True, name="loans.reminders_send", max_retries=5, ignore_result=True, acks_late=True)
def reminders_send(self: Task, messages: list[list[str]]) -> int:
    """Send a chunk of the nightly close's due-date texts ([phone, text] pairs). While the gateway is
    unavailable the chunk is retried with backoff from the first text not yet sent (those sent are not sent
    again); a text the gateway refuses (a bad number) is logged and skipped. The texts are never logged."""
    from fund.integrations import sms_gateway
    from fund.integrations.base import IntegrationError, Unavailable

    gateway = sms_gateway()
    for index, (phone, text) in enumerate(messages):
        try:
            gateway.send(phone=phone, text=text)
        except Unavailable as exc:
            if self.request.retries >= self.max_retries:
                logger.error("%s due-date reminders not sent after %s retries: %s", len(messages) - index,
                             self.request.retries, exc.message)
                return index
            raise self.retry(args=[messages[index:]], exc=exc, countdown=min(5 * 2**self.request.retries, 300)) from exc
        except IntegrationError as exc:
            logger.warning("a due-date reminder was refused: %s (call %s)", exc.message, exc.call_id)
    return len(messages)


@shared_task(bind=True, name="loans.repricing_sms", max_retries=5, ignore_result=True, acks_late=True)
def repricing_sms(self: Task, messages: list[list[str]] | list[tuple[str, str]]) -> int:
    """Text the borrowers of one slice of re-priced loans (one task per slice, not per loan). A refused message
    is logged and skipped; while the gateway is down the rest are retried with back-off. Returns how many were
    sent."""
    from fund.integrations import sms_gateway
    from fund.integrations.base import IntegrationError, Unavailable

    sent = 0
    for index, (phone, text) in enumerate(messages):
        try:
            sms_gateway().send(phone=phone, text=text)
            sent += 1
        except Unavailable as exc:
            if self.request.retries >= self.max_retries:
                logger.error("re-pricing texts: %s not sent, the gateway is down: %s", len(messages) - index,
                             exc.message)
                return sent
            rest = [list(m) for m in messages[index:]]
            raise self.retry(args=[rest], exc=exc, countdown=min(5 * 2**self.request.retries, 300)) from exc
        except IntegrationError as exc:
            logger.warning("re-pricing text refused: %s (call %s)", exc.message, exc.call_id)
    return sent


@shared_task(bind=True, name="loans.mortgage_release", max_retries=12, ignore_result=True, acks_late=True)
def mortgage_release_task(self: Task, loan_id: int) -> str:
    """注销抵押 for a paid-off loan. Retried with backoff while the registry is down (each failure is an audit event
    on the loan, visible to staff); a refusal is not retried: staff see it and act."""
    from .services.payoff import ReleaseNotDone, mortgage_release

    try:
        loan = mortgage_release(loan_id)
    except ReleaseNotDone as exc:
        if exc.retry and self.request.retries < self.max_retries:
            raise self.retry(exc=exc, countdown=min(60 * 2**self.request.retries, 3600)) from exc
        return ""
    return loan.release_number
