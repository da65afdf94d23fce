"""Issue 12 item 7 in Chromium: a member whose rent withdrawal went to people sees 初审 as the current step with
its deadline and post, one state in the badge and the sentence, at desktop width and at 390 px; the staff page
says the same."""

from typing import Any

import pytest

from tests.browser_support import SHOTS, sign_in
from tests.withdrawals.conftest import online

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_sees_the_review_step_its_deadline_and_post(wd: Any, live_server: Any, browser: Any) -> None:  # noqa: F811
    from withdrawals.models import WithdrawalState

    wd.home(wd.person.id_number, "鲁(2025)示范市不动产权第0000777号")
    w = online(wd, _run_now, "07", amount="1200.00")
    assert w.state == WithdrawalState.REVIEW
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1366, 390):
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
        member = context.new_page()
        sign_in(member, live_server, wd.world.member_a.username)
        member.goto(f"{live_server.url}/member/withdrawals/{w.pk}/")
        status = member.locator("#withdrawal-status")
        assert status.locator("[data-withdrawal-state]").inner_text() == "人工审核中"
        current = status.locator(".step-current")
        assert current.locator(".step-label").inner_text() == "初审"
        assert "市直管理部初审岗" in current.inner_text() and f"{w.due_on:%Y-%m-%d} 前办结" in current.inner_text()
        sentence = status.locator("[data-status-sentence]").inner_text()
        assert "“初审”环节" in sentence and "秒批" not in status.inner_text()
        assert member.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")  # no sideways scroll
        member.screenshot(path=str(SHOTS / f"withdrawal_review_progress_{width}.png"), full_page=True)
        for name, path in (("home", "/member/"), ("list", "/member/withdrawals/")):
            member.goto(f"{live_server.url}{path}")
            assert member.locator("[data-withdrawal-state]").first.inner_text() == "人工审核中"
            assert "“初审”环节" in member.locator("[data-status-sentence]").first.inner_text()
            assert member.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
            member.screenshot(path=str(SHOTS / f"withdrawal_review_{name}_{width}.png"), full_page=True)
        context.close()
    staff = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN").new_page()
    sign_in(staff, live_server, wd.world.clerk.username)
    staff.goto(f"{live_server.url}/staff/withdrawals/{w.pk}/")
    assert staff.locator("h1 [data-withdrawal-state]").inner_text() == "人工审核中"
    assert staff.locator(".step-current .step-label").inner_text() == "初审"
    staff.screenshot(path=str(SHOTS / "withdrawal_review_progress_staff.png"), full_page=True)


class _run_now:
    """Stands in for django_capture_on_commit_callbacks in a transactional test: on_commit runs at commit."""

    def __init__(self, execute: bool = True) -> None:
        pass

    def __enter__(self) -> "_run_now":
        return self

    def __exit__(self, *exc: Any) -> None:
        return None
