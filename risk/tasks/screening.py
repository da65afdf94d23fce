"""Celery tasks of the risk line. Screening a subject again stores nothing new (hits are unique), so a task
delivered twice is harmless."""

from celery import shared_task


@shared_task(name="risk.screen_subject", ignore_result=True, acks_late=True)
def screen_subject_task(label: str, pk: str) -> int:
    from ..services.screening import subject_screen_by_label

    return subject_screen_by_label(label, pk)
