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

        from .services import blacklist  # noqa: F401  (registers the lifting approval flow)
        register_rates_close_steps()
