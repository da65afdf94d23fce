"""Issue 16 item 2 in Chromium: a member follows a withdrawal in 我的办件 from 初审 to 审批 (list, steps with
the deadline, the link to the withdrawal's own page), and a unit operator follows the unit's deferral (缓缴)
in the unit hall's 我的办件."""

from typing import Any

import pytest
from django.utils import timezone

from tests.browser_support import SHOTS, sign_in
from tests.withdrawals.conftest import online

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class _run_now:
    """Stands in for django_capture_on_commit_callbacks in a transactional test: on_commit runs at commit."""

    def __init__(self, execute: bool = True) -> None:
        pass

    def __enter__(self) -> "_run_now":
        return self

    def __exit__(self, *exc: Any) -> None:
        return None


def test_a_member_follows_a_withdrawal_and_a_unit_its_deferral(wd: Any, live_server: Any, page: Any) -> None:
    from deposits.services.unit_applications import unit_application_submit
    from fund.tracking.models import Application
    from withdrawals.services import withdrawal_review

    wd.home(wd.person.id_number, "鲁(2025)示范市不动产权第0000779号")  # a home of one's own: rent goes to people
    w = online(wd, _run_now, "07", amount="1200.00")
    number = Application.objects.get(source_number=w.number).number
    SHOTS.mkdir(parents=True, exist_ok=True)

    sign_in(page, live_server, wd.world.member_a.username)
    page.locator(".nav-menu summary").filter(has_text="便民服务").click()  # the service pages' menu
    page.get_by_role("link", name="我的办件").first.click()
    row = page.locator(f"[data-tracking-list] tr[data-number='{number}']")
    assert "初审" in row.inner_text() and f"{w.due_on:%Y-%m-%d}" in row.inner_text()
    row.get_by_role("link", name="查看进度").click()
    current = page.locator(".step-current")
    assert current.locator(".step-label").inner_text() == "初审" and f"{w.due_on:%Y-%m-%d} 前办结" in current.inner_text()
    page.screenshot(path=str(SHOTS / "tracking_member_withdrawal_review.png"), full_page=True)

    withdrawal_review(actor=wd.reviewer, withdrawal=w, approve=True, opinion="")  # 初审 passes: 审批 next
    page.reload()
    assert page.locator(".step-current .step-label").inner_text() == "审批"
    assert page.locator(".step-done .step-label").all_inner_texts() == ["系统核验", "初审"]
    history = page.locator("[data-tracking-history]").inner_text()
    assert "初审" in history and "审批" in history and wd.reviewer.username not in history  # no staff names
    page.screenshot(path=str(SHOTS / "tracking_member_withdrawal_approve.png"), full_page=True)
    page.get_by_role("link", name="查看业务详情").click()
    assert page.url.endswith(f"/member/withdrawals/{w.pk}/")

    today = timezone.localdate()
    deferral = unit_application_submit(actor=wd.world.unit_a_op, unit=wd.world.unit_a, kind="deferral",
                                       start_month=today, end_month=today, reason="经营困难，申请缓缴")
    unit = page.context.browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN").new_page()
    sign_in(unit, live_server, wd.world.unit_a_op.username)
    unit.goto(f"{live_server.url}/unit/")
    panel = unit.locator("#tracking-panel")
    assert "缓缴住房公积金" in panel.inner_text()
    panel.get_by_role("link", name="全部办件").click()
    row = unit.locator("[data-tracking-list] tr").filter(has_text="缓缴住房公积金")
    assert "初审" in row.inner_text()
    row.get_by_role("link", name="查看进度").click()
    assert unit.locator(".step-current .step-label").inner_text() == "初审"
    assert deferral.number in unit.locator("[data-tracking-detail]").inner_text()
    assert unit.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")  # no sideways scroll
    unit.screenshot(path=str(SHOTS / "tracking_unit_deferral_390.png"), full_page=True)
    unit.context.close()
