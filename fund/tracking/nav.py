"""我的办件 in each portal's navigation (fund.portals.nav)."""

from django.utils.translation import gettext_lazy as _

from fund.portals.nav import QUERIES, register_nav

register_nav("member", _("我的办件"), "member:tracking_list", order=5, icon="log")
register_nav("unit", _("我的办件"), "unit:tracking_list", order=5, icon="log")
register_nav("staff", _("办件查询"), "staff:tracking_window", order=238, group=QUERIES, icon="search")
