from django.apps import AppConfig


class LoansConfig(AppConfig):
    name = "loans"
    verbose_name = "贷款"

    def ready(self) -> None:
        from . import nav, panels, signing_pdf  # noqa: F401
        from .signing_names import register_signing_names

        register_signing_names()
