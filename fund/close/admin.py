from django.contrib import admin

from fund.audit.admin_base import ReadOnlyAdmin

from .models import CloseRun, CloseStepRun


class StepInline(admin.TabularInline):
    model = CloseStepRun
    extra = 0
    can_delete = False
    fields = readonly_fields = ("position", "name", "label", "state", "attempts", "started_at", "finished_at",
                                "counts", "error")

    def has_add_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False


@admin.register(CloseRun)
class CloseRunAdmin(ReadOnlyAdmin):
    list_display = ["business_date", "state", "started_at", "finished_at", "triggered_by"]
    list_filter = ["state"]
    date_hierarchy = "business_date"
    inlines = [StepInline]
