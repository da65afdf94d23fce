from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "fund.measures"
    label = "measures"
    verbose_name = "服务效能"
