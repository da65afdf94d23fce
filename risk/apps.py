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

        self._ready_rings()

    def _ready_rings(self) -> None:
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
