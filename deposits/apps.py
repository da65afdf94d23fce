from django.apps import AppConfig


class DepositsConfig(AppConfig):
    name = "deposits"
    verbose_name = "归集"

    def ready(self) -> None:
        # Registering panels and document kinds with the core's hooks.
        from . import panels, pdf  # noqa: F401
        from .catalogue import register_deposit_items

        register_deposit_items()

        from .audit_names import register_audit_names

        register_audit_names()

        # The interest settlement and a base list's check resume by themselves when their worker is lost
        # (fund.batches' beat job).
        from fund.batches import register_batch

        from .services import unit_applications  # noqa: F401  (registers the deferral/ratio-reduction flow)
        from .services.base_adjustment import base_batch_requeue, base_batches_stalled
        from .services.interest import interest_run_requeue, interest_runs_stalled

        register_batch("deposits.interest", stalled=interest_runs_stalled, resume=interest_run_requeue)
        register_batch("deposits.base_adjustment", stalled=base_batches_stalled, resume=base_batch_requeue)
