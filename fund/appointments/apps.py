"""预约服务."""
from django.apps import AppConfig


class AppointmentsConfig(AppConfig):
    name = "fund.appointments"
    label = "appointments"
    verbose_name = "预约服务"

    def ready(self) -> None:
        from fund.audit.actions import register_actions, register_audit_keys, register_audit_values
        from fund.close.registry import register_close_step

        from . import nav  # noqa: F401  (the portals' entries)
        from .models import BookingState, PeriodLabel, Requester, VisitReason, VisitState
        from .services.booking import no_shows_step

        register_actions({
            "appointments": "预约服务",
            "appointments.period.added": "新增服务时间", "appointments.period.removed": "删除服务时间",
            "appointments.exception.added": "新增服务时间例外", "appointments.exception.removed": "删除服务时间例外",
            "appointments.booking.booked": "预约办事", "appointments.booking.cancelled": "取消预约",
            "appointments.booking.moved": "预约改约", "appointments.booking.arrived": "预约签到",
            "appointments.booking.served": "预约已办理", "appointments.booking.no_show": "预约爽约",
            "appointments.visit.requested": "申请上门服务", "appointments.visit.assigned": "分派上门服务",
            "appointments.visit.scheduled": "约定上门时间", "appointments.visit.done": "上门服务办结",
            "appointments.visit.not_done": "上门服务未办结", "appointments.visit.cancelled": "取消上门服务",
        })
        register_audit_keys({
            "weekday": "星期", "from_time": "开始时间", "to_time": "结束时间", "slot_minutes": "每个时段（分钟）",
            "capacity": "每时段可预约人数", "period_label": "服务时间类别", "hours_day": "例外日期",
            "closed_day": "当日不开放", "item_name": "办理事项", "booking_day": "预约日期", "booking_time": "预约时段",
            "moved_from": "原预约", "requester": "申请人", "assigned_to": "上门人员", "scheduled_on": "上门日期",
            "scheduled_time": "上门时间", "outcome_note": "办理情况", "done_what": "办理事项",
        })
        register_audit_values("state", BookingState, prefix="appointments.booking")
        register_audit_values("state", VisitState, prefix="appointments.visit")
        register_audit_values("period_label", PeriodLabel, prefix="appointments")
        register_audit_values("requester", Requester, prefix="appointments.visit")
        register_audit_values("reason", VisitReason, prefix="appointments.visit")
        # After the loans' (and risk's 100–160) steps: bookings of the closed day not marked become no-shows.
        register_close_step("appointments.no_shows", label="预约爽约登记", order=200, run=no_shows_step)
