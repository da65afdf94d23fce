from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "fund.audit"
    label = "audit"
    verbose_name = "审计"
