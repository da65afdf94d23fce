from django.contrib import admin

from fund.audit.admin_base import ReadOnlyAdmin

from .models import BlacklistEntry, ScreeningHit, ScreeningRule


@admin.register(BlacklistEntry)
class BlacklistEntryAdmin(ReadOnlyAdmin):
    """Read-only: entries are listed and lifted only through risk.services (four-eyes, audited)."""

    list_display = ["name", "subject_kind", "category", "listed_on", "until", "lifted_at", "public", "listed_by"]
    list_filter = ["subject_kind", "category", "public", ("lifted_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "id_number", "credit_code"]
    date_hierarchy = "listed_on"


@admin.register(ScreeningRule)
class ScreeningRuleAdmin(ReadOnlyAdmin):
    """Read-only: rules are added and switched on the 稽核规则 page (audited)."""

    list_display = ["code", "label", "check_code", "category", "level", "enabled", "effective_from", "effective_until"]
    list_filter = ["category", "level", "enabled"]
    search_fields = ["code", "label", "check_code"]


@admin.register(ScreeningHit)
class ScreeningHitAdmin(ReadOnlyAdmin):
    """Read-only: hits are worked in 稽核工作台 (moves with history)."""

    list_display = ["subject_label", "rule", "level", "state", "branch", "found_by", "found_at"]
    list_filter = ["level", "state", "category", "found_by"]
    search_fields = ["subject_label", "summary", "id_number"]
    date_hierarchy = "found_at"
