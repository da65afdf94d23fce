from django.apps import AppConfig


def register_rates_close_steps() -> None:
    """The five-tier classification, the overdue rate series and the warnings: steps of the nightly close after
    the loans' counters (risk.services.rates, risk.services.warnings)."""
    from fund.close.registry import register_close_step

    from .services.rates import classification_step, overdue_rate_step
    from .services.warnings import warnings_step

    register_close_step("risk.classification", label="贷款五级分类", order=110, run=classification_step)
    register_close_step("risk.overdue_rate", label="个贷逾期率", order=120, run=overdue_rate_step)
    register_close_step("risk.warnings", label="征信告知与贷后停缴预警", order=130, run=warnings_step)


class RiskConfig(AppConfig):
    name = "risk"
    verbose_name = "风险防控"

    def ready(self) -> None:
        from fund.audit.actions import register_actions, register_audit_values

        from . import nav  # noqa: F401
        from .models import EntryState

        register_actions({"risk": "风险防控", "risk.blacklist.added": "列入失信名单", "risk.blacklist.lifted": "移出失信名单",
                          "risk.blacklist.lift_requested": "申请移出失信名单"})
        register_audit_values("state", EntryState, prefix="risk")

        from .screening import (  # noqa: F401  (register the fraud checks)
            fraud_accounts,
            fraud_history,
            fraud_homes,
            fraud_medical,
            fraud_purchases,
        )
        from .services import blacklist  # noqa: F401  (registers the lifting approval flow)

        register_overdue_ledger()
        register_dormant()
        register_rates_close_steps()
        register_rings()
        register_screening()
        from . import (
            assessment,  # noqa: F401  (registers confirmed audit hits as a source of 窗口考核)
            measures,  # noqa: F401  (the overdue rate as a measure of 服务效能, fund.measures)
        )


def register_overdue_ledger() -> None:
    """The overdue ledger (逾期台账): its close step after the loans' counters, its notice PDF, audit names."""
    from fund.audit.actions import register_actions, register_audit_keys, register_audit_values
    from fund.close.registry import register_close_step

    from . import overdue_pdf  # noqa: F401
    from .models import Channel
    from .services.overdue import overdue_ledger_step

    register_actions({"risk.overdue.contacted": "登记催收记录", "risk.overdue.reassigned": "调整清收责任人",
                      "risk.overdue.cleared": "逾期台账销号", "risk.overdue.escalated": "催收阶段升级"})
    register_audit_keys({"channel": "联系方式", "contacted_on": "联系日期", "promise_on": "承诺还款日期",
                         "tasks_done": "完成的催收任务", "collector": "清收责任人"})
    register_audit_values("channel", Channel, prefix="risk.overdue")
    register_close_step("risk.overdue_ledger", label="逾期台账与催收", order=100, run=overdue_ledger_step)



def register_dormant() -> None:
    """Dormant accounts (呆滞账户): the campaign's audit codes and close step 160 that follows it up."""
    from fund.audit.actions import register_actions, register_audit_keys, register_audit_values
    from fund.close.registry import register_close_step

    from .models import DormantOutcome
    from .services.dormant import dormant_step

    register_actions({"risk.dormant.started": "发起呆滞账户清理", "risk.dormant.reached": "呆滞账户已联系",
                      "risk.dormant.not_found": "呆滞账户查无此人", "risk.dormant.withdrawn": "呆滞账户已提取",
                      "risk.dormant.transferred": "呆滞账户已转移"})
    register_audit_values("outcome", DormantOutcome, prefix="risk.dormant")
    register_audit_keys({"started_on": "发起日期", "ends_on": "截止日期", "cutoff": "封存截止日", "years": "封存年限",
                         "listed": "列入账户数", "notified": "已发短信", "no_phone": "无联系方式"})
    register_close_step("risk.dormant", label="呆滞账户清理跟踪", order=160, run=dormant_step)


