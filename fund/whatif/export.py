"""A what-if's Excel: the draft values and the counts at the top, the money per month, then every changed
application."""

from fund.exports import append_row, now_text, workbook_bytes, workbook_start

from .models import WhatIfRun
from .selectors import decision_label, draft_values, whatif_changes, whatif_summary

COLUMNS = ["业务", "业务编号", "申请人", "审批月份", "原结果", "原金额", "模拟结果", "模拟金额", "变化原因"]


def whatif_workbook(run: WhatIfRun) -> bytes:
    summary = whatif_summary(run)
    header = [("模拟编号", run.number), ("重放期间", f"{run.period_start:%Y-%m-%d} 至 {run.period_end:%Y-%m-%d}"),
              *((f"模拟值：{v.label}", f"{v.draft}（现行 {v.current}）") for v in draft_values(run)),
              *((f"{x.label}", f"重放 {x.replayed} 笔，结果变化 {x.changed} 笔（批准→不予办理 {x.to_refused}，"
                 f"不予办理→批准 {x.to_approved}，金额变化 {x.amount_changed}）") for x in summary.lines),
              *((f"{m.month:%Y年%m月}资金", f"原 {m.old_moved:,.2f} 元，模拟 {m.new_moved:,.2f} 元，差额 {m.difference:,.2f} 元")
                for m in summary.months),
              ("导出时间", now_text())]
    labels = {x.code: x.label for x in summary.lines}
    book, sheet = workbook_start("政策调整模拟", header, COLUMNS, [14, 22, 28, 10, 10, 16, 10, 16, 60])
    for r in whatif_changes(run).iterator(chunk_size=2000):
        append_row(sheet, [labels.get(r.replayer, r.replayer), r.number, r.applicant, f"{r.month:%Y-%m}",
                           decision_label(r.old_decision), r.old_amount, decision_label(r.new_decision), r.new_amount,
                           r.note], money_columns=frozenset({5, 7}))
    return workbook_bytes(book)
