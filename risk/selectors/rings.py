"""Read helpers of the link graph's suspected rings. Placeholder until the graph lands: the dashboard reads
`rings_summary`."""

from __future__ import annotations

from datetime import date
from typing import Any


def rings_summary(user: Any, *, on: date) -> dict[str, Any]:
    """{"rings": int (open suspected rings), "applications": int (applications in them),
    "computed_at": datetime | None (the latest graph run)}"""
    return {"rings": 0, "applications": 0, "computed_at": None}
