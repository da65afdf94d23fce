"""预约服务's entries in the portals' navigation (fund.portals.nav)."""

from django.utils.translation import gettext_lazy as _

from fund.portals.nav import MANAGEMENT, SERVICES, register_nav

register_nav("member", _("预约办事"), "member:appointments_book", order=510, icon="clock", group=SERVICES)
register_nav("member", _("我的预约"), "member:appointments_mine", order=520, icon="list", group=SERVICES)
register_nav("unit", _("预约办事"), "unit:appointments_book", order=510, icon="clock", group=SERVICES)
register_nav("unit", _("我的预约"), "unit:appointments_mine", order=520, icon="list", group=SERVICES)
register_nav("staff", _("预约管理"), "staff:appointments_day", order=290, group=SERVICES, icon="clock")
register_nav("staff", _("上门服务"), "staff:appointments_visits", order=291, group=SERVICES, icon="users")
register_nav("staff", _("服务时间"), "staff:appointments_hours", order=320, group=MANAGEMENT, icon="sliders")
