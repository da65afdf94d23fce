from decimal import Decimal

from django import template

from fund.money import amount_in_capitals, format_money, format_percent

register = template.Library()


@register.filter
def percent(value: Decimal | None) -> str:
    return "" if value in (None, "") else format_percent(value)


@register.filter
def money(value: Decimal | int | str | None) -> str:
    """12345.6 → "12,345.60"; empty stays empty, so an optional amount shows nothing rather than 0.00."""
    return "" if value in (None, "") else format_money(value)


@register.filter
def capitals(value: Decimal | int | str | None) -> str:
    """12345.67 → 壹万贰仟叁佰肆拾伍元陆角柒分 (大写金额)."""
    return "" if value in (None, "") else amount_in_capitals(value)
