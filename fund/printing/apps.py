from django.apps import AppConfig


class PrintingConfig(AppConfig):
    name = "fund.printing"
    label = "printing"
