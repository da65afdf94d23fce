"""The loans pages in each portal's navigation (fund.portals.nav)."""

from django.utils.translation import gettext_lazy as _

from fund.people.models import Post
from fund.people.roles import Roles
from fund.portals.nav import BUSINESS, register_nav


def _disburses(roles: Roles) -> bool:
    """委贷管理 issues notices, 财务 releases, the director oversees: the posts the 放款 page is for."""
    return any(roles.has_post(p) for p in (Post.LOAN_ADMIN, Post.FINANCE, Post.DIRECTOR))


register_nav("developer", _("楼盘项目"), "developer:projects", order=10, icon="project")
register_nav("staff", _("贷款放款"), "staff:loan-disbursements", order=200, group=BUSINESS, icon="loan",
             visible=_disburses)
register_nav("member", _("贷款"), "member:loan-loans", order=30, icon="loan")
