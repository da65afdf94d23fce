"""The close's settings, read from the environment by fund.settings (so nothing here may need the apps loaded)."""

from __future__ import annotations

from datetime import date, time


def close_hour(value: str) -> time:
    """FUND_CLOSE_HOUR: "22:30" → 22:30 local time. A bad value stops every process at start, not the close."""
    try:
        return time.fromisoformat(value.strip())
    except ValueError:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"FUND_CLOSE_HOUR 应为 时:分，如 22:30（现为 {value!r}）") from None


def close_start(value: str) -> date | None:
    """FUND_CLOSE_START: the first business date ever closed, or None for the day the close first runs."""
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"FUND_CLOSE_START 应为日期，如 2027-01-01（现为 {value!r}）") from None
