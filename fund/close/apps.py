from django.apps import AppConfig


class CloseConfig(AppConfig):
    name = "fund.close"
    label = "close"
    verbose_name = "日终处理"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from fund.audit.actions import register_actions, register_audit_keys, register_audit_values
        from fund.audit.schedules import register_task_names
        from fund.batches import register_batch
        from fund.portals.nav import MANAGEMENT, register_nav

        from .models import CloseRunState
        from .selectors import close_may_view
        from .services import close_run_requeue, close_runs_stalled

        register_actions({
            "close": "日终处理",
            "close.run.started": "开始日终",
            "close.run.resumed": "继续日终",
            "close.run.done": "日终完成",
            "close.run.failed": "日终失败",
            "close.run.queued": "发起日终处理",
            "close.run.requeued": "日终中断后重新排队",
        })
        register_audit_keys({"business_date": "营业日", "through": "处理至", "dates": "待处理营业日", "step": "步骤", "steps": "步骤数"})
        register_audit_values("state", CloseRunState, prefix="close")
        register_task_names({"fund.close.catch_up": "日终处理（含补跑漏跑日期）"})
        # A close whose worker was lost is queued again by the core's beat job (fund.batches).
        register_batch("fund.close", stalled=close_runs_stalled, resume=close_run_requeue)
        register_nav("staff", _("日终处理"), "staff:close", order=306, group=MANAGEMENT, icon="calendar",
                     visible=lambda roles: close_may_view(roles.user))
