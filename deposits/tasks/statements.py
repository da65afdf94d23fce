"""Arrears reminders: the beat task queues one task per unit in arrears; each sends at most one SMS per
unit and month (deposits.services.arrears keeps the record)."""

import logging
from datetime import date

from celery import shared_task
from django.utils import timezone

from fund.integrations.base import Unavailable

from ..services.arrears import arrears_reminder_send, arrears_units_to_remind

logger = logging.getLogger(__name__)


@shared_task(name="deposits.send_arrears_reminders", ignore_result=True)
def send_arrears_reminders(on: str | None = None) -> int:
    """Beat entry: queue a reminder for every unit in arrears not yet reminded this month. Safe to run as
    often as the beat likes; returns how many units were queued."""
    day = date.fromisoformat(on) if on else timezone.localdate()
    unit_ids = arrears_units_to_remind(on=day)
    for unit_id in unit_ids:
        send_arrears_reminder.delay(unit_id, day.isoformat())
    logger.info("arrears reminders queued for %s units", len(unit_ids))
    return len(unit_ids)


@shared_task(bind=True, name="deposits.send_arrears_reminder", max_retries=5, ignore_result=True, acks_late=True)
def send_arrears_reminder(self, unit_id: int, on: str) -> str:
    try:
        reminder = arrears_reminder_send(unit_id=unit_id, on=date.fromisoformat(on))
    except Unavailable as exc:
        if self.request.retries >= self.max_retries:
            raise
        # Never longer than the broker's visibility timeout (settings), or the waiting message is delivered twice.
        raise self.retry(exc=exc, countdown=min(60 * 2**self.request.retries, 300)) from exc
    return reminder.state if reminder is not None else "not_in_arrears"
