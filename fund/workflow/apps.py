from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "fund.workflow"
    label = "workflow"
