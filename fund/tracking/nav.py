"""我的办件 in each portal's navigation (fund.portals.nav): first in the outside portals' 便民服务 menu (the home
page's panel links to it too), and a query page in the staff sidebar."""

from django.utils.translation import gettext_lazy as _

from fund.portals.nav import QUERIES, SERVICES, register_nav

register_nav("member", _("我的办件"), "member:tracking_list", order=500, icon="log", group=SERVICES)
register_nav("unit", _("我的办件"), "unit:tracking_list", order=500, icon="log", group=SERVICES)
register_nav("staff", _("办件查询"), "staff:tracking_window", order=238, group=QUERIES, icon="search")
