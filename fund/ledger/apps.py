from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "fund.ledger"
    label = "ledger"
