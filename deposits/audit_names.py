"""The Chinese names of the audit codes the deposits line writes (shown on 审计日志 and the staff home)."""

from fund.audit.actions import register_actions, register_audit_keys, register_audit_values


def register_audit_names() -> None:
    from .models.accounts import MemberState, UnitState
    from .models.base_adjustment import BatchState
    from .models.interest import InterestRunState
    from .models.lifecycle import ApplicationState, BackPayState
    from .models.opening import OpeningRequestState
    from .models.remittance import BillState, RefundState

    register_actions({
        "deposits": "归集",
        "deposits.application.approved": "业务申请审批通过", "deposits.application.backpay_settled": "补缴结清",
        "deposits.application.ended": "业务申请办结", "deposits.application.rejected": "业务申请退回",
        "deposits.application.reviewed": "业务申请初审通过", "deposits.application.started": "业务申请受理",
        "deposits.application.submitted": "业务申请提交", "deposits.application.withdrawn": "业务申请撤回",
        "deposits.arrears.remind_failed": "欠缴催缴发送失败", "deposits.arrears.reminded": "欠缴催缴",
        "deposits.base_batch": "调基名单", "deposits.base_batch.queued": "调基名单待校验",
        "deposits.base_batch.rejected": "调基名单未通过校验",
        "deposits.base_template.downloaded": "下载调基模板", "deposits.bill.generated": "生成缴存核定单",
        "deposits.bill.confirmed": "确认缴存核定单", "deposits.bill.cancelled": "作废缴存核定单",
        "deposits.bill.paid": "缴存核定单到账", "deposits.correction.recorded": "登记错缴更正",
        "deposits.correction.refund_failed": "错缴退款失败", "deposits.correction.refunded": "错缴退款",
        "deposits.deposit.reversed": "冲正缴存", "deposits.interest.done": "结息完成",
        "deposits.interest.requeued": "结息重新排队", "deposits.interest.resumed": "结息续办",
        "deposits.interest.started": "开始年度结息", "deposits.member.base_adjusted": "调整缴存基数",
        "deposits.member.changed": "职工信息变更", "deposits.member.deposited": "职工缴存入账",
        "deposits.member.frozen": "冻结个人账户", "deposits.member.closed_by_withdrawal": "提取销户",
        "deposits.member.reopened_after_refused_payout": "销户提取付款失败恢复账户", "deposits.member.merged": "合并个人账户",
        "deposits.member.opened": "职工开户", "deposits.member.sealed": "封存个人账户",
        "deposits.member.unfrozen": "解冻个人账户", "deposits.member.unsealed": "启封个人账户",
        "deposits.member.transferred": "职工内部转移", "deposits.member.transferred_out": "外部转出销户",
        "deposits.member.voluntary_opened": "灵活就业人员开户",
        "deposits.roster.exported": "导出单位职工名册", "deposits.transfer.status_changed": "转移接续状态变更",
        "deposits.transfer_in.applied": "申请转入", "deposits.transfer_in.posted": "转入资金入账",
        "deposits.transfer_out.executed": "办理转出", "deposits.transfer_out.letter_received": "收到转出联系函",
        "deposits.transfer_out.paid": "转出资金已付", "deposits.transfer_out.payout_failed": "转出付款失败",
        "deposits.transfer_out.payout_retried": "转出付款重试", "deposits.transfer_out.refused": "拒绝转出",
        "deposits.unit.changed": "单位信息变更", "deposits.unit.closed": "单位销户",
        "deposits.unit.deferral_ended": "缓缴结束", "deposits.unit.deferred": "单位缓缴",
        "deposits.unit.opened": "单位开户", "deposits.unit.ratio_reduced": "降低缴存比例",
        "deposits.unit.ratio_restored": "恢复缴存比例", "deposits.unit.sealed": "单位封存",
        "deposits.unit.unsealed": "单位启封", "deposits.unit_request.approved": "单位开户申请通过",
        "deposits.unit_request.rejected": "单位开户申请退回", "deposits.unit_request.submitted": "单位开户申请提交",
        "deposits.unopened.notified": "提醒未开户单位",
    })
    register_actions({f"deposits.base_batch.{value}": f"调基名单{label}" for value, label in BatchState.choices})
    for prefix, choices in (
        ("deposits.member", MemberState), ("deposits.unit", UnitState), ("deposits.base_batch", BatchState),
        ("deposits.interest", InterestRunState), ("deposits.application", ApplicationState),
        ("deposits.unit_request", OpeningRequestState), ("deposits.bill", BillState),
    ):
        register_audit_values("state", choices, prefix=prefix)
    register_audit_values("backpay_state", BackPayState)
    register_audit_values("refund_state", RefundState)
    register_audit_keys({
        "ratio": "缴存比例", "months": "月数", "members": "职工人数", "accounts": "账户", "bank_reference": "银行业务编号",
        "contact": "联系人", "effective_month": "生效年月", "end_month": "截止年月", "first_month": "起缴年月",
        "insured": "参保人数", "message_id": "消息编号", "months_owed": "欠缴月数", "operator": "经办人",
        "period_end": "截止日期", "period_start": "起始日期", "rows_total": "总行数", "sha256": "文件校验值",
        "stored": "已保存", "start_month": "起始年月",
    })
