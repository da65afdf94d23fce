"""Celery tasks of the printing app. They take primary keys and call one service."""

import logging

from celery import Task, shared_task

from .models import Document, DocumentStatus
from .services import TRANSIENT_ERRORS, document_mark_failed, document_render

logger = logging.getLogger(__name__)


@shared_task(bind=True, name="printing.render_document", max_retries=5, ignore_result=True, acks_late=True)
def render_document(self: Task, document_id: int) -> str:
    """Render one document; retried with backoff when the database or file store is briefly unavailable."""
    try:
        return document_render(document_id=document_id).status
    except Document.DoesNotExist:
        # Queued only after commit, so this means another database (e.g. a stray worker); nothing to do.
        logger.warning("document %s not found; render skipped", document_id)
        return "missing"
    except TRANSIENT_ERRORS as exc:
        if self.request.retries >= self.max_retries:
            document_mark_failed(document_id=document_id, error=f"{type(exc).__name__}: {exc}")
            raise
        raise self.retry(exc=exc, countdown=min(5 * 2**self.request.retries, 300)) from exc


@shared_task(name="printing.requeue_stale", ignore_result=True)
def requeue_stale(minutes: int = 3) -> int:
    """Queue again every document still pending after `minutes`.

    A worker stopped mid-task leaves its message unacknowledged, and Redis gives it back only after the
    visibility timeout (FUND_TASK_VISIBILITY_MINUTES); a message lost with the broker never comes back.
    Rendering is compare-and-set on the status, so a second send is harmless.
    """
    from datetime import timedelta

    from django.utils import timezone

    stale = Document.objects.filter(status=DocumentStatus.PENDING, created_at__lt=timezone.now() - timedelta(minutes=minutes))
    ids = list(stale.values_list("pk", flat=True)[:500])
    for document_id in ids:
        render_document.delay(document_id)
    return len(ids)
