"""The 提前还款 and 结清证明 pages: the borrower previews (nothing written) and confirms once per form token; bad
input comes back on the form naming the field; the window's 受理 post does the same for its branch; someone
else's loan is a 404."""

from datetime import date
from typing import Any

import pytest

from loans.models import Repayment
from tests.clients import page
from tests.clock import travel_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def loan(ln: Any) -> Any:
    with travel_to(date(2026, 4, 10)):
        yield ln.active_loan(principal="300000.00", rate="2.600", months=240, day=20, disbursed_on=date(2026, 3, 20),
                             card_balance="400000.00")


def test_the_borrower_previews_then_confirms_a_prepayment_once(ln: Any, loan: Any) -> None:
    client = page(ln.world.member_a)
    url = f"/member/loans/{loan.pk}/prepay/"
    shown = client.get(url)
    assert shown.status_code == 200 and "预览" in shown.content.decode()
    body = {"mode": "term", "amount": "20000.00", "source": "fund", "client_token": "page-token-0001"}
    preview = client.post(url, {**body, "preview": "1"})
    text = preview.content.decode()
    assert preview.status_code == 200 and "新的还款计划" in text and "确认提前还款 20,000.00 元" in text
    assert not Repayment.objects.exists()
    done = client.post(url, {**body, "confirm": "1"})
    assert done.status_code == 302
    again = client.post(url, {**body, "confirm": "1"})  # the browser's back button and a second click
    assert again.status_code == 302 and again.url == done.url
    assert Repayment.objects.get().from_fund == 20000
    assert "部分提前还款" in client.get(done.url).content.decode()


def test_it_shows_a_bad_amount_on_the_form_and_writes_nothing(ln: Any, loan: Any) -> None:
    answer = page(ln.world.member_a).post(f"/member/loans/{loan.pk}/prepay/", {
        "mode": "payment", "amount": "100.00", "source": "card", "client_token": "page-token-0002", "confirm": "1"})
    assert answer.status_code == 400 and "不得低于" in answer.content.decode()
    assert not Repayment.objects.exists()


@pytest.mark.parametrize("who", ["member_b", "clerk_b"])
def test_someone_elses_loan_pages_are_404(ln: Any, loan: Any, who: str) -> None:
    portal = "member" if who.startswith("member") else "staff"
    client = page(getattr(ln.world, who))
    assert client.get(f"/{portal}/loans/{loan.pk}/prepay/").status_code == 404
    assert client.get(f"/{portal}/loans/{loan.pk}/payoff-certificate/").status_code == 404


def test_the_window_pays_off_a_loan_and_prints_its_certificate(ln: Any, loan: Any,
                                                              django_capture_on_commit_callbacks: Any) -> None:
    client = page(ln.world.clerk)
    with travel_to(date(2026, 4, 10)), django_capture_on_commit_callbacks(execute=True):
        done = client.post(f"/staff/loans/{loan.pk}/prepay/", {
            "mode": "full", "amount": "", "source": "card", "client_token": "page-token-0003", "confirm": "1"})
    assert done.status_code == 302
    loan.refresh_from_db()
    assert loan.status == "closed"
    with django_capture_on_commit_callbacks(execute=True):
        issued = client.post(f"/staff/loans/{loan.pk}/payoff-certificate/")
    assert issued.status_code == 302
    shown = client.get(f"/staff/loans/{loan.pk}/payoff-certificate/").content.decode()
    assert "住房公积金贷款结清证明" in shown and "下载PDF" in shown


def test_a_certificate_is_refused_for_a_loan_still_being_repaid(ln: Any, loan: Any) -> None:
    answer = page(ln.world.member_a).post(f"/member/loans/{loan.pk}/payoff-certificate/")
    assert answer.status_code == 400 and "结清后方可" in answer.content.decode()
