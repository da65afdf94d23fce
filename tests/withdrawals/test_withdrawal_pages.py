"""The withdrawal pages: the personal hall (apply online, follow progress, cancel, print the receipt,
standing instructions) and the staff workspace (window acceptance with the material checklist, the list,
the detail with rule evidence and the two-person review). Tasks run on commit, eagerly."""

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

import withdrawals.panels  # noqa: F401  (registers the member-home panel, as apps.ready() will)
from fund.ledger.selectors import ledger_reconcile
from fund.printing.models import Document
from tests.clients import page as login
from tests.withdrawals.conftest import MEDICAL, illness
from withdrawals.models import Withdrawal, WithdrawalState
from withdrawals.services import withdrawal_submit

pytestmark = pytest.mark.django_db


def apply_url(key: str) -> str:
    return reverse("member:withdrawal_apply", args=[key])


def window_url(wd: Any, reason: str) -> str:
    return f"/staff/withdrawals/new/?account={wd.account.pk}&reason={reason}"


def review_case(wd: Any, capture: Any) -> Withdrawal:
    """A rent application that goes to people: the registry shows a home in the member's name."""
    wd.home(wd.person.id_number, "鲁(2025)示范市不动产权第0000777号")
    with capture(execute=True):
        w = withdrawal_submit(actor=wd.world.member_a, account=wd.account, reason="07", channel="online",
                              amount="1200.00")
    w.refresh_from_db()
    assert w.state == WithdrawalState.REVIEW
    return w


# ---- who sees what --------------------------------------------------------------------------------------

def test_member_pages_are_for_members_only(wd: Any) -> None:
    world = wd.world
    page = login(world.member_a).get("/member/withdrawals/")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-reason="07"' in text and apply_url("07") in text  # rent is offered online
    assert "请到综合窗口办理" in text and apply_url("09") not in text  # illness is not
    assert reverse("guide:item", args=["TQ-09"]) in text
    for user in (world.unit_a_op, world.dev_a, world.outsider, world.clerk):
        assert login(user).get("/member/withdrawals/").status_code == 404, user
        assert login(user).get(apply_url("07")).status_code == 404, user
    assert login(world.member_a).get(apply_url("nope")).status_code == 404


def test_someone_elses_withdrawal_is_a_404(wd: Any, django_capture_on_commit_callbacks: Any) -> None:
    world = wd.world
    w = review_case(wd, django_capture_on_commit_callbacks)
    member_url, staff_url = reverse("member:withdrawal", args=[w.pk]), reverse("staff:withdrawal", args=[w.pk])
    assert login(world.member_a).get(member_url).status_code == 200
    assert login(world.clerk).get(staff_url).status_code == 200
    assert login(world.director).get(staff_url).status_code == 200  # centre-wide
    for user in (world.member_b, world.unit_a_op, world.dev_a, world.outsider):
        assert login(user).get(member_url).status_code == 404, user
    for user in (world.clerk_b, world.member_a, world.member_b, world.unit_a_op, world.dev_a, world.outsider):
        assert login(user).get(staff_url).status_code == 404, user
    # clerk_b cannot act on it either, and member_b cannot cancel it.
    assert login(world.clerk_b).post(reverse("staff:withdrawal_review", args=[w.pk]), {"decision": "approve"}).status_code == 404
    assert login(world.member_b).post(reverse("member:withdrawal_cancel", args=[w.pk])).status_code == 404
    w.refresh_from_db()
    assert w.state == WithdrawalState.REVIEW
    # The staff list is the branch's: clerk_b's is empty.
    assert w.number in login(world.clerk).get("/staff/withdrawals/").content.decode()
    assert w.number not in login(world.clerk_b).get("/staff/withdrawals/").content.decode()


