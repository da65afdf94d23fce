"""Kinds of document the centre prints. Business apps register theirs in `AppConfig.ready()`, so the core
never imports them:

    register_document_kind("deposits.certificate", title="个人住房公积金缴存证明",
                           template="deposits/pdf/certificate.html")

The template extends "printing/document_base.html" and fills its `body` block from the stored context.

`stamps` names context keys that say when the data was read (e.g. a sheet's "as of 09:41") rather than
what it says: two requests the same day whose contexts differ only there are the same document, and the
second gets the first (fund.printing.services.document_request).
"""

from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured, ValidationError


@dataclass(frozen=True)
class DocumentKind:
    kind: str
    title: str
    template: str
    stamps: frozenset[str] = frozenset()


_KINDS: dict[str, DocumentKind] = {}


def register_document_kind(kind: str, *, title: str, template: str, stamps: tuple[str, ...] = ()) -> DocumentKind:
    """Register (or re-register identically — `ready()` may run twice) a kind of document."""
    spec = DocumentKind(kind=kind, title=title, template=template, stamps=frozenset(stamps))
    existing = _KINDS.get(kind)
    if existing is not None and existing != spec:
        raise ImproperlyConfigured(f"document kind {kind!r} is already registered as {existing}")
    _KINDS[kind] = spec
    return spec


def document_kind(kind: str) -> DocumentKind:
    try:
        return _KINDS[kind]
    except KeyError:
        raise ValidationError({"kind": f"未登记的文件种类：{kind}"}, code="unknown_kind") from None


def document_kinds() -> list[DocumentKind]:
    return sorted(_KINDS.values(), key=lambda spec: spec.kind)
