from django.apps import AppConfig


class TrackingConfig(AppConfig):
    name = "fund.tracking"
    label = "tracking"
    verbose_name = "我的办件"

    def ready(self) -> None:
        from .hooks import connect_hooks

        connect_hooks()
