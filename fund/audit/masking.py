"""Masks for identifiers shown in lists: enough to recognise, not enough to misuse."""

import re
from typing import Any


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


_ID_RE = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[\dXx])(?![0-9A-Za-z])")
_CARD_RE = re.compile(r"(?<!\d)(\d{4})\d{8,11}(\d{4})(?!\d)")
_PHONE_RE = re.compile(r"(?<!\d)(1\d{2})\d{4}(\d{4})(?!\d)")


def mask_text(value: str) -> str:
    """Every resident ID, card and mobile number inside free text or a JSON value, masked as above."""
    value = _ID_RE.sub(lambda m: m.group(1) + "********" + (m.group(2) + m.group(3))[-4:], value)
    value = _CARD_RE.sub(lambda m: f"{m.group(1)} **** **** {m.group(2)}", value)
    return _PHONE_RE.sub(lambda m: f"{m.group(1)}****{m.group(2)}", value)


def mask_data(value: Any) -> Any:
    """A JSON value (request, response, evidence) with every identifying number in it masked."""
    if isinstance(value, dict):
        return {k: mask_data(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [mask_data(v) for v in value]
    if isinstance(value, str):
        return mask_text(value)
    return value
