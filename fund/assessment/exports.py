"""The month's assessment as an Excel workbook (fund.exports): one row per person, every figure and term, the
score and how it was reached."""

from __future__ import annotations

from fund.exports import append_row, now_text, workbook_bytes, workbook_start

from .selectors import Assessment


def assessment_workbook(assessment: Assessment) -> bytes:
    sources = assessment.sources
    columns = ["姓名", "管理部", "办理环节", "处理时长中位数（分钟）", "按时办结率", "超时环节", "补正退回",
               *(s.label for s in sources), "评价数", "平均星级", "好评", "差评", "得分", "得分构成"]
    book, sheet = workbook_start(
        f"窗口考核 {assessment.month:%Y-%m}",
        [("考核月份", f"{assessment.month:%Y-%m}"), ("范围", assessment.branch.name if assessment.branch else assessment.scope.label),
         ("权重", f"{assessment.weights.effective_from:%Y-%m} 起生效，基础分 {assessment.weights.base}"), ("导出时间", now_text())],
        columns, [10, 14, 10, 18, 12, 10, 10, *([10] * len(sources)), 8, 10, 8, 8, 10, 60],
    )
    for row in assessment.rows:
        append_row(sheet, [
            row.name, row.branch, row.steps, float(row.median_minutes) if row.median_minutes is not None else None,
            row.on_time_pct, row.late, row.returns, *(row.sources.get(s.code, 0) for s in sources), row.ratings,
            float(row.rating_avg) if row.rating_avg is not None else None, row.good, row.bad, float(row.score),
            row.explanation,
        ])
    return workbook_bytes(book)
