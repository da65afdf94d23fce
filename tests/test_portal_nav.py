"""Portal navigation (fund.portals.nav): each app registers its entries; the base templates show what is
registered, to users of that portal who may use it, and nothing that is not registered."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from fund.people.roles import roles_of
from fund.portals import nav
from tests.clients import page

pytestmark = pytest.mark.django_db

PORTALS = {"staff": "clerk", "unit": "unit_a_op", "member": "member_a", "developer": "dev_a"}


def _nav_links(html: str) -> list[str]:
    """The addresses in the page's portal navigation (the <nav> block), in order."""
    block = re.search(r'<nav class="(?:sidebar|topnav)".*?</nav>', html, re.S)
    assert block is not None
    return re.findall(r'<li class="nav-item[^"]*"><a href="([^"]+)"', block.group(0))


def _registered(portal: str, user: object) -> list[str]:
    """What the portal's apps registered, in order, that this user's roles may use."""
    roles = roles_of(user)
    return [reverse(e.url_name) for e in sorted(nav._ENTRIES, key=lambda e: e.order)
            if e.portal == portal and e.visible(roles)]


@pytest.mark.parametrize("portal", PORTALS)
def test_each_portal_shows_its_registered_entries_to_a_user_of_that_portal(world, portal):
    user = getattr(world, PORTALS[portal])
    html = page(user).get(reverse(f"{portal}:home")).content.decode()
    assert _nav_links(html) == _registered(portal, user)
    assert len(_registered(portal, user)) >= 2  # the home and at least one app's page


@pytest.mark.parametrize("portal", PORTALS)
def test_a_user_of_another_kind_gets_none_of_a_portals_entries(world, rf, portal):
    for kind, name in PORTALS.items():
        if kind == portal:
            continue
        request = rf.get("/")
        request.user = getattr(world, name)
        assert nav.nav_for(portal, request) == [], (portal, name)


def test_window_business_that_writes_is_not_offered_to_a_post_that_may_not_accept(world):
    # the auditor is staff (centre-wide) without the 受理 post: 开户, 提取受理 … would answer 403
    html = page(world.auditor).get(reverse("staff:home")).content.decode()
    links = _nav_links(html)
    assert links == _registered("staff", world.auditor)
    assert reverse("staff:open_unit") not in links and reverse("staff:withdrawal_new") not in links
    assert page(world.auditor).get(reverse("staff:open_unit")).status_code == 403


def test_an_entry_appears_only_because_its_app_registers_it(world, monkeypatch):
    blacklist = reverse("staff:risk-blacklist")
    assert blacklist in _nav_links(page(world.clerk).get(reverse("staff:home")).content.decode())
    monkeypatch.setattr(nav, "_ENTRIES", [e for e in nav._ENTRIES if e.url_name != "staff:risk-blacklist"])
    assert blacklist not in _nav_links(page(world.clerk).get(reverse("staff:home")).content.decode())
    nav.register_nav("staff", "外部调用", "staff:risk-blacklist-add", order=255, group=nav.QUERIES)
    links = _nav_links(page(world.clerk).get(reverse("staff:home")).content.decode())
    assert reverse("staff:risk-blacklist-add") in links


def test_the_most_specific_entry_is_the_active_one(world):
    html = page(world.clerk).get(reverse("staff:open_unit")).content.decode()
    active = re.findall(r'<li class="nav-item is-active"><a href="([^"]+)"', html)
    assert active == [reverse("staff:open_unit")]  # not 单位查询 /staff/units/, nor 工作台 /staff/


def test_the_portal_base_templates_write_no_portal_address():
    for portal in PORTALS:
        text = (Path(settings.BASE_DIR) / "templates" / portal / "base.html").read_text()
        assert not re.search(r'href="/(staff|unit|member|developer|policy)/', text), portal
        assert "nav_item.html" not in text, portal


@pytest.mark.parametrize("portal", ["member", "unit"])
def test_the_service_pages_fold_into_one_menu_after_the_lines_own_entries(world, portal):
    user = getattr(world, PORTALS[portal])
    html = page(user).get(reverse(f"{portal}:home")).content.decode()
    bar = re.search(r'<nav class="topnav".*?</nav>', html, re.S).group(0)
    menu = re.search(r'<li class="nav-item nav-menu[^"]*"><details><summary[^>]*>.*?<span>便民服务</span>.*?</details>',
                     bar, re.S)
    assert menu is not None
    services = [reverse(e.url_name) for e in sorted(nav._ENTRIES, key=lambda e: e.order)
                if e.portal == portal and e.group == nav.SERVICES and e.visible(roles_of(user))]
    assert reverse(f"{portal}:appointments_book") in services
    assert re.findall(r'<a href="([^"]+)"', menu.group(0)) == services
    assert bar.index("便民服务") > max(bar.index(f'href="{reverse(e.url_name)}"') for e in nav._ENTRIES
                                        if e.portal == portal and not e.group and e.visible(roles_of(user)))


def test_each_group_of_the_staff_sidebar_stands_in_one_place(world):
    """An entry registered with another group's order splits that group in two (查询 … 管理 … 查询 again)."""
    from fund.people.models import Post
    from fund.people.services import staff_create
    from tests.conftest import PASSWORD

    everyone = staff_create(actor=None, username="all_posts", name="全岗位", branch=world.branch_a,
                            posts=[p.value for p in Post], employee_number="all_posts", password=PASSWORD, centre_wide=True)
    groups = [e.group for e in nav.nav_entries("staff", roles_of(everyone))]
    runs = [g for i, g in enumerate(groups) if i == 0 or groups[i - 1] != g]
    assert len(runs) == len(set(runs)), runs
