"""The Chinese names of the audit codes the withdrawals line writes."""

from fund.audit.actions import register_actions, register_audit_keys, register_audit_values


def register_audit_names() -> None:
    from .models import StandingState, WithdrawalState

    register_actions({
        "withdrawals": "提取",
        "withdrawals.submitted": "提交提取申请", "withdrawals.to_review": "转人工审核",
        "withdrawals.reviewed": "提取初审通过", "withdrawals.approved": "提取审批通过",
        "withdrawals.paid": "提取款已到账", "withdrawals.payout_failed": "提取付款失败",
        "withdrawals.payee_changed": "更改收款账户", "withdrawals.cancelled": "撤回提取申请",
        "withdrawals.rejected": "提取申请未通过",
        "withdrawals.standing.signed": "签订逐月提取协议", "withdrawals.standing.run": "逐月提取划款",
        "withdrawals.standing.ended": "终止逐月提取协议",
    })
    # A withdrawal's details (shown in the admin) hold each reason's own inputs: named as on the form.
    from .reasons import REASONS

    for reason in REASONS.values():
        register_audit_keys({i.name: i.label for i in reason.inputs})
        for i in reason.inputs:
            if i.choices:
                register_audit_values(i.name, dict(i.choices))
    register_audit_values("state", WithdrawalState, prefix="withdrawals")
    register_audit_values("state", StandingState, prefix="withdrawals.standing")
    register_audit_keys({
        "reason_code": "提取原因", "payee": "收款人", "bank_serial": "银行流水号", "day": "日", "details": "明细",
        "finished_at": "完成时间", "home_place": "住房所在地", "loan": "贷款", "made": "已划款", "monthly": "月划款额",
        "payee_card": "收款卡号", "retry_after": "重试时间", "settle_entry": "结算凭证", "skipped": "跳过",
    })
