"""Pages: the public verify pages (no login) and the owner's PDF download."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from fund.audit.services import person_viewed

from .forms import VerifyForm
from .models import Document
from .selectors import document_get_ready_for_user, document_verify


@require_GET
def verify_form(request: HttpRequest) -> HttpResponse:
    form = VerifyForm(request.GET or None)
    if form.is_valid():
        return redirect("verify:detail", code=form.cleaned_data["code"])
    return render(request, "printing/verify_form.html", {"form": form})


@require_GET
def verify_detail(request: HttpRequest, code: str) -> HttpResponse:
    document = document_verify(code=code)
    if document is None:
        return render(request, "printing/verify_not_found.html", {"code": code, "form": VerifyForm()}, status=404)
    return render(request, "printing/verify_detail.html", {"document": document})


def pdf_response(document: Document) -> FileResponse:
    return FileResponse(
        document.file.open("rb"),
        content_type="application/pdf",
        filename=f"{document.title}-{document.verification_code}.pdf",
    )


def log_subject_view(*, user: Any, document: Document) -> None:
    """A document about someone else shows their full record: log it like any other view of one."""
    if document.subject_id is not None and user.person_id != document.subject_id:
        person_viewed(actor=user, person=document.subject, context=f"下载文件 {document.kind} #{document.pk}")


@login_required
@require_GET
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    """The PDF, for its requester, its subject and staff of the subject's branch; 404 for anyone else."""
    document = document_get_ready_for_user(user=request.user, pk=pk)
    log_subject_view(user=request.user, document=document)
    return pdf_response(document)
