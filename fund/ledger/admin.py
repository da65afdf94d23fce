from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from fund.audit.admin_base import ReadOnlyAdmin

from .models import Account, JournalEntry, JournalLine, SubAccount, SubLedgerRow


@admin.register(Account)
class AccountAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "kind", "is_control"]


class JournalLineInline(admin.TabularInline):
    model = JournalLine
    fields = ("account", "debit", "credit")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(JournalEntry)
class JournalEntryAdmin(ReadOnlyAdmin):
    list_display = ["number", "business_type", "value_date", "reference", "memo", "actor", "reverses"]
    list_filter = ["business_type"]
    search_fields = ["number", "reference", "idempotency_key", "memo"]
    date_hierarchy = "value_date"
    inlines = [JournalLineInline]


@admin.register(SubAccount)
class SubAccountAdmin(ReadOnlyAdmin):
    list_display = ["number", "name", "control", "balance", "current_year", "prior_year", "accumulated_to"]
    search_fields = ["number", "name"]


@admin.register(SubLedgerRow)
class SubLedgerRowAdmin(ReadOnlyAdmin):
    list_display = ["sub_account", "value_date", "amount", "balance_after", "summary", "entry"]
    search_fields = ["sub_account__number"]
    list_select_related = ["sub_account", "entry"]
