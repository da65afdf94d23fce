"""The Chinese names of the audit codes and the periodic job of disbursement (放款) and the IOU's delivery."""

from fund.audit.actions import register_actions, register_audit_keys, register_audit_values
from fund.audit.schedules import register_task_names


def register_disbursement_names() -> None:
    from .models import DisbursementState, IouDelivery, LoanStatus, PayeeKind

    register_actions({
        "loans": "贷款",
        "loans.disbursement.noticed": "出具放款通知", "loans.disbursement.queued": "放款轮候",
        "loans.disbursement.paying": "放款付款指令", "loans.disbursement.paid": "贷款已发放",
        "loans.disbursement.refused": "放款付款失败", "loans.loan.activated": "贷款转入还款",
        "loans.application.disbursing": "贷款放款中", "loans.application.disbursed": "贷款已放款",
        "loans.loan.iou_delivered": "借据交付",
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
