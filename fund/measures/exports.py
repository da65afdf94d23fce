"""服务效能 as an Excel workbook: the trend by month, the tables by item and by branch, and every item × branch ×
month row, the rates as fractions formatted as percentages (so they sum and chart in Excel)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet.worksheet import Worksheet

from fund.exports import cell, now_text, workbook_bytes, workbook_start

from .selectors import Figures, Report

FIGURE_COLUMNS = ["申请件数", "办结件数", "不予办理件数", "网办率", "秒批率", "窗口申请件数", "当场办结率",
                  "跑动次数（次/件）", "办结时长中位数（分钟）", "纸质材料（页）", "纸质材料（页/件）"]
PERCENT = "0.00%"


def _percent(sheet: Worksheet, value: Decimal | None, places: str = PERCENT) -> WriteOnlyCell | None:
    if value is None:
        return None
    out = cell(sheet, value)
    out.number_format = places
    return out


def _figures(sheet: Worksheet, f: Figures) -> list[Any]:
    return [f.applications, f.finished, f.refused, _percent(sheet, f.online_rate), _percent(sheet, f.instant_rate),
            f.window, _percent(sheet, f.on_the_spot_rate), f.visits_per_application, f.median_minutes, f.pages,
            f.pages_per_application]


def _head(sheet: Worksheet, columns: list[str]) -> None:
    sheet.append([cell(sheet, c, head=True) for c in columns])


def measures_workbook(report: Report, *, branch_label: str, item_label: str) -> bytes:
    header = [
        ("统计期间", f"{report.start:%Y-%m} 至 {report.end:%Y-%m}（按申请提交时间，北京时间）"),
        ("管理部", branch_label), ("事项", item_label),
        ("口径", "网办率、秒批率=网上（含跨省通办）申请或秒批件数÷申请件数；当场办结率=当场办结件数÷窗口申请件数；"
                 "办结时长为已办结件自受理至办结的中位数"),
        ("导出时间", now_text()), ("出具单位", settings.FUND_CENTRE_NAME),
    ]
    sources = report.sources
    book, sheet = workbook_start("服务效能（按月）", header, ["年月", *FIGURE_COLUMNS, *[s.label for s in sources]],
                                 [10] + [12] * (len(FIGURE_COLUMNS) + len(sources)))
    for row in report.months:
        places = [f"0.{'0' * s.percent_places}%" for s in sources]
        sheet.append([f"{row.month:%Y-%m}", *_figures(sheet, row.figures),
                      *[_percent(sheet, row.sources.get(s.code), p) for s, p in zip(sources, places, strict=True)]])
    sheet.append([cell(sheet, "合计"), *_figures(sheet, report.overall)])

    items = book.create_sheet("按事项")
    _head(items, ["事项编码", "事项名称", *FIGURE_COLUMNS])
    for item in report.by_item:
        items.append([item.code, item.name, *_figures(items, item.figures)])

    branches = book.create_sheet("按管理部")
    _head(branches, ["管理部", *FIGURE_COLUMNS, *[f"{s.label}（{report.end:%Y-%m}）" for s in sources]])
    for branch in report.by_branch:
        branches.append([branch.name, *_figures(branches, branch.figures),
                         *[_percent(branches, branch.sources.get(s.code), f"0.{'0' * s.percent_places}%")
                           for s in sources]])

    detail = book.create_sheet("明细")
    _head(detail, ["年月", "事项编码", "事项名称", "管理部", *FIGURE_COLUMNS])
    for r in report.rows:
        detail.append([f"{r.month:%Y-%m}", r.item_code, r.item_name, r.branch_name, *_figures(detail, r.figures)])
    return workbook_bytes(book)
