"""`{% portal_nav "staff" as groups %}`: the portal's registered navigation (fund.portals.nav) for this request."""

from typing import Any

from django import template

from ..nav import NavGroup, nav_for

register = template.Library()


@register.simple_tag(takes_context=True)
def portal_nav(context: dict[str, Any], portal: str) -> list[NavGroup]:
    request = context.get("request")
    return nav_for(portal, request) if request is not None else []
