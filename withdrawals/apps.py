from django.apps import AppConfig


class WithdrawalsConfig(AppConfig):
    name = "withdrawals"
    verbose_name = "提取"

    def ready(self) -> None:
        # The reasons' catalogue items, the review flow, and the receipt document kind.
        from . import pdf  # noqa: F401
        from .reasons import register_catalogue
        from .services import decision  # noqa: F401  (registers the review flow)

        register_catalogue()
