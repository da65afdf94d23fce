from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "fund.integrations"
    label = "integrations"
    verbose_name = "外部系统对接"
