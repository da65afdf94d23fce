"""A withdrawal's state in words is the same everywhere: the badge on the member's detail, list and home, on
the staff list and detail, and the API's state_label all come from `withdrawals.status`; the sentence beside
the badge never names another state; a reason that always goes to people is never called 秒批; and while
people hold it, the member's progress shows 初审 and 审批, with the deadline and the post (never a name)."""

import re
from typing import Any

import pytest
from django.urls import reverse

import withdrawals.panels  # noqa: F401  (registers the member-home panel, as apps.ready() does)
from tests.clients import api
from tests.clients import page as login
from tests.withdrawals.conftest import illness, online, paper_codes
from withdrawals.models import Withdrawal, WithdrawalState
from withdrawals.services import withdrawal_cancel, withdrawal_submit
from withdrawals.status import withdrawal_progress, withdrawal_status

pytestmark = pytest.mark.django_db

LABELS = [label for _, label in WithdrawalState.choices]
BADGE = re.compile(r'data-withdrawal-state="(\w+)">([^<]+)</span>')


def badges(html: str) -> set[tuple[str, str]]:
    """Every withdrawal-state badge on a page, as (state, words)."""
    return set(BADGE.findall(html))


def in_review(wd: Any, capture: Any) -> Withdrawal:
    """A rent application the rules send to people: the registry shows a home in the member's name."""
    wd.home(wd.person.id_number, "鲁(2025)示范市不动产权第0000777号")
    w = online(wd, capture, "07", amount="1200.00")
    assert w.state == WithdrawalState.REVIEW
    return w


def assert_pages_agree(wd: Any, w: Withdrawal) -> None:
    """Each page that shows `w` wears the helper's badge, and no page names another state's words."""
    w.refresh_from_db()
    status = withdrawal_status(w)
    expected = {(w.state, status.label)}
    member, staff = login(wd.world.member_a), login(wd.world.clerk)
    pages = {
        "member detail": member.get(reverse("member:withdrawal", args=[w.pk])).content.decode(),
        "member list": member.get(reverse("member:withdrawals")).content.decode(),
        "staff detail": staff.get(reverse("staff:withdrawal", args=[w.pk])).content.decode(),
        "staff list": staff.get(reverse("staff:withdrawals") + f"?q={w.number}").content.decode(),
    }
    if w.state in (WithdrawalState.SUBMITTED, WithdrawalState.REVIEW, WithdrawalState.APPROVED,
                   WithdrawalState.PAYOUT_FAILED):
        pages["member home"] = member.get("/member/").content.decode()
    for name, html in pages.items():
        assert badges(html) == expected, (name, badges(html))
    for name in ("member detail", "staff detail"):
        assert status.sentence in pages[name], name
    others = [label for label in LABELS if label != status.label]
    for other in others:  # no sentence or message names a state it is not in
        assert other not in pages["member detail"], other
    assert api(wd.world.member_a).get(f"/api/withdrawals/{w.pk}/").json()["state_label"] == status.label
    listed = api(wd.world.clerk).get("/api/withdrawals/").json()["results"]
    assert [r["state_label"] for r in listed if r["id"] == w.pk] == [status.label]


def test_a_paid_withdrawal_says_paid_on_every_page(wd: Any, django_capture_on_commit_callbacks: Any) -> None:
    w = online(wd, django_capture_on_commit_callbacks, "07", amount="900.00")
    assert w.state == WithdrawalState.PAID
    assert_pages_agree(wd, w)


def test_a_withdrawal_in_review_says_so_on_every_page(wd: Any, django_capture_on_commit_callbacks: Any) -> None:
    assert_pages_agree(wd, in_review(wd, django_capture_on_commit_callbacks))


def test_a_deciding_withdrawal_says_so_on_every_page(wd: Any) -> None:
    w = withdrawal_submit(actor=wd.world.member_a, account=wd.account, reason="07", channel="online")  # task not run
    assert_pages_agree(wd, w)


def test_a_failed_payout_says_so_on_every_page(wd: Any, django_capture_on_commit_callbacks: Any) -> None:
    wd.bank_account.fail_payouts = True
    wd.bank_account.save()
    w = online(wd, django_capture_on_commit_callbacks, "07", amount="900.00")
    assert w.state == WithdrawalState.PAYOUT_FAILED
    assert_pages_agree(wd, w)


