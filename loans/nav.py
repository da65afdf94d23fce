"""The loans pages in the portals' navigation (fund.portals.nav)."""

from django.utils.translation import gettext_lazy as _

from fund.portals.nav import BUSINESS, MANAGEMENT, QUERIES, register_nav

from .selectors.projects import may_admit_projects

register_nav("developer", _("楼盘项目"), "developer:projects", order=10, icon="project")
register_nav("developer", _("登记楼盘"), "developer:project-new", order=11, icon="building-plus")
register_nav("staff", _("楼盘准入"), "staff:loan-projects", order=255, group=QUERIES, icon="project")
register_nav("staff", _("开发企业注册审核"), "staff:loan-registrations", order=185, group=BUSINESS, icon="check",
             visible=may_admit_projects)
register_nav("staff", _("贷款办理时效"), "staff:loan-timing", order=315, group=MANAGEMENT, icon="calculator")
