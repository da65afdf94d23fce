from django.apps import AppConfig


class WithdrawalsConfig(AppConfig):
    name = "withdrawals"
    verbose_name = "提取"

    def ready(self) -> None:
        # The reasons' catalogue items, the review flow, and the receipt document kind.
        from . import (  # noqa: F401
            nav,
            panels,
            pdf,
            whatif,  # noqa: F401  (the policy what-if's replayer of withdrawal decisions)
        )
        from .reasons import register_catalogue
        from .services import decision  # noqa: F401  (registers the review flow)

        register_catalogue()
        from . import bundles  # noqa: F401  (registers its 一件事 parts and 跨省通办 entries, after the items)
        from .audit_names import register_audit_names

        register_audit_names()

        from fund.audit.schedules import register_task_names

        register_task_names({
            "withdrawals.decide_stale": "重新审批滞留的提取申请", "withdrawals.standing_run": "逐月提取",
        })

        # An account with a withdrawal in flight may not leave the city or be merged away until it ends.
        from deposits.services.merge import MERGE_BLOCKERS
        from deposits.services.transfer import TRANSFER_OUT_BLOCKERS

        from .services.application import in_flight_blocker

        for hooks in (MERGE_BLOCKERS, TRANSFER_OUT_BLOCKERS):
            if in_flight_blocker not in hooks:
                hooks.append(in_flight_blocker)
        from . import tracking  # noqa: F401  (我的办件: registers this line's applications with fund.tracking)
