"""Read helpers of the audit queue (screening hits). Placeholder until the queue lands: the dashboard reads
`queue_summary`."""

from __future__ import annotations

from datetime import date
from typing import Any


def queue_summary(user: Any, *, on: date) -> dict[str, Any]:
    """The open queue as `user` may see it: {"open": int, "fraud_open": int (hits of fraud checks),
    "by_level": [{"level": "1".."4", "label": 办理要件存疑…, "count": int}],
    "by_age": [{"label": "3日内"/"4–10日"/"超过10日", "count": int}]}"""
    return {"open": 0, "fraud_open": 0, "by_level": [], "by_age": []}
