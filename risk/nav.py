"""The risk pages in the staff navigation (fund.portals.nav)."""

from django.utils.translation import gettext_lazy as _

from fund.people.models import Post
from fund.people.roles import Roles
from fund.portals.nav import QUERIES, register_nav

register_nav("staff", _("诚信黑名单"), "staff:risk-blacklist", order=250, group=QUERIES, icon="alert")


def _works_overdue(roles: Roles) -> bool:
    """The ledger is the 风控/清收 post's and the directors' (others would find it empty: 404)."""
    return roles.has_post(Post.RISK) or roles.has_post(Post.DIRECTOR)


register_nav("staff", _("逾期台账"), "staff:risk-overdue", order=251, group=QUERIES, icon="alert",
             visible=_works_overdue)


def _works_dormant(roles: Roles) -> bool:
    """风控, 受理 and the director work the dormant campaign (risk.selectors.dormant.WORKING_POSTS)."""
    return any(roles.has_post(post) for post in (Post.RISK, Post.ACCEPT, Post.DIRECTOR))


register_nav("staff", _("呆滞账户清理"), "staff:risk-dormant", order=255, group=QUERIES, icon="users", visible=_works_dormant)


def _sees_dashboard(roles: Roles) -> bool:
    """风控 and the director (risk.selectors.dashboard.dashboard_may_view)."""
    return roles.has_post(Post.RISK) or roles.has_post(Post.DIRECTOR)


register_nav("staff", _("风险驾驶舱"), "staff:risk-dashboard", order=245, group=QUERIES, icon="alert",
             visible=_sees_dashboard)


register_nav("staff", _("个贷逾期率"), "staff:risk-rates", order=251, group=QUERIES, icon="alert")
register_nav("staff", _("五级分类"), "staff:risk-tiers", order=252, group=QUERIES, icon="list")
register_nav("staff", _("风险预警"), "staff:risk-warnings", order=253, group=QUERIES, icon="notice")
register_nav("staff", _("疑似团伙"), "staff:risk-rings", order=256, group=QUERIES, icon="alert")
register_nav("staff", _("稽核工作台"), "staff:risk-audit", order=257, group=QUERIES, icon="alert")
