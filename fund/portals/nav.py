"""Portal navigation, registered by the apps that own the pages (as panels are; fund never imports them).

    register_nav("staff", _("汇补缴"), "staff:remittance", order=150, group=BUSINESS, icon="wallet")
    register_nav("staff", _("开户"), "staff:open_unit", order=110, group=BUSINESS, visible=may_accept)

The portal's base template renders `{% portal_nav "staff" as groups %}`. An entry is shown only to a user of
that portal for whom `visible(roles)` holds: window business that writes uses `may_accept` (roles.can_accept,
the rule accept_post_required and the services apply), so no user is offered a link that answers 403.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from fund.people.roles import Roles, roles_of

from .decorators import ROLE_CHECKS

# The staff sidebar's groups, in the order they are shown.
BUSINESS = _("业务办理")
QUERIES = _("查询")
MANAGEMENT = _("管理")
# The outside portals' top bar folds a group into one menu: the service pages (fund's service apps) share this.
SERVICES = _("便民服务")


def anyone(roles: Roles) -> bool:
    return True


def may_accept(roles: Roles) -> bool:
    """受理 (or a director): window business that writes."""
    return roles.can_accept


@dataclass(frozen=True)
class NavEntry:
    portal: str
    label: Any  # str or a lazy translation
    url_name: str
    order: int
    icon: str = ""
    group: Any = ""
    exact: bool = False  # active only on its own address (a portal's home, which prefixes every other page)
    visible: Callable[[Roles], bool] = field(default=anyone)


_ENTRIES: list[NavEntry] = []


def register_nav(portal: str, label: Any, url_name: str, *, order: int, icon: str = "", group: Any = "",
                 exact: bool = False, visible: Callable[[Roles], bool] = anyone) -> NavEntry:
    if portal not in ROLE_CHECKS:
        raise ValueError(f"unknown portal {portal!r}")
    entry = NavEntry(portal=portal, label=label, url_name=url_name, order=order, icon=icon, group=group,
                     exact=exact, visible=visible)
    # An app's ready() may run twice (tests reload apps): one entry per portal and address.
    _ENTRIES[:] = [e for e in _ENTRIES if (e.portal, e.url_name) != (portal, url_name)]
    _ENTRIES.append(entry)
    return entry


def nav_entries(portal: str, roles: Roles) -> list[NavEntry]:
    """The registered entries of a portal this user may use, in order; none for a user not of that portal."""
    if roles.user is None or not roles.user.is_authenticated or not ROLE_CHECKS[portal](roles):
        return []
    return sorted((e for e in _ENTRIES if e.portal == portal and e.visible(roles)), key=lambda e: e.order)


@dataclass
class NavItem:
    label: Any
    href: str
    icon: str
    active: bool = False


@dataclass
class NavGroup:
    label: Any
    items: list[NavItem]

    @property
    def active(self) -> bool:
        return any(item.active for item in self.items)


def nav_for(portal: str, request: HttpRequest) -> list[NavGroup]:
    """The portal's navigation for this request: groups of links, the most specific address the request is
    under marked active (so 开户 /staff/units/open/ is active there, not 单位查询 /staff/units/)."""
    user = getattr(request, "user", None)
    if user is None:
        return []
    items: list[tuple[NavEntry, NavItem]] = []
    for entry in nav_entries(portal, roles_of(user)):
        try:
            href = reverse(entry.url_name)
        except NoReverseMatch:  # an app registered a page it does not mount: show nothing rather than fail
            continue
        items.append((entry, NavItem(label=entry.label, href=href, icon=entry.icon)))
    path = request.path
    under = [item for entry, item in items
             if (path == item.href if entry.exact else path.startswith(item.href))]
    if under:
        max(under, key=lambda item: len(item.href)).active = True
    groups: list[NavGroup] = []
    for entry, item in items:
        if not groups or groups[-1].label != entry.group:
            groups.append(NavGroup(label=entry.group, items=[]))
        groups[-1].items.append(item)
    return groups
