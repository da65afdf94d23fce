"""The risk pages in the staff navigation (fund.portals.nav)."""

from django.utils.translation import gettext_lazy as _

from fund.portals.nav import QUERIES, register_nav

register_nav("staff", _("诚信黑名单"), "staff:risk-blacklist", order=250, group=QUERIES, icon="alert")
register_nav("staff", _("稽核工作台"), "staff:risk-audit", order=252, group=QUERIES, icon="alert")
