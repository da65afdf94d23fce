from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "fund.ledger"
    label = "ledger"
    verbose_name = "会计核算"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from .models import Account
        from .services import chart_forget

        # Postings read the chart once per process; a changed account is read again.
        for signal in (post_save, post_delete):
            signal.connect(lambda **kwargs: chart_forget(), sender=Account, weak=False,
                           dispatch_uid=f"ledger.chart_forget.{signal is post_save}")
