from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "fund.integrations"
    label = "integrations"
