"""The public pages agree with themselves: what the home offers works (nothing built is called 即将开放), each 通知公告 has
its own page, and the guide does not ask to change a keyword nobody typed."""

import re

import pytest
from django.test import Client

from fund.catalogue.registry import CATEGORY_ORDER, catalogue_items
from fund.portals.notices import NOTICES

pytestmark = pytest.mark.django_db


def links(html: str) -> list[str]:
    return sorted({href for href in re.findall(r'href="(/[^"#]*)"', html) if not href.startswith("/static/")})


def test_every_link_the_home_page_offers_answers(client: Client) -> None:
    home = client.get("/").content.decode()
    assert links(home)
    for href in links(home):
        assert client.get(href).status_code == 200, href


def test_each_notice_on_the_home_page_is_a_link_to_its_own_page(client: Client) -> None:
    home = client.get("/").content.decode()
    for notice in NOTICES:
        href = f"/notices/{notice.slug}/"
        assert f'href="{href}">{notice.title}</a>' in home
        page = client.get(href).content.decode()
        assert notice.title in page and notice.paragraphs[0] in page
    listing = client.get("/notices/").content.decode()
    assert all(notice.title in listing for notice in NOTICES)


def test_an_unknown_notice_is_a_404(client: Client) -> None:
    assert client.get("/notices/no-such-notice/").status_code == 404


def test_the_home_links_the_defaulter_list_that_exists_instead_of_calling_it_coming_soon(client: Client) -> None:
    home = client.get("/").content.decode()
    assert 'href="/risk/units/"' in home
    assert "失信名单公示" not in home  # the old tile that said 即将开放 for a page the nav already opens


def test_the_home_offers_the_loans_that_are_built_and_calls_nothing_built_coming_soon(client: Client) -> None:
    from django.urls import reverse

    home = client.get("/").content.decode()
    assert "即将开放" not in home
    assert "申请贷款、在线还款" in home and "售楼处代办购房人贷款申请" in home
    # what the tiles promise has its pages (resolving raises if one went missing)
    reverse("member:loan-apply"), reverse("member:loan-repay", args=[1]), reverse("developer:loan-application-new")


def test_the_sign_in_page_promises_only_what_is_built(client: Client) -> None:
    body = client.get("/accounts/login/").content.decode()
    assert "即将开放" not in body and "办理提取与贷款" in body and "楼盘项目登记与售楼处贷款代办" in body


def test_an_empty_guide_category_says_coming_soon_not_change_your_keyword(client: Client) -> None:
    empty = [name for name in CATEGORY_ORDER if not catalogue_items(name)]
    if not empty:
        pytest.skip("every category has items")
    body = client.get("/guide/", {"category": empty[0]}).content.decode()
    assert f"{empty[0]}类事项即将开放" in body and "请换个关键词" not in body


def test_a_search_that_finds_nothing_still_asks_for_another_keyword(client: Client) -> None:
    body = client.get("/guide/", {"q": "没有这个事项"}).content.decode()
    assert "没有找到相关事项" in body and "请换个关键词" in body


def test_no_public_page_offers_a_link_that_fails(client: Client) -> None:
    """What an anonymous visitor can reach from the home page by following links: nothing answers 4xx/5xx
    (pages behind a sign-in redirect to it, which is an answer)."""
    seen: set[str] = set()
    queue = ["/"]
    while queue and len(seen) < 150:
        href = queue.pop(0)
        if href in seen or href.startswith(("/static/", "/admin/", "/api/", "/documents/")):
            continue
        seen.add(href)
        response = client.get(href)
        assert response.status_code < 400, f"{href} → {response.status_code}"
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            queue.extend(h.replace("&amp;", "&") for h in links(response.content.decode()) if h not in seen)
    assert "/notices/" in seen and "/risk/units/" in seen and "/guide/" in seen
