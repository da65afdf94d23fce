from django.apps import AppConfig


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

        from .services import blacklist  # noqa: F401  (registers the lifting approval flow)

        self._ready_screening()

    def _ready_screening(self) -> None:
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
