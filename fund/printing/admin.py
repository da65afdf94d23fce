from pathlib import PurePosixPath
from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from fund.audit.admin_base import ReadOnlyAdmin

from .models import Document
from .registry import document_kinds


class KindFilter(admin.SimpleListFilter):
    """Document kinds by their titles (the plain filter listed the dotted kind codes)."""

    title = "文件种类"
    parameter_name = "kind"

    def lookups(self, request: Any, model_admin: Any) -> list[tuple[str, str]]:
        return [(spec.kind, spec.title) for spec in document_kinds()]

    def queryset(self, request: Any, queryset: Any) -> Any:
        return queryset.filter(kind=self.value()) if self.value() else queryset


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    """Read-only: documents are issued by the services and never edited or deleted. The document's data reads
    as 名称：值 lines with ID and card numbers masked (ReadOnlyAdmin); the PDF itself is the full document."""

    list_display = ["number", "title", "kind_name", "subject_label", "status", "verification_code", "created_at",
                    "rendered_at"]
    list_filter = ["status", KindFilter]
    search_fields = ["verification_code", "title", "subject__name", "subject__id_number"]
    date_hierarchy = "created_at"
    list_select_related = ["requested_by"]
    raw_id_fields = ["subject", "requested_by"]
    # The stored file has no public URL (fund.storage): it is linked through the download view, which checks
    # who asks, instead of the field's own widget.
    exclude = ["file"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        names = [f.name for f in self.model._meta.fields if f.name not in ("file", "kind", "context")]
        return [*names, "kind_name", "stored_file", "context_readable"]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ["kind_name" if f == "kind" else f for f in super().get_fields(request, obj) if f != "kind_name"]

    @admin.display(description="编号", ordering="id")
    def number(self, obj: Document) -> int:
        return obj.pk

    @admin.display(description="文件种类", ordering="kind")
    def kind_name(self, obj: Document) -> str:
        return next((spec.title for spec in document_kinds() if spec.kind == obj.kind), obj.kind)

    @admin.display(description="PDF 文件")
    def stored_file(self, obj: Document) -> str:
        if not obj.file:
            return "-"
        return format_html('<a href="{}">{}</a>', reverse("document_download", args=[obj.pk]),
                           PurePosixPath(obj.file.name or "").name)
