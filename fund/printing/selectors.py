"""Reading documents. A document is visible to whoever requested it, to the person it is about, and to
staff whose scope covers that person's branch; to anyone else it does not exist (404)."""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from fund.people.selectors import get_or_404, scoped

from .codes import is_well_formed, normalize_code
from .models import Document, DocumentStatus


def documents_for_user(*, user: Any) -> QuerySet[Document]:
    if not getattr(user, "is_authenticated", False):
        return Document.objects.none()
    through_subject = scoped(Document.objects.all(), user, branch="subject__branch", person="subject")
    return through_subject | Document.objects.filter(requested_by=user)


def document_get_for_user(*, user: Any, pk: Any) -> Document:
    return get_or_404(documents_for_user(user=user).select_related("subject"), pk=pk)


def document_get_ready_for_user(*, user: Any, pk: Any) -> Document:
    document = document_get_for_user(user=user, pk=pk)
    if not document.is_ready:
        raise Http404("文件尚未生成")
    return document


def document_verify(*, code: str) -> Document | None:
    """The issued document a (typed or scanned) code belongs to, or None. Only ready documents count: a code
    that never reached paper verifies nothing."""
    code = normalize_code(code)
    if not is_well_formed(code):
        return None
    return Document.objects.filter(verification_code=code, status=DocumentStatus.READY).first()
