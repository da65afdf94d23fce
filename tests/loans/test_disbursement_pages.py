"""The 放款 page and API: each post sees and does its own step, scoped to its branch; bad input is a 400 naming
the field in Chinese with nothing written; the member sees their own loan, its schedule and progress."""

from decimal import Decimal
from typing import Any

import pytest

from fund.integrations.models import SandboxBankAccount
from fund.people.models import Post
from fund.people.services import staff_create
from loans.models import Disbursement, DisbursementState
from tests.clients import api, page
from tests.conftest import PASSWORD
from tests.loans.conftest import available_becomes, mortgaged_loan

pytestmark = pytest.mark.django_db


@pytest.fixture
def outsider(ln: Any) -> Any:
    """委贷管理 and 财务 of branch B: sees nothing of branch A."""
    return staff_create(actor=None, username="loan_outsider", name="他部", branch=ln.world.branch_b,
                        posts=[Post.LOAN_ADMIN, Post.FINANCE], employee_number="loan_outsider", password=PASSWORD)


def test_the_notice_and_release_go_through_the_api_by_the_right_posts(
        ln: Any, outsider: Any, django_capture_on_commit_callbacks: Any) -> None:
    loan = mortgaged_loan(ln, home_kind="new", project=ln.project)
    available_becomes("1000000.00", "api")
    assert api(outsider).post(f"/api/loans/applications/{loan.application_id}/disbursement-notice/").status_code == 404
    assert api(ln.finance).post(f"/api/loans/applications/{loan.application_id}/disbursement-notice/").status_code == 403
    answer = api(ln.loan_admin).post(f"/api/loans/applications/{loan.application_id}/disbursement-notice/")
    assert answer.status_code == 201, answer.content
    pk = answer.json()["id"]
    assert api(ln.loan_admin).post(f"/api/loans/disbursements/{pk}/release/").status_code == 403
    assert api(outsider).post(f"/api/loans/disbursements/{pk}/release/").status_code == 404
    assert api(ln.world.member_a).get("/api/loans/disbursements/").status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        answer = api(ln.finance).post(f"/api/loans/disbursements/{pk}/release/")
    assert answer.status_code == 200 and answer.json()["state"] == "paying"
    assert Disbursement.objects.get(pk=pk).state == DisbursementState.PAID
    assert [d["id"] for d in api(ln.finance).get("/api/loans/disbursements/?state=paid").json()] == [pk]
    assert api(outsider).get("/api/loans/disbursements/").json() == []
    assert Decimal(api(ln.finance).get("/api/loans/disbursements/liquidity/").json()["committed"]) == Decimal("0")
    assert api(ln.finance).get("/api/loans/disbursements/?state=bogus").json() == {
        "state": ["状态（state）应为 noticed、queued、paying 或 paid"]}


def test_iou_delivery_is_recorded_once_with_who_and_when_and_bad_input_names_the_field(
        ln: Any, django_capture_on_commit_callbacks: Any) -> None:
    loan = mortgaged_loan(ln, home_kind="new", project=ln.project)
    url = f"/api/loans/{loan.pk}/iou-delivery/"
    assert api(ln.loan_admin).post(url, {"how": "pickup", "recipient": "张三"}, format="json").json() == {
        "how": ["贷款发放后才能交付借据"]}
    available_becomes("1000000.00", "iou")
    with django_capture_on_commit_callbacks(execute=True):
        d = api(ln.loan_admin).post(f"/api/loans/applications/{loan.application_id}/disbursement-notice/").json()
        api(ln.finance).post(f"/api/loans/disbursements/{d['id']}/release/")
    for body, field in (({"how": "fax", "recipient": "张三"}, "how"), ({"how": "post", "recipient": "张三"}, "tracking"),
                        ({"how": "pickup", "recipient": "1"}, "recipient"), ({"how": "pickup"}, "recipient")):
        answer = api(ln.loan_admin).post(url, body, format="json")
        assert answer.status_code == 400 and field in answer.json(), (body, answer.content)
    loan.refresh_from_db()
    assert loan.iou_delivered_at is None
    answer = api(ln.loan_admin).post(url, {"how": "post", "recipient": "张三", "tracking": "SF1234567890"}, format="json")
    assert answer.status_code == 200, answer.content
    loan.refresh_from_db()
    assert (loan.iou_delivery, loan.iou_recipient, loan.iou_tracking, loan.iou_delivered_by) == (
        "post", "张三", "SF1234567890", ln.loan_admin)
    assert api(ln.loan_admin).post(url, {"how": "pickup", "recipient": "李四"}, format="json").status_code == 400


def test_the_staff_page_shows_each_tab_with_the_queue_and_liquidity(ln: Any, outsider: Any) -> None:
    SandboxBankAccount.objects.get_or_create(account_number="6217000000000000001", defaults={"name": "王卖方"})
    waiting = mortgaged_loan(ln)
    queued = mortgaged_loan(ln, amount="900000.00")
    from loans.services.disbursement import disbursement_notice, disbursement_release

    d = disbursement_notice(actor=ln.loan_admin, application=queued.application)
    disbursement_release(actor=ln.finance, disbursement=d)  # far more than the world holds: 轮候
    body = page(ln.loan_admin).get("/staff/loans/disbursements/").content.decode()
    assert waiting.application.number in body and "出具放款通知" in body and "可用于放款资金" in body
    body = page(ln.finance).get("/staff/loans/disbursements/?tab=queued").content.decode()
    assert d.number in body and "轮候顺序" in body
    assert d.number not in page(outsider).get("/staff/loans/disbursements/?tab=queued").content.decode()
    assert page(ln.finance).post(f"/staff/loans/applications/{waiting.application_id}/disbursement-notice/").status_code == 403
    assert page(outsider).post(f"/staff/loans/disbursements/{d.pk}/release/").status_code == 404


def test_the_member_sees_their_loan_with_its_schedule_and_progress(
        ln: Any, django_capture_on_commit_callbacks: Any) -> None:
    loan = mortgaged_loan(ln, borrower=ln.person, home_kind="new", project=ln.project)
    member = page(ln.world.member_a)
    assert "合同已签订" in member.get("/member/loans/").content.decode()
    available_becomes("1000000.00", "m")
    from loans.services.disbursement import disbursement_notice, disbursement_release

    with django_capture_on_commit_callbacks(execute=True):
        disbursement_release(actor=ln.finance,
                             disbursement=disbursement_notice(actor=ln.loan_admin, application=loan.application))
    body = member.get("/member/loans/").content.decode()
    assert loan.contract_number in body and "近期还款计划" in body and "3,208.73" in body and "1/240" in body
    home = member.get("/member/").content.decode()
    assert "loan-panel" in home and "600,000.00" in home
    other = page(ln.world.member_b).get("/member/loans/").content.decode()
    assert loan.contract_number not in other and "没有住房公积金贷款" in other
