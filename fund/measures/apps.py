from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "fund.measures"
    label = "measures"
    verbose_name = "服务效能"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from fund.portals.nav import SERVICES, register_nav

        from .selectors import measures_may_view

        register_nav("staff", _("服务效能"), "staff:measures_dashboard", order=296, group=SERVICES, icon="check",
                     visible=measures_may_view)
