from django.apps import AppConfig


class PortalsConfig(AppConfig):
    name = "fund.portals"
    label = "portals"
    verbose_name = "门户"
