from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "fund.catalogue"
    label = "catalogue"
    verbose_name = "事项清单"

    def ready(self) -> None:
        # Registers the one-time notice (一次性告知单) with fund.printing.
        from . import pdf  # noqa: F401