def test_window_pages_need_the_accept_post(wd: Any) -> None:
    assert login(wd.world.clerk).get("/staff/withdrawals/new/").status_code == 200
    assert login(wd.reviewer).get("/staff/withdrawals/new/").status_code == 403
    assert login(wd.world.member_a).get("/staff/withdrawals/new/").status_code == 404
    # The lookup is scoped: clerk_b (another branch) does not find member_a's account.
    lookup = {"id_number": wd.person.id_number}  # POSTed, so the ID number stays out of URLs and access logs
    found = login(wd.world.clerk).post("/staff/withdrawals/new/", lookup).content.decode()
    assert wd.account.number in found and f"?account={wd.account.pk}" in found
    other = login(wd.world.clerk_b).post("/staff/withdrawals/new/", lookup)
    assert wd.account.number not in other.content.decode() and "未查到" in other.content.decode()
    assert login(wd.world.clerk_b).get(window_url(wd, "07")).status_code == 404


# ---- the personal hall ----------------------------------------------------------------------------------

def test_member_applies_for_rent_online_and_sees_it_paid(wd: Any, django_capture_on_commit_callbacks: Any) -> None:
    client = login(wd.world.member_a)
    form = client.get(apply_url("07"))
    assert form.status_code == 200
    token = form.context["form"].initial["client_token"]
    assert token and "6217" in form.content.decode()  # the account's card, masked, is the default payee
    assert wd.card not in form.content.decode()
    before = wd.balance
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(apply_url("07"), {"client_token": token, "amount": "1500.00"})
    w = Withdrawal.objects.get(account=wd.account)
    assert response.status_code == 302 and response["Location"] == reverse("member:withdrawal", args=[w.pk])
    assert w.channel == "online" and w.state == WithdrawalState.PAID and w.amount == Decimal("1500.00")
    assert wd.balance == before - Decimal("1500.00")
    # A double click or a resubmitted form carries the same token: still one withdrawal.
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(apply_url("07"), {"client_token": token, "amount": "1500.00"})
    assert again.status_code == 302 and Withdrawal.objects.filter(account=wd.account).count() == 1
    detail = client.get(response["Location"]).content.decode()
    assert "已到账" in detail and "打印提取凭证" in detail and "hx-trigger" not in detail  # paid: no more polling
    assert "✓" in detail and "✗" not in detail and "无房" in detail  # the rules, in plain words
    client.post(reverse("member:withdrawal_receipt", args=[w.pk]))
    assert Document.objects.filter(kind="withdrawals.receipt", context__number=w.number).count() == 1
    assert ledger_reconcile() == []


def test_detail_polls_while_deciding(wd: Any) -> None:
    w = withdrawal_submit(actor=wd.world.member_a, account=wd.account, reason="07", channel="online")  # task not run
    client = login(wd.world.member_a)
    page = client.get(reverse("member:withdrawal", args=[w.pk])).content.decode()
    assert reverse("member:withdrawal_status", args=[w.pk]) in page and 'hx-trigger="every 2s"' in page
    fragment = client.get(reverse("member:withdrawal_status", args=[w.pk]))
    assert fragment.status_code == 200 and "系统核验中" in fragment.content.decode()
    home = client.get("/member/").content.decode()  # the home panel shows it in flight
    assert w.number in home and "系统核验" in home


def test_paper_reason_is_refused_online_naming_the_window(wd: Any) -> None:
    client = login(wd.world.member_a)
    page = client.get(apply_url("09")).content.decode()
    assert "请到综合窗口办理" in page and "<form method=\"post\" novalidate" not in page
    response = client.post(apply_url("09"), {"client_token": "t-09", "expenses": "20000", **MEDICAL})
    assert response.status_code == 200 and "综合窗口" in response.content.decode()
    assert not Withdrawal.objects.exists()


def test_bad_input_is_shown_on_its_field(wd: Any) -> None:
    client = login(wd.world.member_a)
    response = client.post(apply_url("07"), {"client_token": "t-bad", "amount": "-5", "payee_card": "123"})
    errors = response.context["form"].errors
    assert "大于 0" in errors["amount"][0] and errors["payee_card"]
    assert not Withdrawal.objects.exists()
    purchase = client.get(apply_url("01")).content.decode()
    assert "房屋所有人与您的关系" in purchase and "不动产权证号" in purchase and "购房发票号码" in purchase
    retire = client.get(apply_url("03")).content.decode()
    assert "提取全部余额并销户" in retire and 'name="amount"' not in retire


