"""Celery tasks of outgoing payments. Each is safe to run again: the bank pays a reference once and the
answer is applied by compare-and-set."""

from typing import Any

from celery import shared_task

from fund.integrations.base import IntegrationError


@shared_task(bind=True, name="payments.send", ignore_result=True, acks_late=True, max_retries=5)
def payment_send_task(self: Any, attempt_id: int) -> str:
    from .services import attempt_send

    try:
        return attempt_send(attempt_id=attempt_id).status
    except IntegrationError as exc:  # the bank did not answer: ask again; the reference makes it safe
        raise self.retry(exc=exc, countdown=30) from exc


@shared_task(name="payments.poll", ignore_result=True)
def payments_poll_task() -> int:
    from .services import payments_poll

    return payments_poll()


@shared_task(name="payments.retry_due", ignore_result=True)
def payments_retry_due_task() -> int:
    from .services import payments_retry_due

    return payments_retry_due()
