"""The loans pages in the developer portal's navigation (fund.portals.nav)."""

from django.utils.translation import gettext_lazy as _

from fund.portals.nav import register_nav

register_nav("developer", _("楼盘项目"), "developer:projects", order=10, icon="project")