def register_rings() -> None:
    """The link graph (item 6): its close step, audit names and statuses."""
    from fund.audit.actions import register_actions, register_audit_values
    from fund.close.registry import register_close_step

    from .models import RingState, RunState
    from .services.rings import link_graph_step

    register_close_step("risk.link_graph", label="关联图谱与疑似团伙", order=150, run=link_graph_step)
    register_actions({"risk.ring.closed": "疑似团伙已消失", "risk.ring.reopened": "疑似团伙再次出现",
                      "risk.ring.noted": "填写团伙核查备注", "risk.rings.run_started": "开始计算关联图谱",
                      "risk.rings.run_done": "关联图谱计算完成", "risk.rings.run_failed": "关联图谱计算失败"})
    register_audit_values("state", RingState, prefix="risk.ring")
    register_audit_values("state", RunState, prefix="risk.rings")


def register_screening() -> None:
    """The electronic audit: its checks, the on-commit screening, the nightly sweep, the payment gate."""
    from django.db.models.signals import post_migrate

    from fund.audit.actions import register_actions, register_audit_keys, register_audit_values
    from fund.audit.listeners import register_audit_listener
    from fund.close.registry import register_close_step
    from fund.payments.gates import register_payment_gate

    from .models import HitState
    from .screening import audit_checks  # noqa: F401  (registers the audit checks)
    from .services import screening

    register_actions({
        "risk.screening": "电子稽核", "risk.screening.rule_added": "新增稽核规则",
        "risk.screening.rule_switched": "启停稽核规则", "risk.hit": "稽核疑点", "risk.hit.confirmed": "确认稽核疑点",
        "risk.hit.dismissed": "排除稽核疑点", "risk.hit.rectifying": "下发整改", "risk.hit.rectified": "登记整改完成",
    })
    register_audit_keys({"check": "检查项", "effective_until": "停用日期", "enabled": "启用", "level": "风险等级",
                         "params": "参数", "opinion": "稽核意见", "request": "整改要求", "due": "整改期限",
                         "rectification": "整改情况", "bank_card": "银行卡号"})
    register_audit_values("state", HitState, prefix="risk.hit")
    # The names of the evidence the checks store, for the hit page (risk.views.screening.evidence_rows).
    register_audit_keys({
        "approved_amount": "核准金额", "approved_at": "审批时间", "approved_by": "审批人", "approved_event": "审批日志编号",
        "at": "时间", "binding": "绑定", "changed_at": "变更时间", "changed_by": "变更人", "changed_event": "变更日志编号",
        "changes": "变更次数", "days": "天数", "dimension": "集中维度", "earlier": "此前业务", "field": "字段",
        "home_key": "房屋标识", "home_place": "房屋坐落", "invoice_problem": "发票问题",
        "marriage_call_id": "婚姻登记查询编号", "matched_on": "相同项", "max": "上限", "max_price": "价格上限",
        "medical": "病案信息", "member_name": "职工姓名", "min": "下限", "other": "关联业务",
        "other_decided_on": "关联业务审批日期", "other_name": "关联业务申请人", "payee_name": "收款人",
        "problem": "问题", "relation": "关系", "role": "岗位", "rule": "规则结论", "set_by": "设置人",
        "set_on": "设置日期", "transfer": "转入业务", "transfer_on": "转入日期", "owner_differs": "产权人不一致",
        "tax_call_id": "税务查询编号", "tax_reference": "税务查询参考",
    })
    register_audit_listener("risk.screening", screening.SCREENED_ACTIONS, screening.screening_listener)
    register_payment_gate("risk.redline", screening.payment_gate)
    from fund.audit.schedules import register_task_names

    register_task_names({"risk.screen_subject": "电子稽核筛查业务"})
    register_close_step("risk.screening", label="电子稽核日终筛查", order=140, run=screening.screening_sweep)
    post_migrate.connect(_sync_rules, dispatch_uid="risk.screening.rules_sync")


def _sync_rules(sender: object, **kwargs: object) -> None:
    """After migrate (and a test flush): one default rule per registered check."""
    if getattr(sender, "label", "") != "risk":
        return
    from .services.screening import rules_sync

    rules_sync()
