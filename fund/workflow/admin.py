from django.contrib import admin

from fund.audit.admin_base import ReadOnlyAdmin

from .models import StatusChange, WorkItem


@admin.register(WorkItem)
class WorkItemAdmin(ReadOnlyAdmin):
    list_display = ["subject_label", "step_label", "branch", "state", "due_on", "acted_by", "decision", "acted_at"]
    list_filter = ["state", "flow", "step"]
    search_fields = ["subject_label"]


@admin.register(StatusChange)
class StatusChangeAdmin(ReadOnlyAdmin):
    list_display = ["subject_type", "subject_id", "field", "old", "new", "action", "actor", "at"]
    list_filter = ["subject_type", "field"]
    search_fields = ["action"]
