from django.apps import AppConfig


class PortalsConfig(AppConfig):
    name = "fund.portals"
    label = "portals"
