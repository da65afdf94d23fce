"""The loans pages in the developer portal's navigation (fund.portals.nav)."""

from django.utils.translation import gettext_lazy as _

from fund.portals.nav import register_nav

register_nav("developer", _("楼盘项目"), "developer:projects", order=10, icon="project")
register_nav("developer", _("额度试算"), "developer:loan-estimate", order=20, icon="calculator")
register_nav("member", _("贷款额度试算"), "member:loan-estimate", order=60, icon="calculator")
