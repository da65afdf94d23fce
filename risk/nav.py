"""The risk pages in the staff navigation (fund.portals.nav)."""

from django.utils.translation import gettext_lazy as _

from fund.people.models import Post
from fund.people.roles import Roles
from fund.portals.nav import MANAGEMENT, QUERIES, register_nav

register_nav("staff", _("诚信黑名单"), "staff:risk-blacklist", order=250, group=QUERIES, icon="alert")


def _works_overdue(roles: Roles) -> bool:
    """The ledger is the 风控/清收 post's and the directors' (others would find it empty: 404)."""
    return roles.has_post(Post.RISK) or roles.has_post(Post.DIRECTOR)


register_nav("staff", _("逾期台账"), "staff:risk-overdue", order=251, group=MANAGEMENT, icon="alert",
             visible=_works_overdue)
