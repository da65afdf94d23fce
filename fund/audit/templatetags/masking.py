from typing import Any

from django import template

from fund.audit import masking

register = template.Library()

register.filter("mask_id", masking.mask_id_number)
register.filter("mask_card", masking.mask_bank_card)
register.filter("mask_phone", masking.mask_phone)


@register.inclusion_tag("audit/masked_id.html", takes_context=True)
def masked_id(context: Any, person: Any, where: str = "") -> dict[str, Any]:
    """A person's ID masked, with a 显示完整号码 button for the posts that may see it whole (logged on click)."""
    from fund.audit.reveal import may_reveal_id

    request = context.get("request")
    user = getattr(request, "user", None)
    return {"person": person, "masked": masking.mask_id_number(person.id_number), "where": where,
            "may_reveal": user is not None and may_reveal_id(user)}
