from django.apps import AppConfig


class PortalsConfig(AppConfig):
    name = "fund.portals"
    label = "portals"
    verbose_name = "门户"

    def ready(self) -> None:
        # The portals' own pages: each home, first; the staff audit log, last. The apps register the rest.
        from django.utils.translation import gettext_lazy as _

        from .nav import BUSINESS, MANAGEMENT, register_nav

        register_nav("staff", _("工作台"), "staff:home", order=100, group=BUSINESS, icon="home", exact=True)
        for portal in ("unit", "member", "developer", "bank"):
            register_nav(portal, _("首页"), f"{portal}:home", order=0, icon="home", exact=True)
        register_nav("staff", _("审计日志"), "staff:audit", order=330, group=MANAGEMENT, icon="log")