def test_a_rejected_and_a_cancelled_withdrawal_say_so_on_every_page(
    wd: Any, django_capture_on_commit_callbacks: Any
) -> None:
    w = in_review(wd, django_capture_on_commit_callbacks)
    withdrawal_cancel(actor=wd.world.member_a, withdrawal=w, reason="不再需要")
    assert_pages_agree(wd, w)
    w.refresh_from_db()
    assert [s["label"] for s in withdrawal_progress(w)][-1] == "已撤回"


def test_the_submit_message_names_no_state_the_page_contradicts(
    wd: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = login(wd.world.member_a)
    token = client.get(reverse("member:withdrawal_apply", args=["07"])).context["form"].initial["client_token"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("member:withdrawal_apply", args=["07"]), {"client_token": token, "amount": "800"})
    page = client.get(response["Location"]).content.decode()  # the flash message is shown here
    assert badges(page) == {("paid", "已到账")}
    assert "正在核验" not in page and "已批准待到账" not in page


def test_a_reason_that_always_goes_to_people_is_never_called_instant(wd: Any) -> None:
    """大病医疗 is decided by people whatever its rules say: while the system checks it, nothing says 秒批,
    and its progress already shows 初审 and 审批 to come."""
    w = withdrawal_submit(actor=wd.world.clerk, account=wd.account, reason="09", channel="window",
                          amount="8000.00", details=illness("20000.00"), materials=paper_codes("09"))
    assert w.state == WithdrawalState.SUBMITTED
    status = withdrawal_status(w)
    assert "秒批" not in status.label + status.sentence and "初审" in status.sentence
    steps = withdrawal_progress(w)
    assert [s["label"] for s in steps] == ["受理", "系统核验", "初审", "审批", "银行付款", "资金到账"]
    member = login(wd.world.member_a).get(reverse("member:withdrawal", args=[w.pk])).content.decode()
    section = member[member.index('id="withdrawal-status"'):]
    assert "秒批" not in section and "初审" in section and "审批" in section
    assert_pages_agree(wd, w)


def test_progress_shows_review_and_approval_with_deadline_and_post(
    wd: Any, django_capture_on_commit_callbacks: Any
) -> None:
    w = in_review(wd, django_capture_on_commit_callbacks)
    url = reverse("member:withdrawal", args=[w.pk])
    member = login(wd.world.member_a)
    steps = {s["key"]: s for s in member.get(url).context["steps"]}
    assert [s["label"] for s in steps.values()] == ["受理", "系统核验", "初审", "审批", "银行付款", "资金到账"]
    assert steps["review"]["state"] == "current" and steps["approve"]["state"] == "todo"
    assert steps["review"]["due"] == w.due_on and steps["review"]["holder"] == "市直管理部初审岗"
    assert steps["approve"]["holder"] == "市直管理部审批岗"
    page = member.get(url).content.decode()
    assert "市直管理部初审岗" in page and f"{w.due_on:%Y-%m-%d} 前办结" in page
    # 初审 decided by reviewer2: the member sees the step done and 审批 now holding it, never who decided.
    review = reverse("staff:withdrawal_review", args=[w.pk])
    login(wd.reviewer2).post(review, {"decision": "approve", "opinion": "租房合同已核"})
    steps = {s["key"]: s for s in member.get(url).context["steps"]}
    assert steps["review"]["state"] == "done" and steps["approve"]["state"] == "current"
    page = member.get(url).content.decode()
    assert "“审批”环节" in page and "reviewer2" not in page
    api_steps = {s["key"]: s for s in api(wd.world.member_a).get(f"/api/withdrawals/{w.pk}/").json()["timeline"]}
    assert api_steps["approve"]["state"] == "current" and api_steps["approve"]["holder"] == "市直管理部审批岗"
    assert api_steps["approve"]["due"] == f"{w.due_on:%Y-%m-%d}"
    with django_capture_on_commit_callbacks(execute=True):
        login(wd.approver).post(review, {"decision": "approve", "opinion": "同意", "amount": "1000.00"})
    w.refresh_from_db()
    assert w.state == WithdrawalState.PAID
    assert [s["state"] for s in withdrawal_progress(w)] == ["done"] * 6
    assert_pages_agree(wd, w)


def test_an_instant_withdrawal_shows_no_review_steps(wd: Any, django_capture_on_commit_callbacks: Any) -> None:
    w = online(wd, django_capture_on_commit_callbacks, "07", amount="900.00")
    assert [s["label"] for s in withdrawal_progress(w)] == ["受理", "系统核验", "银行付款", "资金到账"]
