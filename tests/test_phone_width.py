"""Member pages at phone width (390 px, an ordinary phone): nothing wider than the screen, so no page needs
sideways scrolling; the statement's words and amounts keep their shape and every nav item can be reached.
Screenshots land in .local/screenshots/ for a person to look at."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from tests.browser_support import SHOTS, sign_in
from tests.withdrawals.conftest import wd  # noqa: F401 — a member with deposits, a card and outside records

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
MEMBER_PAGES = [
    "/member/", "/member/statement/", "/member/withdrawals/", "/member/certificates/",
    "/member/certificates/deposit/", "/member/transfer/", "/member/account/change/",
    "/member/withdrawals/apply/07/", "/member/withdrawals/apply/01/", "/member/withdrawals/standing/",
]
# The widest elements (by right edge) that stick out, named so a failure says what to fix.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll('body *')]
    .filter(el => { const r = el.getBoundingClientRect(); return r.width > 0 && r.right > width + 1; })
    .slice(0, 5).map(el => el.tagName.toLowerCase() + '.' + [...el.classList].join('.') + ' ' + (el.textContent || '').trim().slice(0, 20));
}"""


# Boxes that scroll sideways inside the page (a table, a nav strip): on a phone an amount or a nav item
# hidden past the edge is as bad as the page scrolling.
SIDEWAYS = """() => [...document.querySelectorAll('body *')]
  .filter(el => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX) && el.scrollWidth > el.clientWidth + 1)
  .map(el => el.tagName.toLowerCase() + '.' + [...el.classList].join('.') + ' ' + (el.textContent || '').trim().slice(0, 20))"""
# How many lines the first words of each card title take (a squeezed title stood one character per line).
TITLE_LINES = """() => [...document.querySelectorAll('.card-title')].map(h => {
  const text = [...h.childNodes].find(n => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
  if (!text) return [h.textContent.trim(), 1];
  const range = document.createRange();
  range.selectNodeContents(text);
  const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
  return [text.textContent.trim(), tops.size];
})"""


@pytest.fixture
def phone(browser: Any) -> Any:  # noqa: F811
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


@pytest.fixture
def statement_rows(world: Any) -> Any:
    """A year of deposits with large amounts and the 30 June interest, so the statement has its longest rows."""
    from fund.ledger import chart
    from fund.ledger.models import BusinessType
    from fund.ledger.services import Movement, credit, debit, entry_post

    account = world.account_a
    for month in range(1, 13):
        value = Decimal("123456.78")
        entry_post(business_type=BusinessType.GJ_REMIT, reference="phone", idempotency_key=f"phone:{month}",
                   value_date=date(2025, month, 10), legs=[debit(chart.BANK, value), credit(chart.MEMBER_DEPOSITS, value)],
                   movements=[Movement(account.sub_account_id, value)])
    interest = Decimal("9876.54")
    entry_post(business_type=BusinessType.GJ_INTEREST, reference="phone", idempotency_key="phone:interest",
               value_date=date(2025, 6, 30), legs=[debit(chart.BANK, interest), credit(chart.MEMBER_DEPOSITS, interest)],
               movements=[Movement(account.sub_account_id, interest)])
    return account


def test_member_pages_need_no_sideways_scrolling_at_390px(world, live_server, phone, statement_rows):
    # One sign-in walks every page (a test per page paid the live server's data and sign-in ten times); the
    # failure lists each page with what sticks out.
    sign_in(phone, live_server, world.member_a.username)
    SHOTS.mkdir(parents=True, exist_ok=True)
    wrong = []
    for path in MEMBER_PAGES:
        response = phone.goto(f"{live_server.url}{path}")
        phone.screenshot(path=str(SHOTS / f"phone{path.replace('/', '_')}.png"), full_page=True)
        scroll_width, inner_width = phone.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
        problems = {
            "status": None if response.ok else response.status,
            "overflow": phone.evaluate(OVERFLOW) if scroll_width > inner_width else [],
            "sideways": phone.evaluate(SIDEWAYS),
            "squeezed titles": [title for title, lines in phone.evaluate(TITLE_LINES) if lines > 1],
        }
        if any(problems.values()):
            wrong.append((path, problems))
    assert wrong == []


def test_every_member_nav_item_is_in_sight_at_390px(world, live_server, phone):
    sign_in(phone, live_server, world.member_a.username)
    phone.goto(f"{live_server.url}/member/statement/")
    for label in ("首页", "账户明细", "提取", "证明打印", "异地转入", "信息变更"):
        link = phone.locator("nav.topnav a", has_text=label).first
        box = link.bounding_box()
        assert link.is_visible() and box is not None, label
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], label


def test_the_statement_at_390px_shows_each_amount_whole_beside_its_name(world, live_server, phone, statement_rows):
    sign_in(phone, live_server, world.member_a.username)
    phone.goto(f"{live_server.url}/member/statement/")
    amount = phone.locator("td[data-label=发生额]", has_text="123,456.78").first
    box = amount.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    dates = phone.locator("td[data-label=记账日期]").all_inner_texts()
    assert dates.index("2025-07-10") < dates.index("2025-06-30") < dates.index("2025-06-10")


def test_a_members_withdrawal_pages_need_no_sideways_scrolling_at_390px(world, live_server, phone, wd,  # noqa: F811
                                                                        django_capture_on_commit_callbacks):
    from tests.withdrawals.conftest import submit_decided

    w = submit_decided(django_capture_on_commit_callbacks, actor=world.member_a, account=wd.account, reason="07",
                       amount="1234.56")
    sign_in(phone, live_server, world.member_a.username)
    for path in ("/member/withdrawals/", f"/member/withdrawals/{w.pk}/", "/member/"):
        assert phone.goto(f"{live_server.url}{path}").ok
        phone.screenshot(path=str(SHOTS / f"phone_withdrawal{path.replace('/', '_')}.png"), full_page=True)
        scroll_width, inner_width = phone.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
        assert scroll_width <= inner_width, (path, phone.evaluate(OVERFLOW))
        assert phone.evaluate(SIDEWAYS) == [], path
    assert "1,234.56" in phone.content()
