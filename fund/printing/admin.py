from typing import Any

from django.contrib import admin
from django.http import HttpRequest

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

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
