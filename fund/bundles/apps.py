"""一件事与跨省通办."""
from django.apps import AppConfig


class BundlesConfig(AppConfig):
    name = "fund.bundles"
    label = "bundles"
    verbose_name = "一件事与跨省通办"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from fund.audit.actions import register_actions, register_audit_keys
        from fund.portals.nav import SERVICES, may_accept, register_nav

        from .definitions import register_bundles
        from .tracking import register_tracked_kinds

        register_bundles()
        register_tracked_kinds()
        register_audit_keys({"bundle": "一件事", "parts": "分项事项", "item": "事项"})
        register_actions({
            "bundles.run.done": "办理一件事", "bundles.cross.submitted": "提交跨省通办申请",
            "bundles.cross.taken": "受理跨省通办申请", "bundles.cross.done": "办结跨省通办申请",
            "bundles.cross.refused": "跨省通办申请不予办理",
        })
        register_nav("staff", _("一件事"), "staff:bundles_index", order=292, group=SERVICES, icon="check",
                     visible=may_accept)
        register_nav("staff", _("跨省通办"), "staff:bundles_cross_queue", order=293, group=SERVICES, icon="users",
                     visible=may_accept)
        register_nav("unit", _("一件事"), "unit:bundles_index", order=530, icon="check", group=SERVICES)
        register_nav("member", _("一件事"), "member:bundles_index", order=530, icon="check", group=SERVICES)
