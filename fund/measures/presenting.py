"""The report's figures as people read them, for the page (the Excel and the API carry the numbers)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from .charts import LineChart, line_chart, minutes_text, number_text, percent_text
from .registry import MeasureSource
from .selectors import Figures, Report


def figure_texts(f: Figures) -> dict[str, Any]:
    return {
        "applications": f.applications, "finished": f.finished, "refused": f.refused,
        "online_rate": percent_text(f.online_rate), "instant_rate": percent_text(f.instant_rate),
        "on_the_spot_rate": percent_text(f.on_the_spot_rate), "window": f.window,
        "visits": number_text(f.visits_per_application), "median": minutes_text(f.median_minutes),
        "pages": f.pages, "pages_per": number_text(f.pages_per_application),
        "counts_text": f"办结 {f.finished} 件 · 不予办理 {f.refused} 件", "pages_text": f"共 {f.pages} 页",
    }


def source_text(source: MeasureSource, value: Decimal | None) -> str:
    return percent_text(value, source.percent_places)


def _source_format(source: MeasureSource) -> Callable[[Decimal], str]:
    return lambda value: source_text(source, value)


def report_charts(report: Report) -> list[LineChart]:
    months = [r.month for r in report.months]
    figures = [r.figures for r in report.months]
    charts = [
        line_chart("网办率、秒批率、当场办结率（%）", months, [
            ("网办率", [f.online_rate for f in figures]), ("秒批率", [f.instant_rate for f in figures]),
            ("当场办结率", [f.on_the_spot_rate for f in figures])], lambda v: percent_text(v, 0), high=Decimal(1)),
        line_chart("跑动次数（次/件）", months, [("跑动次数", [f.visits_per_application for f in figures])],
                   lambda v: number_text(v)),
        line_chart("办结时长中位数（受理→办结）", months, [("办结时长", [f.median_minutes for f in figures])], minutes_text),
        line_chart("纸质材料（页/件）", months, [("纸质材料", [f.pages_per_application for f in figures])],
                   lambda v: number_text(v)),
        line_chart("申请件数", months, [("申请", [Decimal(f.applications) for f in figures]),
                                     ("办结", [Decimal(f.finished) for f in figures])], lambda v: f"{v:.0f}"),
    ]
    for source in report.sources:
        charts.append(line_chart(f"{source.label}（月末）", months, [(source.label, [r.sources.get(source.code)
                                                                                for r in report.months])],
                                 _source_format(source)))
    return [c for c in charts if c is not None]


def report_context(report: Report) -> dict[str, Any]:
    return {
        "report": report,
        "overall": figure_texts(report.overall),
        "charts": report_charts(report),
        "months": [{"month": r.month, **figure_texts(r.figures),
                    "sources": [source_text(s, r.sources.get(s.code)) for s in report.sources]} for r in report.months],
        "items": [{"code": r.code, "name": r.name, **figure_texts(r.figures)} for r in report.by_item],
        "branches": [{"name": r.name, **figure_texts(r.figures),
                      "sources": [source_text(s, r.sources.get(s.code)) for s in report.sources]}
                     for r in report.by_branch],
        "sources": [{"label": s.label, "note": s.note, "value": source_text(s, report.period_sources.get(s.code))}
                    for s in report.sources],
    }
