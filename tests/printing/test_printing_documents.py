import hashlib
import subprocess
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from fund.audit.models import AuditEvent
from fund.printing.codes import ALPHABET, CODE_LENGTH, format_code
from fund.printing.models import Document, DocumentDeletionRefused, DocumentStatus
from fund.printing.registry import register_document_kind
from fund.printing.services import document_render, document_requeue
from fund.printing.tasks import render_document


def pdf_text(data: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()


def test_it_renders_a_real_pdf_with_chinese_text(issue: Any) -> None:
    document = issue()

    assert document.status == DocumentStatus.READY
    data = document.file.read()
    assert data.startswith(b"%PDF")
    assert document.sha256 == hashlib.sha256(data).hexdigest()
    assert document.file.name.startswith("documents/") and document.file.name.endswith(".pdf")
    assert document.rendered_at is not None
    text = pdf_text(data)
    # Found as text, so the CJK font was embedded rather than drawn as boxes.
    assert settings.FUND_CENTRE_NAME in text
    assert "您的住房公积金提取申请已受理" in text
    assert format_code(document.verification_code) in text


def test_it_stores_what_was_requested_and_masks_the_subject(people: Any, issue: Any) -> None:
    document = issue()

    assert document.title == "通知书"
    assert document.context["rows"] == [["业务类型", "提取"], ["申请金额", "50,000.00 元"]]
    assert document.subject_label == "张**（110101********" + people.subject.person.id_number[-4:] + "）"
    assert len(document.verification_code) == CODE_LENGTH
    assert set(document.verification_code) <= set(ALPHABET)


def test_it_audits_the_request(people: Any, issue: Any) -> None:
    document = issue()

    requested = AuditEvent.objects.get(action="printing.document.requested", target_id=str(document.pk))
    assert requested.actor == people.clerk
    assert requested.new["kind"] == "printing.notice"
    assert AuditEvent.objects.filter(action="printing.document.rendered", target_id=str(document.pk)).exists()


def test_it_queues_the_render_only_on_commit(request_notice: Any, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        document = request_notice()

    assert len(callbacks) == 1
    document.refresh_from_db()
    assert document.status == DocumentStatus.PENDING and not document.file


def test_a_second_render_does_nothing(issue: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    document = issue()

    def must_not_render(*args: Any, **kwargs: Any) -> bytes:
        raise AssertionError("a ready document was rendered again")

    monkeypatch.setattr("fund.printing.services.render_pdf", must_not_render)
    render_document.delay(document.pk)
    again = document_render(document_id=document.pk)

    assert (again.file.name, again.sha256, again.rendered_at) == (
        document.file.name, document.sha256, document.rendered_at,
    )
    assert AuditEvent.objects.filter(action="printing.document.rendered", target_id=str(document.pk)).count() == 1


def test_the_code_verifies_on_the_page(client: Any, issue: Any) -> None:
    document = issue()

    response = client.get(reverse("verify:detail", args=[document.verification_code]))

    assert response.status_code == 200
    page = response.content.decode()
    assert "验证通过" in page
    assert "通知书" in page
    assert document.sha256 in page
    assert document.subject_label in page
    assert document.subject.id_number not in page


def test_a_typed_code_is_forgiving_about_case_and_hyphens(client: Any, issue: Any) -> None:
    document = issue()
    typed = format_code(document.verification_code).lower()

    response = client.get(reverse("verify:form"), {"code": f" {typed} "})

    assert response.status_code == 302
    assert response["Location"] == reverse("verify:detail", args=[document.verification_code])
    assert client.get(reverse("verify:detail", args=[typed])).status_code == 200


def test_the_form_explains_a_malformed_code(client: Any, db: Any) -> None:
    response = client.get(reverse("verify:form"), {"code": "0000"})

    assert response.status_code == 200
    assert "验证码为12位大写字母和数字" in response.content.decode()
    assert client.get(reverse("verify:form")).status_code == 200


def test_the_code_verifies_on_the_api(client: Any, issue: Any) -> None:
    document = issue()

    response = client.get(f"/api/verify/{document.verification_code}/")

    assert response.status_code == 200
    assert response.json() == {
        "genuine": True,
        "verification_code": format_code(document.verification_code),
        "title": "通知书",
        "issued_at": response.json()["issued_at"],
        "subject": document.subject_label,
        "sha256": document.sha256,
    }


@pytest.mark.parametrize("code", ["ABCDEFGHJKLM", "not-a-code", "0O1I0O1I0O1I"])
def test_an_unknown_code_is_not_found(client: Any, db: Any, code: str) -> None:
    page = client.get(reverse("verify:detail", args=[code]))
    api = client.get(f"/api/verify/{code}/")

    assert page.status_code == 404
    assert "未查到该验证码对应的文件" in page.content.decode()
    assert api.status_code == 404
    assert api.json()["genuine"] is False


def test_a_document_not_yet_rendered_does_not_verify(
    client: Any, request_notice: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        document = request_notice()

    assert client.get(reverse("verify:detail", args=[document.verification_code])).status_code == 404


def test_it_refuses_an_unregistered_kind(request_notice: Any) -> None:
    with pytest.raises(ValidationError) as excinfo:
        request_notice(kind="nobody.knows")

    assert "未登记的文件种类" in str(excinfo.value)
    assert not Document.objects.exists()


def test_it_refuses_context_that_would_shadow_the_layout(request_notice: Any) -> None:
    with pytest.raises(ValidationError) as excinfo:
        request_notice(context={"verify_url": "http://evil.example/"})

    assert "保留字段" in str(excinfo.value)


def test_a_broken_template_marks_the_document_failed_and_it_can_be_requeued(
    people: Any, request_notice: Any, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    register_document_kind("tests.broken", title="测试文件", template="printing/tests/does-not-exist.html")
    with django_capture_on_commit_callbacks(execute=True):
        document = request_notice(kind="tests.broken")
    document.refresh_from_db()

    assert document.status == DocumentStatus.FAILED
    assert "TemplateDoesNotExist" in document.error

    monkeypatch.setattr("fund.printing.services.render_pdf", lambda document: b"%PDF-1.7 fixed")
    with django_capture_on_commit_callbacks(execute=True):
        document_requeue(document=document, actor=people.clerk, reason="模板已修复")
    document.refresh_from_db()

    assert document.status == DocumentStatus.READY
    assert document.error == ""
    assert AuditEvent.objects.filter(action="printing.document.requeued", target_id=str(document.pk)).exists()


def test_a_ready_document_cannot_be_requeued(issue: Any, people: Any) -> None:
    document = issue()

    with pytest.raises(ValidationError):
        document_requeue(document=document, actor=people.clerk)


def test_documents_are_never_deleted(issue: Any) -> None:
    document = issue()

    with pytest.raises(DocumentDeletionRefused):
        document.delete()
    with pytest.raises(DocumentDeletionRefused):
        Document.objects.all().delete()
    assert Document.objects.filter(pk=document.pk).exists()
