"""Masks for identifiers shown in lists: enough to recognise, not enough to misuse."""


def mask_id_number(value: str | None) -> str:
    """110101199003071234 → 110101********1234"""
    if not value:
        return ""
    return value[:6] + "*" * (len(value) - 10) + value[-4:] if len(value) > 10 else "*" * len(value)


def mask_bank_card(value: str | None) -> str:
    """6222021234567890123 → 6222 **** **** 0123"""
    if not value:
        return ""
    return f"{value[:4]} **** **** {value[-4:]}" if len(value) > 8 else "*" * len(value)


def mask_phone(value: str | None) -> str:
    if not value:
        return ""
    return value[:3] + "****" + value[-4:] if len(value) >= 11 else value
