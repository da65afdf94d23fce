from django.apps import AppConfig


class LoansConfig(AppConfig):
    name = "loans"
    verbose_name = "贷款"

    def ready(self) -> None:
        from . import nav, panels  # noqa: F401
        from .catalogue import register_loan_items

        register_loan_items()
        from . import pdf  # noqa: F401  (registers the approval opinion)
        from .services import approval  # noqa: F401  (registers the approval flows)
