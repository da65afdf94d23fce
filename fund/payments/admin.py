from django.contrib import admin

from fund.audit.admin_base import ReadOnlyAdmin

from .models import Payment, PaymentAttempt


class AttemptInline(admin.TabularInline):
    model = PaymentAttempt
    extra = 0
    can_delete = False
    fields = readonly_fields = ("attempt", "reference", "amount", "payee_name", "status", "bank_serial", "reason",
                                "sent_at", "finished_at")

    def has_add_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["id", "purpose", "subject_label", "payee_name", "amount", "state", "retry_after"]
    list_filter = ["state", "purpose"]
    search_fields = ["subject_label", "payee_name", "attempts__reference"]
    inlines = [AttemptInline]
