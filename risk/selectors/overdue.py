"""Read helpers of the overdue ledger (逾期台账). Placeholder until the ledger lands: the dashboard reads
`ledger_summary`."""

from __future__ import annotations

from datetime import date
from typing import Any


def ledger_summary(user: Any, *, on: date) -> dict[str, Any]:
    """What the risk dashboard shows of the ledger as `user` may see it (their branch unless centre-wide):
    {"open": int (cases on the ledger), "cleared": int (销号 in the close of `on`),
     "by_stage": [{"stage": code, "label": 中文, "count": int, "amount": Decimal (overdue principal+interest+penalty)}],
     "by_collector": [{"collector": name, "count": int, "amount": Decimal}]}"""
    return {"open": 0, "cleared": 0, "by_stage": [], "by_collector": []}
