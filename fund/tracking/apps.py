from django.apps import AppConfig


class TrackingConfig(AppConfig):
    name = "fund.tracking"
    label = "tracking"
    verbose_name = "我的办件"

    def ready(self) -> None:
        from . import nav, panels  # noqa: F401  (registered by importing: nav entries, home panels)
        from .hooks import connect_hooks
        from .services import register_step_listener
        from .tasks import step_entered

        connect_hooks()
        # The applicant is texted when an application enters a step (after commit, once per step).
        register_step_listener(step_entered)
