from django.contrib import admin

from fund.audit.admin_base import ReadOnlyAdmin

from .models import BlacklistEntry


@admin.register(BlacklistEntry)
class BlacklistEntryAdmin(ReadOnlyAdmin):
    """Read-only: entries are listed and lifted only through risk.services (four-eyes, audited)."""

    list_display = ["name", "subject_kind", "category", "listed_on", "until", "lifted_at", "public", "listed_by"]
    list_filter = ["subject_kind", "category", "public", ("lifted_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "id_number", "credit_code"]
    date_hierarchy = "listed_on"
