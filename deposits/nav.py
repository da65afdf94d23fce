"""The deposits pages in each portal's navigation (fund.portals.nav)."""

from django.utils.translation import gettext_lazy as _

from fund.portals.nav import BUSINESS, MANAGEMENT, QUERIES, may_accept, register_nav

register_nav("staff", _("开户"), "staff:open_unit", order=110, group=BUSINESS, icon="building-plus", visible=may_accept)
register_nav("staff", _("个人开户"), "staff:open_member", order=120, group=BUSINESS, icon="user-plus", visible=may_accept)
register_nav("staff", _("单位开户审核"), "staff:unit_requests", order=130, group=BUSINESS, icon="check")
register_nav("staff", _("汇补缴"), "staff:remittance", order=140, group=BUSINESS, icon="wallet")
register_nav("staff", _("合并销户"), "staff:merge", order=150, group=BUSINESS, icon="users")
register_nav("staff", _("职工转入"), "staff:member_internal_transfer", order=160, group=BUSINESS, icon="users",
             visible=may_accept)
register_nav("staff", _("灵活就业开户"), "staff:voluntary_open", order=170, group=BUSINESS, icon="user-plus",
             visible=may_accept)
register_nav("staff", _("异地转移接续"), "staff:transfers", order=175, group=BUSINESS, icon="project")
register_nav("staff", _("缓缴/降比例审批"), "staff:applications", order=178, group=BUSINESS, icon="check")
register_nav("staff", _("单位查询"), "staff:units", order=210, group=QUERIES, icon="building")
register_nav("staff", _("个人查询"), "staff:members", order=220, group=QUERIES, icon="users")
register_nav("staff", _("欠缴催缴"), "staff:arrears", order=230, group=QUERIES, icon="alert")
register_nav("staff", _("年终结息"), "staff:interest", order=310, group=MANAGEMENT, icon="calculator")

register_nav("unit", _("职工名册"), "unit:members", order=10, icon="users")
register_nav("unit", _("职工开户"), "unit:open_member", order=20, icon="user-plus")
register_nav("unit", _("汇缴"), "unit:remittance", order=30, icon="wallet")
register_nav("unit", _("缴存基数调整"), "unit:base", order=40, icon="sliders")
register_nav("unit", _("职工转入"), "unit:transfer_in", order=50, icon="user-plus")
register_nav("unit", _("缓缴/降比例"), "unit:applications", order=60, icon="clock")
register_nav("unit", _("报表下载"), "unit:exports", order=70, icon="file")
register_nav("unit", _("单位信息"), "unit:profile", order=80, icon="building")

register_nav("member", _("账户明细"), "member:statement", order=10, icon="list")
register_nav("member", _("证明打印"), "member:certificates", order=30, icon="file")
register_nav("member", _("异地转入"), "member:transfer", order=40, icon="project")
register_nav("member", _("信息变更"), "member:account_change", order=50, icon="user-plus")
