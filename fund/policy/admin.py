"""Auditors read policy history here; every change goes through the service so that it is audited."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from fund.people.roles import roles_of

from .models import PolicyValue


@admin.register(PolicyValue)
class PolicyValueAdmin(admin.ModelAdmin):
    list_display = ["name", "label", "display", "effective_from", "note", "created_by", "created_at", "withdrawn_at"]
    list_filter = ["name", "effective_from"]
    search_fields = ["name", "note"]
    date_hierarchy = "effective_from"
    ordering = ["name", "-effective_from", "-created_at"]
    readonly_fields = [f.name for f in PolicyValue._meta.fields]
    actions = None

    @admin.display(description="政策参数")
    def label(self, obj: PolicyValue) -> str:
        definition = obj.definition
        return definition.label if definition else obj.name

    @admin.display(description="值")
    def display(self, obj: PolicyValue) -> str:
        return obj.display

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return roles_of(request.user).is_auditor

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
