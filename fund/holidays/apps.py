"""节假日安排."""
from django.apps import AppConfig


class HolidaysConfig(AppConfig):
    name = "fund.holidays"
    label = "holidays"
    verbose_name = "节假日安排"

    def ready(self) -> None:
        from celery.signals import task_prerun
        from django.core.signals import request_started
        from django.utils.translation import gettext_lazy as _

        from fund.audit.actions import register_actions, register_audit_keys
        from fund.portals.nav import MANAGEMENT, register_nav

        from .calendar import holidays_recheck

        # Each request and task asks the database once whether a schedule was entered elsewhere.
        request_started.connect(holidays_recheck, dispatch_uid="holidays.recheck.request")
        task_prerun.connect(holidays_recheck, dispatch_uid="holidays.recheck.task", weak=False)
        register_actions({"holidays": "节假日安排", "holidays.schedule.entered": "录入节假日安排"})
        register_audit_keys({"holidays": "放假安排", "workdays": "调休上班", "version": "版本", "notice": "通知文号"})
        register_nav("staff", _("节假日安排"), "staff:holidays_list", order=322, group=MANAGEMENT, icon="clock")
