from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "fund.audit"
    label = "audit"
    verbose_name = "审计"

    def ready(self) -> None:
        from .schedules import register_task_names

        # The core's own job (fund/tasks.py); each app names the ones it schedules.
        register_task_names({"fund.resume_stalled_batches": "续跑中断的批量作业"})
