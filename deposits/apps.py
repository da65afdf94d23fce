from django.apps import AppConfig


class DepositsConfig(AppConfig):
    name = "deposits"
    verbose_name = "归集"

    def ready(self) -> None:
        # Registering panels and document kinds with the core's hooks.
        from . import nav, panels, pdf  # noqa: F401
        from .catalogue import register_deposit_items

        register_deposit_items()
        from . import bundles  # noqa: F401  (registers its 一件事 parts and 跨省通办 entries, after the items)
        from .audit_names import register_audit_names

        register_audit_names()

        from fund.audit.schedules import register_task_names

        register_task_names({
            "deposits.match_incoming_transfers": "匹配单位转账汇缴", "deposits.poll_transfers": "查询转移接续进度",
            "deposits.transfer_out_sync": "同步转出联系函与资金划转", "deposits.voluntary_debit": "灵活就业人员按月扣缴",
            "deposits.unit_applications_due": "缓缴、降比例到期处理", "deposits.send_arrears_reminders": "发送欠缴催缴短信",
        })

        # The interest settlement and a base list's check resume by themselves when their worker is lost
        # (fund.batches' beat job).
        from fund.batches import register_batch

        from .services import refunds, transfer, unit_applications  # noqa: F401  (register the payment purposes and the deferral/ratio-reduction flow)
        from .services.base_adjustment import base_batch_requeue, base_batches_stalled
        from .services.interest import interest_run_requeue, interest_runs_stalled

        register_batch("deposits.interest", stalled=interest_runs_stalled, resume=interest_run_requeue)
        register_batch("deposits.base_adjustment", stalled=base_batches_stalled, resume=base_batch_requeue)
        from . import tracking  # noqa: F401  (我的办件: registers this line's applications with fund.tracking)
