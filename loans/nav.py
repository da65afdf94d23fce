"""The loans pages in the developer portal's navigation (fund.portals.nav)."""

from django.utils.translation import gettext_lazy as _

from fund.portals.nav import MANAGEMENT, register_nav

register_nav("developer", _("楼盘项目"), "developer:projects", order=10, icon="project")
register_nav("staff", _("贷款办理时效"), "staff:loan-timing", order=315, group=MANAGEMENT, icon="calculator")
