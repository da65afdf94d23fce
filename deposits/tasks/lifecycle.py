"""Daily: deferral and ratio-reduction periods begin and end (缓缴/降比例到期处理)."""

from celery import shared_task

from ..services.lifecycle import unit_applications_due_run


@shared_task(name="deposits.unit_applications_due", ignore_result=True, acks_late=True)
def unit_applications_due() -> dict[str, int]:
    """Approved periods that have begun take effect; finished ones end. Safe to run any number of times a day."""
    return unit_applications_due_run()
