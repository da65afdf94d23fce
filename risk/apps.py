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

        from .screening import (  # noqa: F401  (register the fraud checks)
            fraud_accounts,
            fraud_history,
            fraud_homes,
            fraud_medical,
            fraud_purchases,
        )
        from .services import blacklist  # noqa: F401  (registers the lifting approval flow)
