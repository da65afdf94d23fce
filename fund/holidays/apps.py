from django.apps import AppConfig


class HolidaysConfig(AppConfig):
    name = "fund.holidays"
    label = "holidays"
    verbose_name = "节假日安排"
