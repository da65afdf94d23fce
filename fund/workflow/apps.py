from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "fund.workflow"
    label = "workflow"
    verbose_name = "审批流程"

    def ready(self) -> None:
        from fund.audit.actions import register_actions, register_audit_values

        from .models import Decision, ItemState

        register_actions({"workflow": "审批流程"})
        register_audit_values("state", ItemState, prefix="workflow")
        register_audit_values("decision", Decision)

        from django.utils.translation import gettext_lazy as _

        from fund.portals.nav import BUSINESS, register_nav

        register_nav("staff", _("待办审核"), "staff:tasks", order=190, group=BUSINESS, icon="check")
