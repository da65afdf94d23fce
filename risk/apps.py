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
        register_dormant()


def register_dormant() -> None:
    """Dormant accounts (呆滞账户): the campaign's audit codes and close step 160 that follows it up."""
    from fund.audit.actions import register_actions, register_audit_values
    from fund.close.registry import register_close_step

    from .models import DormantOutcome
    from .services.dormant import dormant_step

    register_actions({"risk.dormant.started": "发起呆滞账户清理", "risk.dormant.reached": "呆滞账户已联系",
                      "risk.dormant.not_found": "呆滞账户查无此人", "risk.dormant.withdrawn": "呆滞账户已提取",
                      "risk.dormant.transferred": "呆滞账户已转移"})
    register_audit_values("outcome", DormantOutcome, prefix="risk.dormant")
    register_close_step("risk.dormant", label="呆滞账户清理跟踪", order=160, run=dormant_step)
