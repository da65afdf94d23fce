from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "fund.people"
    verbose_name = "人员与角色"
    label = "people"

    def ready(self) -> None:
        from fund import checks  # noqa: F401 — registers the project's system checks
