from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "fund.policy"
    label = "policy"
    verbose_name = "政策参数"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from fund.portals.nav import MANAGEMENT, register_nav

        register_nav("staff", _("政策参数"), "policy:table", order=320, group=MANAGEMENT, icon="sliders")
        from fund.audit.actions import register_actions

        register_actions({"policy": "政策参数", "policy.value.scheduled": "设定政策参数", "policy.value.withdrawn": "撤回政策参数"})
