"""The risk pages in the staff navigation (fund.portals.nav)."""

from django.utils.translation import gettext_lazy as _

from fund.portals.nav import QUERIES, register_nav

register_nav("staff", _("诚信黑名单"), "staff:risk-blacklist", order=250, group=QUERIES, icon="alert")
register_nav("staff", _("个贷逾期率"), "staff:risk-rates", order=251, group=QUERIES, icon="alert")
register_nav("staff", _("五级分类"), "staff:risk-tiers", order=252, group=QUERIES, icon="list")
register_nav("staff", _("风险预警"), "staff:risk-warnings", order=253, group=QUERIES, icon="notice")
