"""Issue 15 in Chromium: an auditor clears a red-line hit in the 稽核工作台, which releases the held withdrawal
payout: paid once."""

from typing import Any

import pytest

from tests.browser_support import SHOTS, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_auditor_dismisses_a_redline_hit_and_the_held_withdrawal_is_paid(
        wd: Any, live_server: Any, page: Any, monkeypatch: Any) -> None:  # noqa: F811
    from fund.audit.services import audit_log
    from fund.payments.models import Payment
    from risk.services.screening import rules_sync
    from tests.withdrawals.conftest import paper_codes
    from withdrawals.models import Withdrawal
    from withdrawals.services import withdrawal_submit
    from withdrawals.tasks import withdrawal_decide_task

    rules_sync()
    queued: list[int] = []
    with monkeypatch.context() as patch:  # the 秒批 decision waits until the trail below is written
        patch.setattr(withdrawal_decide_task, "delay", queued.append)
        w = withdrawal_submit(actor=wd.world.clerk, account=wd.account, reason="07", channel="window",
                              amount="1500.00", materials=paper_codes("07"))
    # The trail shows the accepting clerk approving it (what a bypassed review leaves), then the decision runs.
    audit_log(actor=wd.world.clerk, action="withdrawals.approved", target=w, new={"state": "approved"})
    withdrawal_decide_task(*queued)
    payment = Payment.objects.get(subject_id=w.pk, purpose="withdrawals.payout")
    assert payment.state == "held"

    SHOTS.mkdir(parents=True, exist_ok=True)
    sign_in(page, live_server, wd.world.auditor.username)
    page.goto(f"{live_server.url}/staff/risk/audit/")
    page.click(f"a:has-text('{w.number}')")
    page.wait_for_selector("text=提取审批人与受理人、初审人为同一人")
    page.fill("#hit-decide textarea[name=opinion]", "经调阅监控与纸质审批表，实际由审批岗审批，系统日志为误录")
    page.screenshot(path=str(SHOTS / "audit_hit_redline.png"), full_page=True)
    page.click("button:has-text('排除疑点')")
    page.wait_for_selector("text=已排除疑点")
    page.screenshot(path=str(SHOTS / "audit_hit_dismissed.png"), full_page=True)

    w = Withdrawal.objects.get(pk=w.pk)
    payment.refresh_from_db()
    assert (w.state, payment.state, payment.attempts.count()) == ("paid", "paid", 1)
