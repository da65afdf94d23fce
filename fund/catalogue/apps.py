from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "fund.catalogue"
    label = "catalogue"
    verbose_name = "事项清单"

    def ready(self) -> None:
        # Registers the one-time notice (一次性告知单) with fund.printing.
        from django.utils.translation import gettext_lazy as _

        from fund.portals.nav import QUERIES, register_nav

        from . import pdf  # noqa: F401

        register_nav("staff", _("办事指南"), "staff:guide-index", order=260, group=QUERIES, icon="guide")
