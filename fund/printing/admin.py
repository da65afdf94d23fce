from pathlib import PurePosixPath
from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from .models import Document


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    """Read-only: documents are issued by the services and never edited or deleted."""

    list_display = ["id", "title", "kind", "subject_label", "status", "verification_code", "created_at", "rendered_at"]
    list_filter = ["status", "kind"]
    search_fields = ["verification_code", "title", "subject__name", "subject__id_number"]
    date_hierarchy = "created_at"
    list_select_related = ["requested_by"]
    raw_id_fields = ["subject", "requested_by"]
    # The stored file has no public URL (fund.storage): it is linked through the download view, which checks
    # who asks, instead of the field's own widget.
    exclude = ["file"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in self.model._meta.fields if f.name != "file"] + ["stored_file"]

    @admin.display(description="PDF 文件")
    def stored_file(self, obj: Document) -> str:
        if not obj.file:
            return "-"
        return format_html('<a href="{}">{}</a>', reverse("document_download", args=[obj.pk]),
                           PurePosixPath(obj.file.name).name)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
