from typing import Any

from django.apps import apps
from django.contrib import admin

from . import beat_admin  # noqa: F401  (re-registers django-celery-beat's admin in Chinese)
from .actions import action_families, action_label
from .admin_base import ReadOnlyAdmin
from .models import AuditEvent, PersonView


class FamilyFilter(admin.SimpleListFilter):
    """By business line, in words (the raw filter listed every dotted code)."""

    title = "业务类别"
    parameter_name = "family"

    def lookups(self, request: Any, model_admin: Any) -> list[tuple[str, str]]:
        return action_families()

    def queryset(self, request: Any, queryset: Any) -> Any:
        return queryset.filter(action__startswith=f"{self.value()}.") if self.value() else queryset


def _model_name(label: str) -> str:
    try:
        return str(apps.get_model(label)._meta.verbose_name)
    except (LookupError, ValueError):
        return label


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "action_name", "target_type_name", "target_repr", "ip"]
    list_filter = [FamilyFilter]
    search_fields = ["action", "target_repr", "target_id", "actor__username"]
    date_hierarchy = "at"
    fields = ["at", "actor", "action_name", "target_type_name", "target_id", "target_repr", "old", "new", "reason", "ip"]

    @admin.display(description="操作", ordering="action")
    def action_name(self, obj: AuditEvent) -> str:
        return action_label(obj.action)

    @admin.display(description="对象类型", ordering="target_type")
    def target_type_name(self, obj: AuditEvent) -> str:
        return _model_name(obj.target_type)


@admin.register(PersonView)
class PersonViewAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "person", "context", "ip"]
    search_fields = ["actor__username", "person__name", "context"]
    date_hierarchy = "at"

