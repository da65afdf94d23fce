"""Celery tasks of 我的办件. They take primary keys."""

from celery import shared_task


@shared_task(name="tracking.step_notify", ignore_result=True, acks_late=True)
def step_notify_task(step_id: int) -> bool:
    from .notify import step_notify

    return step_notify(step_id=step_id)


def step_entered(application_id: int, step_id: int) -> None:
    """The step listener (runs after commit): queue the applicant's text."""
    step_notify_task.delay(step_id)
