"""The what-if run a director starts from 政策调整模拟."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from .services import whatif_run_by_id


# A database briefly away is tried again; a run redelivered after a lost worker starts over (it writes only its
# own rows, replaced as a whole), so running it twice is harmless.
@shared_task(name="whatif.run", acks_late=True, ignore_result=True, autoretry_for=(OperationalError, InterfaceError),
             retry_backoff=30, retry_backoff_max=300, max_retries=5)
def whatif_run_task(run_id: int) -> None:
    whatif_run_by_id(run_id)
