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
