"""`{% load withdrawal_status %}`: a withdrawal's badge and words from `withdrawals.status`, the one source."""

from typing import Any

from django import template

from ..status import Status, withdrawal_status

register = template.Library()


@register.filter(name="withdrawal_status")
def withdrawal_status_filter(withdrawal: Any) -> Status:
    """`{% with st=w|withdrawal_status %}` — label, badge and sentence for the withdrawal."""
    return withdrawal_status(withdrawal)


@register.inclusion_tag("withdrawals/_badge.html")
def withdrawal_badge(withdrawal: Any) -> dict[str, Any]:
    """The state's badge, the same on every page (the label needs no work item: none is read for a list)."""
    return {"st": withdrawal_status(withdrawal, items=[])}
