"""The link graph run that centre-wide 风控 starts from the rings page (the nightly close runs it in-process)."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from ..services.rings import link_graph_run_by_id


# A database briefly away is tried again; a run redelivered after a lost worker starts again from the
# beginning (a pure rebuild, serialised by an advisory lock), so running it twice is harmless.
@shared_task(name="risk.link_graph_run", acks_late=True, autoretry_for=(OperationalError, InterfaceError),
             retry_backoff=30, retry_backoff_max=300, max_retries=5)
def link_graph_run_task(run_id: int) -> None:
    link_graph_run_by_id(run_id)
