from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "fund.people"
    verbose_name = "人员与角色"
    label = "people"
