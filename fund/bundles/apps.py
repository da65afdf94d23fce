from django.apps import AppConfig


class BundlesConfig(AppConfig):
    name = "fund.bundles"
    label = "bundles"
    verbose_name = "一件事与跨省通办"
