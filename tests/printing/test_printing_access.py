"""Who may fetch a document: its requester, the person it is about and staff of that person's branch.
Everyone else gets 404, the same answer as for a document that does not exist."""

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.test import RequestFactory
from rest_framework.test import APIClient

from fund.audit.models import PersonView
from fund.printing.selectors import document_get_for_user
from fund.printing.views import document_download

FAKE_PDF = b"%PDF-1.7 rendered for the access tests"


@pytest.fixture(autouse=True)
def fast_render(monkeypatch: pytest.MonkeyPatch) -> None:
    # Access rules do not depend on what the PDF looks like; skip WeasyPrint's second per document.
    monkeypatch.setattr("fund.printing.services.render_pdf", lambda document: FAKE_PDF)


def api_as(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize("who", ["clerk", "subject", "colleague"])
def test_the_requester_the_subject_and_branch_staff_can_fetch(people: Any, issue: Any, who: str) -> None:
    document = issue()
    client = api_as(getattr(people, who))

    detail = client.get(f"/api/documents/{document.pk}/")
    assert detail.status_code == 200
    assert detail.json()["status"] == "ready"
    assert detail.json()["title"] == "通知书"
    assert detail.json()["download_url"].endswith(f"/api/documents/{document.pk}/file")

    file = client.get(f"/api/documents/{document.pk}/file", HTTP_ACCEPT="application/pdf")
    assert file.status_code == 200
    assert file["Content-Type"] == "application/pdf"
    assert b"".join(file.streaming_content) == FAKE_PDF


@pytest.mark.parametrize("who", ["member_b", "operator", "clerk_b"])
def test_it_rejects_everyone_else(people: Any, issue: Any, who: str) -> None:
    document = issue()
    client = api_as(getattr(people, who))

    assert client.get(f"/api/documents/{document.pk}/").status_code == 404
    assert client.get(f"/api/documents/{document.pk}/file").status_code == 404
    with pytest.raises(Http404):
        document_get_for_user(user=getattr(people, who), pk=document.pk)


def test_it_answers_a_missing_document_like_a_forbidden_one(people: Any, issue: Any) -> None:
    document = issue()

    missing = api_as(people.clerk).get(f"/api/documents/{document.pk + 1000}/")
    forbidden = api_as(people.clerk_b).get(f"/api/documents/{document.pk}/")

    assert missing.status_code == forbidden.status_code == 404
    assert missing.json() == forbidden.json()


def test_a_document_without_a_subject_is_the_requesters_alone(people: Any, issue: Any) -> None:
    document = issue(subject=None, subject_label="示范科技有限公司")

    assert api_as(people.clerk).get(f"/api/documents/{document.pk}/").status_code == 200
    assert api_as(people.colleague).get(f"/api/documents/{document.pk}/").status_code == 404
    assert api_as(people.subject).get(f"/api/documents/{document.pk}/").status_code == 404


def test_a_pending_document_has_no_file_yet(
    people: Any, request_notice: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        document = request_notice()
    client = api_as(people.clerk)

    detail = client.get(f"/api/documents/{document.pk}/")
    assert detail.json()["status"] == "pending"
    assert detail.json()["status_display"] == "排队中"
    assert detail.json()["download_url"] is None
    assert client.get(f"/api/documents/{document.pk}/file").status_code == 404


def test_the_page_download_serves_the_owner_and_logs_staff_views(people: Any, issue: Any) -> None:
    document = issue()
    factory = RequestFactory()

    request = factory.get("/")
    request.user = people.colleague
    response = document_download(request, pk=document.pk)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == FAKE_PDF
    assert PersonView.objects.filter(actor=people.colleague, person=people.subject.person).count() == 1

    request.user = people.subject
    assert document_download(request, pk=document.pk).status_code == 200
    # Seeing one's own document is not a view of someone else's record.
    assert not PersonView.objects.filter(actor=people.subject).exists()

    request.user = people.clerk_b
    with pytest.raises(Http404):
        document_download(request, pk=document.pk)


def test_the_page_download_sends_strangers_to_sign_in(people: Any, issue: Any) -> None:
    document = issue()
    request = RequestFactory().get("/")
    request.user = AnonymousUser()

    response = document_download(request, pk=document.pk)

    assert response.status_code == 302


def test_anonymous_api_callers_are_refused(people: Any, issue: Any) -> None:
    document = issue()

    assert APIClient().get(f"/api/documents/{document.pk}/").status_code in (401, 403)