def test_member_cancels_while_in_review(wd: Any, django_capture_on_commit_callbacks: Any) -> None:
    w = review_case(wd, django_capture_on_commit_callbacks)
    client = login(wd.world.member_a)
    assert "撤回申请" in client.get(reverse("member:withdrawal", args=[w.pk])).content.decode()
    client.post(reverse("member:withdrawal_cancel", args=[w.pk]))
    w.refresh_from_db()
    assert w.state == WithdrawalState.CANCELLED
    assert "撤回申请" not in client.get(reverse("member:withdrawal", args=[w.pk])).content.decode()


def test_standing_instruction_sign_and_end(wd: Any) -> None:
    wd.commercial_loan(instalment="2500.00")
    client = login(wd.world.member_a)
    page = client.get("/member/withdrawals/standing/")
    assert "建设银行示范分行" in page.content.decode()
    loan = page.context["form"].fields["loan"].choices[0][0]
    bad = client.post("/member/withdrawals/standing/", {"loan": loan, "payee_card": "1234", "day": "5"})
    assert bad.context["form"].errors["payee_card"]
    done = client.post("/member/withdrawals/standing/", {"loan": loan, "payee_card": wd.card, "day": "6"})
    assert done.status_code == 302
    instruction = wd.account.standing_instructions.get()
    assert instruction.state == "active" and instruction.day == 6 and instruction.monthly_amount == Decimal("2500.00")
    assert "生效中的协议" in client.get("/member/withdrawals/standing/").content.decode()
    assert login(wd.world.member_b).post(f"/member/withdrawals/standing/{instruction.pk}/end/", {"reason": "x"}).status_code == 404
    client.post(f"/member/withdrawals/standing/{instruction.pk}/end/", {"reason": "贷款已结清"})
    instruction.refresh_from_db()
    assert instruction.state == "ended" and instruction.end_reason == "贷款已结清"


# ---- the staff workspace --------------------------------------------------------------------------------

def test_window_acceptance_checks_the_paper_materials(wd: Any, django_capture_on_commit_callbacks: Any) -> None:
    clerk = login(wd.world.clerk)
    page = clerk.get(window_url(wd, "09")).content.decode()
    assert 'name="materials" value="diagnosis"' in page and 'name="expenses"' in page
    data = {"client_token": "w-1", "expenses": "20000.00", "amount": "8000.00", "materials": ["diagnosis"], **MEDICAL}
    missing = clerk.post(window_url(wd, "09"), data)
    text = missing.content.decode()
    assert "医疗费用票据及医保结算单" in text and "尚缺材料" in text  # names what is missing
    assert reverse("staff:guide-notice", args=["TQ-09"]) in text  # and offers the one-time notice
    assert 'value="diagnosis" id="materials-diagnosis" checked' in text  # what was ticked stays ticked
    assert not Withdrawal.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        done = clerk.post(window_url(wd, "09"), {**data, "materials": ["diagnosis", "medical_bills"]})
    w = Withdrawal.objects.get()
    assert done.status_code == 302 and done["Location"] == reverse("staff:withdrawal", args=[w.pk])
    assert w.channel == "window" and w.materials == ["diagnosis", "medical_bills"] and w.details == illness("20000.00")
    assert w.state == WithdrawalState.REVIEW  # illness is always decided by people


def test_heir_fields_for_death(wd: Any) -> None:
    page = login(wd.world.clerk).get(window_url(wd, "08")).content.decode()
    for label in ("继承人与缴存人关系", "继承人姓名", "继承人身份证号码", "继承人银行卡号"):
        assert label in page
    assert 'name="amount"' not in page and "提取全部余额并销户" in page


