from django.contrib import admin

from .admin_base import ReadOnlyAdmin
from .models import AuditEvent, PersonView


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "action", "target_type", "target_repr", "ip"]
    list_filter = ["action", "target_type"]
    search_fields = ["action", "target_repr", "target_id", "actor__username"]
    date_hierarchy = "at"


@admin.register(PersonView)
class PersonViewAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "person", "context", "ip"]
    search_fields = ["actor__username", "person__name", "context"]
    date_hierarchy = "at"
