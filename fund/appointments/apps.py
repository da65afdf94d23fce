from django.apps import AppConfig


class AppointmentsConfig(AppConfig):
    name = "fund.appointments"
    label = "appointments"
    verbose_name = "预约服务"
