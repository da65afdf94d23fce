"""The loans pages in the portals' navigation (fund.portals.nav)."""

from django.utils.translation import gettext_lazy as _

from fund.people.models import Post
from fund.people.roles import Roles
from fund.portals.nav import BUSINESS, MANAGEMENT, QUERIES, register_nav

from .selectors.projects import may_admit_projects


def _disburses(roles: Roles) -> bool:
    """委贷管理 issues notices, 财务 releases, the director oversees: the posts the 放款 page is for."""
    return any(roles.has_post(p) for p in (Post.LOAN_ADMIN, Post.FINANCE, Post.DIRECTOR))


register_nav("developer", _("楼盘项目"), "developer:projects", order=10, icon="project")
register_nav("developer", _("登记楼盘"), "developer:project-new", order=11, icon="building-plus")
register_nav("staff", _("开发企业注册审核"), "staff:loan-registrations", order=185, group=BUSINESS, icon="check",
             visible=may_admit_projects)
register_nav("staff", _("贷款放款"), "staff:loan-disbursements", order=200, group=BUSINESS, icon="loan",
             visible=_disburses)
register_nav("staff", _("楼盘准入"), "staff:loan-projects", order=255, group=QUERIES, icon="project")
register_nav("staff", _("贷款办理时效"), "staff:loan-timing", order=315, group=MANAGEMENT, icon="calculator")
register_nav("developer", _("额度试算"), "developer:loan-estimate", order=20, icon="calculator")
# One entry in the hall for the member's loan business: 我的贷款 shows the applications in flight and the loans
# (贷款申请 is a page under it); 额度试算 stays a tool of its own.
register_nav("member", _("我的贷款"), "member:loan-loans", order=30, icon="loan")
register_nav("member", _("贷款额度试算"), "member:loan-estimate", order=60, icon="calculator")
register_nav("developer", _("购房人贷款申请"), "developer:loan-applications", order=15, icon="file")
register_nav("bank", _("贷款申请受理"), "bank:loan-applications", order=10, icon="file")
register_nav("staff", _("贷款申请"), "staff:loan-applications", order=190, group=BUSINESS, icon="loan")
register_nav("staff", _("贷款受理"), "staff:loan-application-new", order=189, group=BUSINESS, icon="file",
             visible=lambda roles: roles.can_accept)
register_nav("staff", _("年度利率调整与贴息"), "staff:loan-yearly", order=316, group=MANAGEMENT, icon="calculator")
