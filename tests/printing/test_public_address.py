"""The address printed on a document (verification URL and QR code) is where the public can verify it:
FUND_PUBLIC_BASE_URL when set, else the address the request for the document came in on. The PDF is
rendered later in a task with no request, so the address is the one captured at request time."""

import subprocess
from typing import Any

import pytest
from django.test import Client

from fund.catalogue.registry import catalogue_items
from fund.printing.models import Document
from fund.printing.pdf import qr_data_uri, render_context

PUBLIC_HOST = "gjj.example.gov.cn"


def pdf_text(data: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()


def issue_notice_over_http(user: Any, host: str, capture: Any, *, secure: bool = False) -> Document:
    """A clerk asks for a 一次性告知单 through the page, as from a browser at `host`; the render runs as the
    task would, after commit and outside the request."""
    client = Client(HTTP_HOST=host)
    client.force_login(user)
    item = catalogue_items()[0]
    with capture(execute=True):
        response = client.post(f"/staff/guide/{item.code}/notice/", {"applicant_name": "张三丰"}, secure=secure)
    assert response.status_code == 302
    return Document.objects.filter(requested_by=user).latest("id")


def assert_printed_address(document: Document, expected: str) -> None:
    url = f"{expected}/verify/{document.verification_code}/"
    context = render_context(document)
    assert context["verify_url"] == url
    assert context["qr_data_uri"] == qr_data_uri(url)  # the QR code encodes the same address
    with document.file.open("rb") as pdf:
        text = pdf_text(pdf.read()).replace("\n", "")
    assert url in text and "127.0.0.1" not in text


@pytest.mark.django_db
def test_without_a_setting_a_document_points_to_the_address_it_was_requested_on(
    world: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.FUND_PUBLIC_BASE_URL = ""
    settings.ALLOWED_HOSTS = [PUBLIC_HOST, "testserver"]
    document = issue_notice_over_http(world.clerk, PUBLIC_HOST, django_capture_on_commit_callbacks, secure=True)
    document.refresh_from_db()
    assert document.public_base_url == f"https://{PUBLIC_HOST}"
    assert_printed_address(document, f"https://{PUBLIC_HOST}")


@pytest.mark.django_db
def test_the_setting_decides_the_printed_address_whatever_host_was_used(
    world: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.FUND_PUBLIC_BASE_URL = "https://gjj.example.gov.cn"
    document = issue_notice_over_http(world.clerk, "testserver", django_capture_on_commit_callbacks)
    document.refresh_from_db()
    assert_printed_address(document, "https://gjj.example.gov.cn")


def test_a_document_issued_outside_any_request_uses_the_setting(issue: Any, settings: Any) -> None:
    settings.FUND_PUBLIC_BASE_URL = "https://gjj.example.gov.cn"
    assert_printed_address(issue(), "https://gjj.example.gov.cn")


def test_a_document_asked_for_in_a_request_keeps_its_address_when_rendered_later(
    request_notice: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from fund.printing.address import request_base_url
    from fund.printing.services import document_render

    settings.FUND_PUBLIC_BASE_URL = ""
    token = request_base_url.set("http://10.1.2.3:8080")  # the request the document was asked for in
    try:
        document = request_notice()
    finally:
        request_base_url.reset(token)
    document = document_render(document_id=document.pk)  # the task: no request around it
    assert_printed_address(document, "http://10.1.2.3:8080")
