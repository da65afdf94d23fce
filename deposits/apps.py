from django.apps import AppConfig


class DepositsConfig(AppConfig):
    name = "deposits"
    verbose_name = "归集"

    def ready(self) -> None:
        # Registering panels and document kinds with the core's hooks.
        from . import panels, pdf  # noqa: F401
        from .catalogue import register_deposit_items

        register_deposit_items()
