"""Stored files (members' certificates, units' staff lists) are served only by the views that check who asks.

No settings module serves MEDIA_ROOT: the run command used the local settings (DEBUG on), whose URLs served
/media/ to anyone, and the names were predictable (documents/<y>/<m>/document-<pk>.pdf,
base-adjustments/<y>/<unit>-<y>.xlsx).
"""

import importlib
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import clear_url_caches
from django.utils import timezone

import fund.urls
from deposits.services.base_adjustment import base_upload
from fund.printing.apps import NOTICE_KIND
from fund.printing.models import Document
from fund.printing.services import document_request
from fund.storage import PrivateFileStorage, with_token
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

YEAR = 2026


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(params=["test", "local"])
def urls(request: Any, settings: Any) -> Iterator[str]:
    """The URLs as each settings module builds them: fund.urls is built at import, so under the local
    settings' DEBUG it is built again with DEBUG on (as the run command had it), and restored after."""
    if request.param == "local":
        settings.DEBUG = True
        importlib.reload(fund.urls)
        clear_url_caches()
    yield request.param
    if request.param == "local":
        settings.DEBUG = False
        importlib.reload(fund.urls)
        clear_url_caches()


@pytest.fixture
def certificate(world: Any, django_capture_on_commit_callbacks: Any) -> Document:
    """A ready PDF about member A (name and full ID number in it), rendered and stored for real."""
    with django_capture_on_commit_callbacks(execute=True):
        document = document_request(
            kind=NOTICE_KIND, requested_by=world.clerk, subject=world.account_a.person,
            context={"recipient": world.account_a.person.name, "paragraphs": [world.account_a.person.id_number]},
        )
    document.refresh_from_db()
    assert document.is_ready and document.file
    return document


def client_for(user: Any) -> Client:
    client = Client()
    if user is not None:
        assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.mark.parametrize("who", ["anonymous", "outsider", "member_b", "unit_a_op"])
def test_it_refuses_a_stored_document_by_its_media_path(world: Any, certificate: Document, urls: str, who: str) -> None:
    user = None if who == "anonymous" else getattr(world, who)
    path = f"/media/{certificate.file.name}"
    assert (certificate.file.storage.path(certificate.file.name)).endswith(certificate.file.name)
    response = client_for(user).get(path)
    assert response.status_code == 404
    assert b"%PDF" not in response.content
    assert world.account_a.person.id_number.encode() not in response.content


def test_the_owner_still_downloads_through_the_scoped_view(world: Any, certificate: Document, urls: str) -> None:
    assert client_for(world.member_a).get(f"/documents/{certificate.pk}/file").status_code == 200
    assert client_for(world.outsider).get(f"/documents/{certificate.pk}/file").status_code == 404


def test_it_refuses_an_uploaded_staff_list_by_its_media_path(world: Any, urls: str) -> None:
    batch = base_upload(actor=world.unit_a_op, unit=world.unit_a, year=YEAR,
                        file=SimpleUploadedFile("调基名单.xlsx", b"PK\x03\x04 not really a workbook"))
    assert batch.file
    for user in (None, world.outsider, world.unit_b_op):
        assert client_for(user).get(f"/media/{batch.file.name}").status_code == 404


def test_stored_names_cannot_be_guessed(world: Any, certificate: Document) -> None:
    name = certificate.file.name
    assert re.fullmatch(rf"documents/\d{{4}}/\d{{2}}/document-{certificate.pk}-[0-9a-f]{{24}}\.pdf", name), name
    batch = base_upload(actor=world.unit_a_op, unit=world.unit_a, year=YEAR,
                        file=SimpleUploadedFile("调基名单.xlsx", b"PK\x03\x04"))
    assert batch.file.name != f"base-adjustments/{YEAR}/{world.unit_a.number}-{YEAR}.xlsx"
    # The folder is the year of the upload (upload_to="base-adjustments/%Y/"), the name the batch's year.
    uploaded = timezone.localdate().year
    assert re.fullmatch(rf"base-adjustments/{uploaded}/{world.unit_a.number}-{YEAR}-[0-9a-f]{{24}}\.xlsx", batch.file.name)


def test_a_stored_file_has_no_public_url(certificate: Document) -> None:
    """Whatever links to a file's .url (a template, a serializer, the admin's widget) fails loudly in tests
    instead of publishing a link."""
    assert isinstance(certificate.file.storage, PrivateFileStorage)
    with pytest.raises(NotImplementedError):
        certificate.file.url  # noqa: B018


def test_a_long_name_keeps_its_token_within_the_field_length() -> None:
    name = with_token("documents/2026/07/" + "x" * 200 + ".pdf", max_length=100)
    assert len(name) <= 100 and re.fullmatch(r"documents/2026/07/x+-[0-9a-f]{24}\.pdf", name)


def test_the_admin_links_a_document_through_the_scoped_view(world: Any, certificate: Document) -> None:
    page = client_for(world.auditor).get(f"/admin/printing/document/{certificate.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f"/documents/{certificate.pk}/file" in html and "/media/" not in html
