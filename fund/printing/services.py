"""Issuing documents: request one (a row plus a queued render), render it, retry a failed one.

The PDF is made in a Celery task from the data stored with the document, queued only once the request has
committed. Rendering is idempotent: a document that is ready is never rendered again, and when two workers
race, the compare-and-set on the status lets exactly one of them store its file.

Every request comes through `document_request`, which is where printing is bounded: the same document
(kind, subject and the data it is rendered from) asked for again the same day is the one already issued,
and new ones are limited per user and per person (fund.printing.limits).
"""

import hashlib
import json
import logging
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone

from fund.audit.masking import mask_id_number
from fund.audit.services import audit_log
from fund.people.models import Person
from fund.workflow.moves import MoveTable, StaleStatus, move_status

from .address import public_base_url
from .limits import PrintLimitReached, print_limit_check, print_locks
from .models import ALLOWED_MOVES, Document, DocumentStatus
from .pdf import RESERVED_CONTEXT_KEYS, render_pdf
from .registry import DocumentKind, document_kind, register_document_kind
from .selectors import documents_for_user

__all__ = [
    "document_mark_failed",
    "document_render",
    "document_request",
    "document_requeue",
    "register_document_kind",
]

logger = logging.getLogger(__name__)

# Errors worth another attempt later: the database or the file store being briefly unavailable.
TRANSIENT_ERRORS: tuple[type[Exception], ...] = (OperationalError, InterfaceError, OSError)


def mask_name(name: str) -> str:
    """张三 → 张*, 欧阳娜娜 → 欧***: the family name's first character, enough to recognise."""
    name = (name or "").strip()
    return name[:1] + "*" * (len(name) - 1) if len(name) > 1 else name


def subject_label_for(person: Person) -> str:
    return f"{mask_name(person.name)}（{mask_id_number(person.id_number)}）"


# The moves a document's status may make (models.ALLOWED_MOVES), each through the shared move helper.
DOCUMENT_MOVES = MoveTable(Document, noun="文件", field="status", moves=ALLOWED_MOVES)


def _move(document: Document, *, to: str, action: str, actor: Any = None, note: dict[str, Any] | None = None,
          was: dict[str, Any] | None = None, reason: str = "", **fields: Any) -> bool:
    """Move the status from what `document` holds to `to`, with its audit event `action`; False when another
    process moved it first."""
    try:
        move_status(document, to, table=DOCUMENT_MOVES, action=action, actor=actor, note=note, was=was,
                    reason=reason, **fields)
    except StaleStatus:
        return False
    return True


def _queue_render(document_id: int) -> None:
    from .tasks import render_document

    # robust: if the broker is down the request still succeeds; printing.requeue_stale sends it later.
    transaction.on_commit(partial(render_document.delay, document_id), robust=True)


