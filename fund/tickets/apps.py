"""投诉与12329工单."""
from django.apps import AppConfig


class TicketsConfig(AppConfig):
    name = "fund.tickets"
    label = "tickets"
    verbose_name = "投诉与12329工单"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from fund.audit.actions import register_actions, register_audit_keys, register_audit_values
        from fund.close.registry import register_close_step
        from fund.portals.nav import SERVICES, register_nav

        from . import assessment, panels  # noqa: F401  (panels registers the staff home's 我的工单)
        from .models import Category, Channel, Satisfaction, TicketState
        from .services import ticket_reminders_send

        register_actions({
            "tickets": "投诉与12329工单", "tickets.ticket.registered": "登记工单", "tickets.ticket.assigned": "转办工单",
            "tickets.ticket.reassigned": "调整工单责任人", "tickets.ticket.replied": "答复工单",
            "tickets.ticket.reopened": "工单不满意重新办理", "tickets.ticket.closed": "工单办结",
        })
        register_audit_keys({"channel": "来源", "category": "类别", "due_on": "答复期限", "subject": "标题",
                             "responsible": "责任人", "reply": "答复内容", "on_time": "按时答复", "satisfaction": "满意度",
                             "by": "评价方式"})
        register_audit_values("state", TicketState, prefix="tickets")
        register_audit_values("channel", Channel, prefix="tickets")
        register_audit_values("category", Category, prefix="tickets")
        register_audit_values("satisfaction", Satisfaction, prefix="tickets")
        register_audit_values("by", {"link": "短信链接", "hall": "网厅", "callback": "工作人员回访"}, prefix="tickets")
        register_close_step("tickets.reminders", label="工单到期提醒", order=210, run=ticket_reminders_send)
        register_nav("staff", _("投诉台账"), "staff:tickets_list", order=294, group=SERVICES, icon="phone")
        register_nav("member", _("我的诉求"), "member:tickets_list", order=550, icon="notice", group=SERVICES)
        register_nav("unit", _("诉求与投诉"), "unit:tickets_list", order=550, icon="notice", group=SERVICES)
        assessment.register()
