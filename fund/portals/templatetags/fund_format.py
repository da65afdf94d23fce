from decimal import Decimal

from django import template

from fund.money import format_percent

register = template.Library()


@register.filter
def percent(value: Decimal | None) -> str:
    return "" if value in (None, "") else format_percent(value)
