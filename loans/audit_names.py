"""The Chinese names of everything the loans line writes to the audit trail and shows as evidence: action codes,
keys, coded values and the periodic job (fund.audit.actions, fund.audit.schedules). `LoansConfig.ready` calls
`register_loan_audit_names` once."""

from fund.audit.actions import register_actions, register_audit_keys, register_audit_values
from fund.audit.schedules import register_task_names


def register_loan_audit_names() -> None:
    # Developer registration and project admission (楼盘准入)
    from .models import ConstructionState, InspectionResult, ProjectState, RegistrationState

    register_actions({
        "loans": "贷款",
        "loans.developer_registration.submitted": "提交开发企业注册申请",
        "loans.developer_registration.approved": "开发企业注册通过",
        "loans.developer_registration.refused": "开发企业注册未通过",
        "loans.developer.registered": "登记开发企业",
        "loans.project.registered": "登记楼盘", "loans.project.building_added": "登记楼栋",
        "loans.project.inspected": "楼盘实地查验", "loans.project.admitted": "楼盘准入",
        "loans.project.refused": "楼盘不予准入", "loans.project.suspended": "暂停楼盘准入",
        "loans.project.resumed": "恢复楼盘准入", "loans.project.construction_changed": "变更楼盘建设状态",
    })
    register_audit_values("state", ProjectState, prefix="loans.project")
    register_audit_values("state", RegistrationState, prefix="loans.developer_registration")
    register_audit_values("construction", ConstructionState, prefix="loans.project")
    register_audit_values("result", InspectionResult, prefix="loans.project")
    register_audit_keys({
        "repayment_card": "还款账号", "card_call_id": "银行账户核验调用记录",
        "state_reason": "原因", "buildings": "楼栋数", "inspected_on": "查验日期", "inspector": "查验人",
        "result": "查验结论", "construction": "建设状态", "floors": "层数", "homes": "套数", "number": "编号",
        "opinion": "审核意见", "developer": "开发企业", "operator": "经办人", "credit_code": "统一社会信用代码",
        "username": "登录用户名", "name": "名称",
    })

    # The nightly close's bank debit (批量扣款)
    from .models import BatchState

    register_actions({"loans.collection_batch.sent": "批量扣款发送银行",
                      "loans.collection_batch.applied": "批量扣款结果入账"})
    register_audit_values("state", BatchState, prefix="loans.collection_batch")
    register_audit_keys({"paid_count": "扣款成功笔数", "failed_count": "扣款失败笔数"})

    # Signing and mortgage (合同面签、抵押)
    register_actions({
        "loans.application.signed": "贷款合同面签", "loans.application.mortgaged": "贷款抵押登记",
        "loans.loan.signed": "签订借款合同", "loans.loan.card_changed": "变更还款账号", "loans.loan.mortgaged": "办理抵押/预抵押登记",
        "loans.loan.mortgage_converted": "预抵押转抵押",
    })
    register_audit_keys({
        "contract_number": "借款合同编号", "iou_number": "借据号", "principal": "贷款金额", "rate": "年利率",
        "term_months": "贷款期限（月）", "repayment_day": "每月还款日", "signed_branch": "面签窗口",
        "credit_reports": "征信报告", "credit_call_ids": "征信查询记录", "mortgage_kind": "抵押类型",
        "mortgage_number": "不动产登记证明号", "mortgage_registered_at": "抵押登记时间",
        "purchase_contract": "购房合同/网签备案号", "bank": "受托银行", "method": "还款方式",
        "property_call_id": "不动产登记查询记录", "quota": "可贷额度",
    })
    from fund.integrations.models import MortgageKind

    from .models import ApplicationState, RepaymentMethod

    register_audit_values("mortgage_kind", MortgageKind, prefix="loans")
    register_audit_values("method", RepaymentMethod, prefix="loans")
    register_audit_values("state", ApplicationState, prefix="loans.application")

    # Disbursement (放款), the IOU's delivery and the queue's periodic job
    from .models import DisbursementState, IouDelivery, LoanStatus, PayeeKind

    register_actions({
        "loans.disbursement.noticed": "出具放款通知", "loans.disbursement.queued": "放款轮候",
        "loans.disbursement.paying": "放款付款指令", "loans.disbursement.paid": "贷款已发放",
        "loans.disbursement.refused": "放款付款失败", "loans.loan.activated": "贷款转入还款",
        "loans.application.disbursing": "贷款放款中", "loans.application.disbursed": "贷款已放款",
        "loans.loan.iou_delivered": "借据交付", "loans.loan.closed": "贷款结清",
    })
    register_audit_values("state", DisbursementState, prefix="loans.disbursement")
    register_audit_values("status", LoanStatus, prefix="loans.loan")
    register_audit_values("iou_delivery", IouDelivery)
    register_audit_values("payee_kind", PayeeKind)
    register_audit_keys({
        "disbursement": "放款通知书编号", "loan": "借款合同编号", "payee_kind": "收款账户类型",
        "iou_delivery": "借据交付方式", "recipient": "领取人/收件人", "tracking": "邮寄单号",
        "disbursed_on": "放款日期", "first_due_on": "首次还款日", "maturity_on": "到期日", "available": "可用资金",
        "ahead": "前有轮候", "document": "放款通知书",
    })
    register_task_names({"loans.disbursement_queue_drain": "贷款轮候放款"})

    # The evidence of the eligibility verdicts and the quota detail; keys other lines name already (account, months,
    # loans, id_number, call_id, credit_call_id) keep their names
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

    # 贴息 refunds (loans.services.subsidy) and the re-pricing texts' task
    from .models import SubsidyState

    register_actions({
        "loans.subsidy.created": "生成贴息退付", "loans.subsidy.paid": "贴息已支付",
        "loans.subsidy.refused": "贴息付款被拒",
    })
    register_audit_values("state", SubsidyState, prefix="loans.subsidy")
    register_audit_keys({"interest_paid": "年度已还利息", "subsidy_ratio": "贴息比例"})
    # Repayment now (counter, personal hall) and 自愿扣划 agreements (H3)
    register_actions({
        "loans.repayment.posted": "贷款还款", "loans.agreement.signed": "签订自愿扣划协议",
        "loans.agreement.ended": "终止自愿扣划协议",
    })
    register_audit_keys({"from_fund": "公积金账户支付", "from_card": "银行卡支付", "position": "扣划顺序"})
    from .models import RepaymentChannel

    register_audit_values("channel", RepaymentChannel, prefix="loans.repayment")

    # Prepayment (提前还款), payoff and the mortgage release (注销抵押)
    register_actions({
        "loans.loan.prepaid": "提前还款", "loans.loan.mortgage_released": "注销抵押登记",
        "loans.loan.release_failed": "注销抵押未办成", "loans.loan.prepay_unposted": "提前还款已扣款未入账（待退回）",
    })
    register_audit_values("mode", {"term": "缩短期限", "payment": "减少月供", "full": "提前结清"},
                          prefix="loans.loan.prepaid")
    register_audit_keys({
        "repayment": "还款流水号", "mode": "提前还款方式", "prepaid_principal": "提前归还本金",
        "from_fund": "公积金账户支付", "from_card": "银行卡支付", "new_payment": "新月还款额",
        "new_last_number": "新的最后期次", "released_at": "注销时间", "closed_on": "结清日期",
        "property_call_id": "不动产登记调用记录", "mortgage_number": "不动产登记证明号",
        "bank_reference": "银行业务编号",
    })
