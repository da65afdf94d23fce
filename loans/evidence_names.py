"""Chinese names of the evidence keys the eligibility verdicts and the quota detail keep (fund.audit.actions), so a
page that shows an application's checks reads them in words. Keys other lines name already (account, months,
loans, id_number, call_id, credit_call_id) keep their names."""

from fund.audit.actions import register_audit_keys

register_audit_keys({
    "through": "缴存至", "required": "须缴存月数",
    "applications": "在办贷款申请", "credit_call_ids": "征信查询记录",
    "fund_loans_on_credit_reports": "征信报告中的公积金贷款", "blacklist_entries": "黑名单记录",
    "blacklist_entry": "黑名单记录", "checked": "已核验人员",
    "window_months": "核查月数", "longest_overdue_run": "最长连续逾期月数", "overdue_months": "累计逾期月数",
    "project": "楼盘", "project_state": "楼盘准入状态", "construction": "建设状态",
    "property_call_ids": "不动产查询记录", "certificates": "不动产权证号", "max_home_order": "可贷款住房套数上限",
    "switched_off": "已按政策停用的条件", "monthly_income": "家庭月收入",
    "income_limit": "贴息收入上限", "credit": "征信报告",
})