def test_review_through_two_different_people(wd: Any, django_capture_on_commit_callbacks: Any) -> None:
    w = review_case(wd, django_capture_on_commit_callbacks)
    url, review = reverse("staff:withdrawal", args=[w.pk]), reverse("staff:withdrawal_review", args=[w.pk])
    detail = login(wd.reviewer2).get(url)
    text = detail.content.decode()
    assert 'id="review-form"' in text and "初审" in text
    no_home = next(c for n, checks in detail.context["rounds"] for c in checks if c.rule == "no_home")
    assert not no_home.passed and no_home.evidence_items  # the failed rule with its evidence …
    links = [link["url"] for e in no_home.evidence_items for link in e["links"]]
    assert links and links[0].startswith("/staff/calls/")  # … linking the call's staff page
    assert login(wd.world.clerk).get(links[0]).status_code == 200  # which the clerk can open (not the admin)
    assert 'id="review-form"' not in login(wd.world.clerk).get(url).content.decode()  # 受理 may not review
    # Rejecting needs an opinion, named on its field.
    rejected = login(wd.reviewer2).post(review, {"decision": "reject", "opinion": ""})
    assert rejected.status_code == 200 and rejected.context["review_form"].errors["opinion"]
    login(wd.reviewer2).post(review, {"decision": "approve", "opinion": "租房合同已核"})
    w.refresh_from_db()
    assert w.state == WithdrawalState.REVIEW
    # The same person may not decide the next step: no form, and a POST is refused.
    assert 'id="review-form"' not in login(wd.reviewer2).get(url).content.decode()
    refused = login(wd.reviewer2).post(review, {"decision": "approve", "opinion": "同意", "amount": ""}, follow=True)
    assert "不同的人" in refused.content.decode()
    w.refresh_from_db()
    assert w.state == WithdrawalState.REVIEW
    approve_page = login(wd.approver).get(url).content.decode()
    assert "审批" in approve_page and 'name="amount"' in approve_page  # the last step may lower the amount
    too_much = login(wd.approver).post(review, {"decision": "approve", "opinion": "同意", "amount": "99999.00"})
    assert "不能超过" in too_much.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        login(wd.approver).post(review, {"decision": "approve", "opinion": "同意", "amount": "1000.00"})
    w.refresh_from_db()
    assert w.state == WithdrawalState.PAID and w.amount == Decimal("1000.00") and w.decider == "manual"
    history = login(wd.world.clerk).get(url).content.decode()
    assert "租房合同已核" in history and "打印提取凭证" in history
    assert ledger_reconcile() == []


def test_failed_payout_is_paid_again_by_the_window(wd: Any, django_capture_on_commit_callbacks: Any) -> None:
    wd.bank_account.fail_payouts = True
    wd.bank_account.save()
    with django_capture_on_commit_callbacks(execute=True):
        w = withdrawal_submit(actor=wd.world.member_a, account=wd.account, reason="07", channel="online", amount="900")
    w.refresh_from_db()
    assert w.state == WithdrawalState.PAYOUT_FAILED
    url = reverse("staff:withdrawal", args=[w.pk])
    assert "重新付款" in login(wd.world.clerk).get(url).content.decode()
    assert "重新付款" not in login(wd.reviewer).get(url).content.decode()
    assert login(wd.reviewer).post(reverse("staff:withdrawal_retry", args=[w.pk])).status_code == 403
    wd.bank_account.fail_payouts = False
    wd.bank_account.save()
    with django_capture_on_commit_callbacks(execute=True):
        login(wd.world.clerk).post(reverse("staff:withdrawal_retry", args=[w.pk]))
    w.refresh_from_db()
    assert w.state == WithdrawalState.PAID and w.payouts.count() == 2
    assert ledger_reconcile() == []


def test_staff_list_filters_counts_and_masks(wd: Any, django_capture_on_commit_callbacks: Any) -> None:
    w = review_case(wd, django_capture_on_commit_callbacks)
    clerk = login(wd.world.clerk)
    page = clerk.get("/staff/withdrawals/")
    text = page.content.decode()
    assert w.number in text and wd.person.id_number not in text  # IDs masked
    stats = {s["state"]: s["count"] for s in page.context["stats"]}
    assert stats["review"] == 1 and stats["paid"] == 0
    assert w.number in clerk.get(f"/staff/withdrawals/?q={wd.person.id_number}").content.decode()
    assert w.number in clerk.get("/staff/withdrawals/?state=review&reason=07&channel=online").content.decode()
    assert w.number not in clerk.get("/staff/withdrawals/?state=paid").content.decode()
    assert w.number not in clerk.get("/staff/withdrawals/?date_from=2099-01-01").content.decode()
