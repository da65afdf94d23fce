from django.apps import AppConfig


class DepositsConfig(AppConfig):
    name = "deposits"
    verbose_name = "归集"

    def ready(self) -> None:
        # Registering panels and document kinds with the core's hooks.
        from . import panels, pdf  # noqa: F401
        from .catalogue import register_deposit_items

        register_deposit_items()

        # The interest settlement resumes by itself when its worker is lost (fund.batches' beat job).
        from fund.batches import register_batch

        from .services.interest import interest_run_requeue, interest_runs_stalled

        register_batch("deposits.interest", stalled=interest_runs_stalled, resume=interest_run_requeue)
