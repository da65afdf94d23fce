from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "fund.catalogue"
    label = "catalogue"
