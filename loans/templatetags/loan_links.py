"""`{% url_if "member:loan_repay" loan.pk as href %}`: the URL when that route exists, else "".

The loan pages offer buttons for steps other parts of the loans line add (立即还款, 提前还款, 还款明细, 结清证明);
a page renders a button only when its route is installed, so it never links to a 404 nor fails to render."""

from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse

register = template.Library()


@register.simple_tag
def url_if(name: str, *args: Any) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""