def content_hash(*, spec: DocumentKind, title: str, subject: Person | None, subject_label: str,
                 context: dict[str, Any]) -> str:
    """What makes two documents the same: kind, title, subject and the data printed, less the kind's stamps
    (when the data was read). The SHA-256 of its canonical JSON."""
    identity = {
        "kind": spec.kind, "title": title, "subject": getattr(subject, "pk", None), "subject_label": subject_label,
        "context": {key: value for key, value in context.items() if key not in spec.stamps},
    }
    canonical = json.dumps(identity, cls=DjangoJSONEncoder, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _printed_today(*, digest: str, requested_by: Any) -> Document | None:
    """The same document issued earlier today and not failed, if the requester may see it (a clerk reprints
    what the member printed; an operator who could not open it gets a new one)."""
    return (
        documents_for_user(user=requested_by)
        .filter(content_hash=digest, created_at__date=timezone.localdate(),
                status__in=[DocumentStatus.PENDING, DocumentStatus.READY])
        .order_by("-id").first()
    )


def document_request(
    *,
    kind: str,
    context: dict[str, Any],
    requested_by: Any,
    subject: Person | None = None,
    subject_label: str = "",
    title: str = "",
) -> Document:
    """Create a document of a registered `kind` from `context` (the data its template prints) and queue its
    rendering for after commit. Joins the caller's transaction, so a business service can issue a document
    in the same commit as the change it certifies. `subject_label` (already masked) is what the public verify
    page shows; it defaults to the subject's masked name and ID number.

    The same document asked for again the same day (same kind, subject and data, see `content_hash`) is
    returned as it is, nothing rendered; a new one is refused with PrintLimitReached when the requester or
    the subject already had as many printed in the hour or the day as the settings allow."""
    spec = document_kind(kind)
    if not isinstance(context, dict):
        raise ValidationError({"context": "文件数据应为键值对"})
    clash = sorted(RESERVED_CONTEXT_KEYS & context.keys())
    if clash:
        raise ValidationError({"context": f"文件数据不能使用保留字段：{'、'.join(clash)}"})
    if not subject_label and subject is not None:
        subject_label = subject_label_for(subject)
    title = title or spec.title
    digest = content_hash(spec=spec, title=title, subject=subject, subject_label=subject_label, context=context)
    document = Document(
        kind=kind,
        title=title,
        subject=subject,
        subject_label=subject_label,
        requested_by=requested_by,
        context=context,
        content_hash=digest,
        # Captured now: the PDF is rendered later in a task, which has no request to take the address from.
        public_base_url=public_base_url(),
    )
    document.full_clean()
    refused: PrintLimitReached | None = None
    with transaction.atomic(savepoint=False):
        print_locks(user=requested_by, subject=subject)
        existing = _printed_today(digest=digest, requested_by=requested_by)
        if existing is not None:
            audit_log(actor=requested_by, action="printing.document.reused", target=existing,
                      new={"kind": kind, "status": existing.status})
            return existing
        try:
            print_limit_check(user=requested_by, subject=subject)
        except PrintLimitReached as exc:
            refused = exc  # raised below, outside the block, so a caller's transaction is not left broken
        else:
            document.save()
            audit_log(
                actor=requested_by,
                action="printing.document.requested",
                target=document,
                new={"kind": kind, "title": document.title, "subject": subject, "status": document.status},
            )
            _queue_render(document.pk)
    if refused is not None:
        raise refused
    return document


def document_requeue(*, document: Document, actor: Any, reason: str = "") -> Document:
    """Send a failed document back to the queue (after the cause, e.g. a template error, was fixed)."""
    with transaction.atomic(savepoint=False):
        if not _move(document, to=DocumentStatus.PENDING, action="printing.document.requeued", actor=actor,
                     was={"error": document.error}, reason=reason, error=""):
            raise ValidationError("文件状态已被他人更改，请刷新后重试", code="stale")
        _queue_render(document.pk)
    document.refresh_from_db()
    return document


def document_mark_failed(*, document_id: int, error: str) -> Document:
    """Record that rendering gave up; a pending document moves to failed, anything else is left alone."""
    document = Document.objects.get(pk=document_id)
    if document.status != DocumentStatus.PENDING:
        return document
    with transaction.atomic(savepoint=False):
        _move(document, to=DocumentStatus.FAILED, action="printing.document.failed", reason=error, error=error[:4000])
    document.refresh_from_db()
    return document


def document_render(*, document_id: int) -> Document:
    """Render a pending document to PDF, store the file and its SHA-256, and mark it ready.

    A document that is not pending is returned untouched (a ready one is never rendered twice). Transient
    errors (database, file store) propagate so the task can retry; any other error marks the document failed.
    Call outside a transaction: rendering takes a second or more.
    """
    document = Document.objects.get(pk=document_id)
    if document.status != DocumentStatus.PENDING:
        return document
    try:
        pdf = render_pdf(document)
    except TRANSIENT_ERRORS:
        raise
    except Exception as exc:
        logger.exception("rendering document %s failed", document_id)
        return document_mark_failed(document_id=document_id, error=f"{type(exc).__name__}: {exc}")

    digest = hashlib.sha256(pdf).hexdigest()
    name = default_storage.save(
        document.file.field.generate_filename(document, f"document-{document.pk}.pdf"), ContentFile(pdf)
    )
    with transaction.atomic(savepoint=False):
        stored = _move(
            document, to=DocumentStatus.READY, action="printing.document.rendered",
            note={"sha256": digest, "file": name}, file=name, sha256=digest, rendered_at=timezone.now(), error="",
        )
    if not stored:
        # Another worker finished first; its file is the one on record.
        default_storage.delete(name)
    document.refresh_from_db()
    return document
