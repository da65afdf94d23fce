from django.apps import AppConfig


class TicketsConfig(AppConfig):
    name = "fund.tickets"
    label = "tickets"
    verbose_name = "投诉与12329工单"
