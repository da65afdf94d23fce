from django.contrib import admin

from fund.audit.admin_base import ReadOnlyAdmin

from .models import WorkItem


@admin.register(WorkItem)
class WorkItemAdmin(ReadOnlyAdmin):
    list_display = ["subject_label", "step_label", "branch", "state", "due_on", "acted_by", "decision", "acted_at"]
    list_filter = ["state", "flow", "step"]
    search_fields = ["subject_label"]
