"""The withdrawals pages in each portal's navigation (fund.portals.nav)."""

from django.utils.translation import gettext_lazy as _

from fund.portals.nav import BUSINESS, QUERIES, may_accept, register_nav

register_nav("staff", _("提取受理"), "staff:withdrawal_new", order=180, group=BUSINESS, icon="wallet", visible=may_accept)
register_nav("staff", _("提取查询"), "staff:withdrawals", order=240, group=QUERIES, icon="list")
register_nav("member", _("提取"), "member:withdrawals", order=20, icon="wallet")
