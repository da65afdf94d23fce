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


from .models import LinkGraphRun, Ring  # noqa: E402  (the link graph's, kept apart from the blacklist's)


@admin.register(Ring)
class RingAdmin(ReadOnlyAdmin):
    """Read-only: rings are found by the link graph's runs; their evidence (masked) and notes are on the staff
    page /staff/risk/rings/<id>/."""

    list_display = ["number", "state", "applications", "people", "found_at", "closed_at"]
    list_filter = ["state"]
    exclude = ["fingerprint", "digest"]


@admin.register(LinkGraphRun)
class LinkGraphRunAdmin(ReadOnlyAdmin):
    list_display = ["pk", "business_date", "trigger", "state", "applications", "rings", "rings_new", "rings_closed",
                    "started_at", "finished_at"]
    list_filter = ["trigger", "state"]
