"""政策调整模拟."""
from django.apps import AppConfig


class WhatifConfig(AppConfig):
    name = "fund.whatif"
    label = "whatif"
    verbose_name = "政策调整模拟"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from fund.audit.actions import register_actions, register_audit_keys
        from fund.audit.schedules import register_task_names
        from fund.people.models import Post
        from fund.portals.nav import MANAGEMENT, register_nav

        # The same people as policy_can_manage: a centre-wide director.
        register_nav("staff", _("政策调整模拟"), "staff:whatif_runs", order=321, group=MANAGEMENT, icon="sliders",
                     visible=lambda roles: roles.staff is not None and roles.staff.centre_wide
                     and roles.has_post(Post.DIRECTOR))
        register_actions({"whatif": "政策调整模拟", "whatif.run.requested": "发起政策调整模拟",
                          "whatif.run.started": "政策调整模拟开始", "whatif.run.done": "政策调整模拟完成",
                          "whatif.run.failed": "政策调整模拟失败"})
        register_task_names({"whatif.run": "政策调整模拟"})
        register_audit_keys({"values": "模拟参数值", "replayers": "模拟业务", "period": "模拟期间"})
