"""The 投诉台账 in Excel: the tickets as listed (with the filters) and the rates by branch and month."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from fund.exports import append_row, now_text, workbook_bytes, workbook_start

from .models import Ticket


def _percent(value: Decimal | None) -> str:
    return "—" if value is None else f"{value * 100:.2f}%"


def ledger_workbook(tickets: Iterable[Ticket], *, scope: str) -> bytes:
    columns = ["工单编号", "登记日期", "来源", "类别", "诉求人", "联系电话", "标题", "责任管理部", "责任人", "状态",
               "答复期限", "首次答复日期", "按时", "满意度", "办理轮次"]
    book, sheet = workbook_start("投诉台账", [("范围", scope), ("导出时间", now_text())], columns,
                                 [20, 12, 10, 8, 10, 14, 30, 14, 10, 8, 12, 12, 6, 10, 8])
    for t in tickets:
        on_time = "" if t.first_replied_on is None else ("是" if t.first_replied_on <= t.first_due_on else "否")
        append_row(sheet, [t.number, t.registered_on, t.get_channel_display(), t.get_category_display(), t.name,
                           t.phone, t.subject, t.branch.name if t.branch else "未转办",
                           str(t.responsible) if t.responsible else "", t.get_state_display(), t.first_due_on,
                           t.first_replied_on, on_time, t.get_satisfaction_display(), t.rounds])
    return workbook_bytes(book)


def rates_workbook(rates: dict[str, Any], *, start: date, end: date, scope: str) -> bytes:
    columns = ["月份", "责任管理部", "受理量", "已答复", "答复率", "按时答复", "超期", "按时率", "投诉", "已评价", "满意率"]
    book, sheet = workbook_start("投诉台账答复率", [("登记日期", f"{start} 至 {end}"), ("范围", scope),
                                                ("导出时间", now_text())], columns,
                                 [10, 14, 8, 8, 10, 10, 8, 10, 8, 8, 10])
    for row in [*rates["rows"], *({**m, "branch": "合计"} for m in rates["months"])]:
        append_row(sheet, [f"{row['month']:%Y-%m}", row["branch"], row["registered"], row["replied"],
                           _percent(row["reply_rate"]), row["on_time"], row["overdue"], _percent(row["on_time_rate"]),
                           row["complaints"], row["rated"], _percent(row["satisfied_rate"])])
    return workbook_bytes(book)
