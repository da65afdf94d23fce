from typing import Any

from django import template

from fund.audit.actions import action_label, changes

register = template.Library()

register.filter("action_name", action_label)


@register.inclusion_tag("audit/changes.html")
def audit_changes(event: Any) -> dict[str, Any]:
    """An event's old/new record as 'label: old → new' lines a person can read."""
    return {"changes": changes(event.old, event.new, event.action)}
