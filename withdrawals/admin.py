from django.contrib import admin

from fund.audit.admin_base import ReadOnlyAdmin, readable_json

from .models import RuleCheck, StandingInstruction, Withdrawal


def reason_name(key: str, code: str = "") -> str:
    from .reasons import REASONS

    found = REASONS.get(key)
    label = found.label if found else key
    return f"{label}（{code or (found.code if found else '')}）".replace("（）", "")


class ReasonFilter(admin.SimpleListFilter):
    title = "提取原因"
    parameter_name = "reason"

    def lookups(self, request, model_admin):
        from .reasons import REASONS

        return [(key, reason_name(key)) for key in REASONS]

    def queryset(self, request, queryset):
        return queryset.filter(reason=self.value()) if self.value() else queryset


class RuleCheckInline(admin.TabularInline):
    model = RuleCheck
    extra = 0
    can_delete = False
    fields = ["round", "order", "label", "passed", "detail", "evidence_readable", "checked_at"]
    readonly_fields = fields

    @admin.display(description="证据")
    def evidence_readable(self, obj: RuleCheck) -> object:
        return readable_json(obj.evidence)

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Withdrawal)
class WithdrawalAdmin(ReadOnlyAdmin):
    list_display = ["number", "account", "reason_name", "channel", "amount", "state", "decider", "submitted_at", "paid_at"]
    list_filter = ["state", ReasonFilter, "channel", "decider"]
    search_fields = ["number", "account__number", "account__person__name"]
    list_select_related = ["account__person"]
    exclude = ["payee_card", "other_id_number"]
    inlines = [RuleCheckInline]  # its bank attempts: the payments admin (付款)

    @admin.display(description="提取原因", ordering="reason")
    def reason_name(self, obj: Withdrawal) -> str:
        return reason_name(obj.reason, obj.reason_code)

    def get_fields(self, request, obj=None):
        # The reason as its name with the national code beside it, not a bare "03".
        return ["reason_name" if f == "reason" else f for f in super().get_fields(request, obj) if f != "reason_code"]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "reason_name"]


@admin.register(StandingInstruction)
class StandingInstructionAdmin(ReadOnlyAdmin):
    list_display = ["number", "account", "lender", "monthly_amount", "day", "state", "last_month"]
    list_filter = ["state"]
    search_fields = ["number", "account__number"]
    exclude = ["payee_card"]
