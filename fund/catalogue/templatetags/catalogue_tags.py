"""Display helpers for catalogue items: `{% load catalogue_tags %}`.

    {{ material.shared_by|system_label }}     不动产登记
    {{ item|visits_badge }}                    the CSS modifier for 零跑腿 / 最多跑一次
"""

from django import template

from ..pdf import system_label as _system_label
from ..registry import ServiceItem, Visits

register = template.Library()


@register.filter
def system_label(value: str) -> str:
    return _system_label(value) if value else ""


@register.filter
def visits_badge(item: ServiceItem) -> str:
    return "badge-success" if item.visits == Visits.NONE else "badge-info"
