"""Rendering a stored document to PDF bytes with WeasyPrint.

Everything printed comes from the document row (its stored context, code and issue time) and the settings,
so rendering the same document twice gives the same content. Rendering is slow: call it outside any
transaction (the render task does).
"""

import base64
import logging
from pathlib import Path
from typing import Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string
from django.urls import reverse

from .models import Document
from .registry import document_kind

SEAL = "printing/seal.svg"

# WeasyPrint reports every rendering step at INFO; in a worker's log that is noise.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

# Names the layout provides to every document template; a stored context may not use them.
RESERVED_CONTEXT_KEYS = frozenset(
    {"document", "title", "centre_name", "issued_at", "verification_code", "verify_url", "qr_data_uri", "seal_url"}
)


def verify_url(document: Document) -> str:
    """The address printed on `document`: the one captured when it was requested (fund.printing.address);
    for a document from before that, or from outside any request, the setting, else the first named host."""
    base = document.public_base_url or (settings.FUND_PUBLIC_BASE_URL or "").rstrip("/") or _first_host()
    return base + reverse("verify:detail", args=[document.verification_code])


def _first_host() -> str:
    hosts = [h for h in settings.ALLOWED_HOSTS if h and "*" not in h and not h.startswith(".")]
    return f"http://{hosts[0]}" if hosts else ""


def qr_data_uri(text: str) -> str:
    """A QR code for `text` as an SVG data URI (vector, so it stays sharp in print)."""
    qr = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M, border=2, image_factory=qrcode.image.svg.SvgPathImage
    )
    qr.add_data(text)
    qr.make(fit=True)
    svg = qr.make_image().to_string(encoding="unicode")
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def seal_path() -> Path:
    found = finders.find(SEAL)
    if not found:
        raise ImproperlyConfigured(f"找不到印章文件 static/{SEAL}")
    return Path(found if isinstance(found, str) else found[0])


def render_context(document: Document) -> dict[str, Any]:
    return {
        **document.context,
        "document": document,
        "title": document.title,
        "centre_name": settings.FUND_CENTRE_NAME,
        "issued_at": document.created_at,
        "verification_code": document.code_display,
        "verify_url": verify_url(document),
        "qr_data_uri": qr_data_uri(verify_url(document)),
        "seal_url": seal_path().as_uri(),
    }


def render_html(document: Document) -> str:
    return render_to_string(document_kind(document.kind).template, render_context(document))


def render_pdf(document: Document) -> bytes:
    # Imported here: WeasyPrint is heavy, and only the render task needs it.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # Only local files (the seal) and data: URIs (the QR code) may be loaded: a document never reaches out.
    fetcher = URLFetcher(allowed_protocols=("file", "data"))
    return HTML(string=render_html(document), base_url=str(settings.BASE_DIR), url_fetcher=fetcher).write_pdf()
