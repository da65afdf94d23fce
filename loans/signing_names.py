"""The Chinese names of the audit codes that signing and mortgage write."""

from fund.audit.actions import register_actions, register_audit_keys, register_audit_values


def register_signing_names() -> None:
    register_actions({
        "loans": "贷款",
        "loans.application.signed": "贷款合同面签", "loans.application.mortgaged": "贷款抵押登记",
        "loans.loan.signed": "签订借款合同", "loans.loan.mortgaged": "办理抵押/预抵押登记",
        "loans.loan.mortgage_converted": "预抵押转抵押",
    })
    register_audit_keys({
        "contract_number": "借款合同编号", "iou_number": "借据号", "principal": "贷款金额", "rate": "年利率",
        "term_months": "贷款期限（月）", "repayment_day": "每月还款日", "signed_branch": "面签窗口",
        "credit_reports": "征信报告", "credit_call_ids": "征信查询记录", "mortgage_kind": "抵押类型",
        "mortgage_number": "不动产登记证明号", "mortgage_registered_at": "抵押登记时间",
        "purchase_contract": "购房合同/网签备案号", "loan": "贷款", "bank": "受托银行", "method": "还款方式",
        "property_call_id": "不动产登记查询记录", "quota": "可贷额度",
    })
    from fund.integrations.models import MortgageKind

    from .models import ApplicationState, RepaymentMethod

    register_audit_values("mortgage_kind", MortgageKind, prefix="loans")
    register_audit_values("method", RepaymentMethod, prefix="loans")
    register_audit_values("state", ApplicationState, prefix="loans.application")
