"""Celery tasks of the people app. They take plain values and call one outside system."""

import logging

from celery import Task, shared_task

from fund.integrations.base import IntegrationError, Unavailable

logger = logging.getLogger(__name__)


@shared_task(bind=True, name="people.send_sms", max_retries=5, ignore_result=True, acks_late=True)
def send_sms(self: Task, phone: str, text: str) -> str:
    """Send one text message. Retried with backoff while the gateway is unavailable; any other refusal (or the
    last retry) is logged and swallowed: the person asked for a code and may simply ask again.

    The text is never logged: it may carry a one-time code.
    """
    from fund.integrations import sms_gateway

    try:
        return sms_gateway().send(phone=phone, text=text).message_id
    except Unavailable as exc:
        if self.request.retries >= self.max_retries:
            logger.error("sms to %s not sent after %s retries: %s (call %s)", _masked(phone), self.request.retries,
                         exc.message, exc.call_id)
            return ""
        raise self.retry(exc=exc, countdown=min(5 * 2**self.request.retries, 300)) from exc
    except IntegrationError as exc:
        logger.warning("sms to %s refused: %s (call %s)", _masked(phone), exc.message, exc.call_id)
        return ""


def _masked(phone: str) -> str:
    return f"{phone[:3]}****{phone[-4:]}" if len(phone) >= 7 else "****"


@shared_task(name="people.prune_sign_in_records", ignore_result=True)
def prune_sign_in_records(days: int = 180) -> int:
    """Sign-in attempts and reset requests are kept half a year (for audit), then removed."""
    from datetime import timedelta

    from django.utils import timezone

    from .models import LoginAttempt, PasswordResetRequest

    cutoff = timezone.now() - timedelta(days=days)
    removed, _ = LoginAttempt.objects.filter(at__lt=cutoff).delete()
    removed_requests, _ = PasswordResetRequest.objects.filter(at__lt=cutoff).delete()
    return removed + removed_requests


@shared_task(bind=True, name="people.send_sms_many", max_retries=5, ignore_result=True, acks_late=True)
def send_sms_many(self: Task, messages: list[list[str]]) -> int:
    """Send a chunk of texts ([phone, text] pairs): a batch's notices (due-date reminders, re-pricing) go as one
    task per chunk, not one per person. While the gateway is unavailable the chunk is retried with backoff from
    the first text not yet sent (those sent are not sent again); a text the gateway refuses (a bad number) is
    logged and skipped. Returns how many were sent. The texts are never logged."""
    from fund.integrations import sms_gateway

    gateway = sms_gateway()
    sent = 0
    for index, (phone, text) in enumerate(messages):
        try:
            gateway.send(phone=phone, text=text)
            sent += 1
        except Unavailable as exc:
            if self.request.retries >= self.max_retries:
                logger.error("%s texts not sent after %s retries: %s", len(messages) - index, self.request.retries,
                             exc.message)
                return sent
            rest = [list(m) for m in messages[index:]]
            raise self.retry(args=[rest], exc=exc, countdown=min(5 * 2**self.request.retries, 300)) from exc
        except IntegrationError as exc:
            logger.warning("a text to %s was refused: %s (call %s)", _masked(phone), exc.message, exc.call_id)
    return sent
