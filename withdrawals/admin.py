from django.contrib import admin

from fund.audit.admin_base import ReadOnlyAdmin

from .models import Payout, RuleCheck, StandingInstruction, Withdrawal


class RuleCheckInline(admin.TabularInline):
    model = RuleCheck
    extra = 0
    can_delete = False
    fields = ["round", "order", "label", "passed", "detail", "evidence", "checked_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False


class PayoutInline(admin.TabularInline):
    model = Payout
    extra = 0
    can_delete = False
    fields = ["attempt", "reference", "amount", "status", "bank_serial", "reason", "requested_at", "sent_at", "finished_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False


@admin.register(Withdrawal)
class WithdrawalAdmin(ReadOnlyAdmin):
    list_display = ["number", "account", "reason", "channel", "amount", "state", "decider", "submitted_at", "paid_at"]
    list_filter = ["state", "reason", "channel", "decider"]
    search_fields = ["number", "account__number", "account__person__name"]
    list_select_related = ["account__person"]
    exclude = ["payee_card", "other_id_number"]
    inlines = [RuleCheckInline, PayoutInline]


@admin.register(StandingInstruction)
class StandingInstructionAdmin(ReadOnlyAdmin):
    list_display = ["number", "account", "lender", "monthly_amount", "day", "state", "last_month"]
    list_filter = ["state"]
    search_fields = ["number", "account__number"]
    exclude = ["payee_card"]
