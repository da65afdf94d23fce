"""变更还款账号: the borrower (hall) or a 受理 clerk (window) changes the repayment card to another card of the
borrower's that the bank confirms; the next batch debit asks the new card; bad input names the field and
writes nothing; nobody else reaches the loan."""

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fund.audit.models import AuditEvent
from fund.integrations.models import SandboxBankAccount, SandboxSms
from loans.close import overdue_step
from loans.models import CollectionItem, Loan
from loans.services.collection import debit_step
from loans.services.repayment_card import repayment_card_change
from tests.clients import api, page
from tests.loans.test_close_debit import DUE

pytestmark = pytest.mark.django_db


def test_the_borrower_changes_the_card_and_the_next_debit_asks_the_new_one(
        ln: Any, django_capture_on_commit_callbacks: Any) -> None:
    loan = ln.active_loan(card_balance="5000.00")
    new = ln.card(balance="5000.00")
    with django_capture_on_commit_callbacks(execute=True):
        changed = repayment_card_change(actor=ln.world.member_a, loan=loan, card=new)
    assert changed.repayment_card == new and Loan.objects.get(pk=loan.pk).repayment_card == new
    event = AuditEvent.objects.get(action="loans.loan.card_changed")
    assert event.old == {"repayment_card": loan.repayment_card} and event.new["repayment_card"] == new
    assert SandboxSms.objects.filter(phone=ln.person.phone, text__contains=f"已变更为尾号{new[-4:]}").count() == 1
    overdue_step(DUE)
    debit_step(DUE)
    assert CollectionItem.objects.get(loan=loan).account_number == new
    # the same change again is no change (and texts nobody)
    with pytest.raises(ValidationError) as same:
        repayment_card_change(actor=ln.world.member_a, loan=changed, card=new)
    assert "相同" in same.value.message_dict["repayment_card"][0]


@pytest.mark.parametrize("card,message", [
    ("", "请填写银行卡号"), ("6217 0088 0000 0000 001", "校验位"), ("62170088", "12至19位"),
    ("6217008800000009992", "未通过银行核验"),  # another person's card at the bank
])
def test_a_bad_card_is_refused_naming_the_field_and_nothing_changes(ln: Any, card: str, message: str) -> None:
    SandboxBankAccount.objects.create(account_number="6217008800000009992", name="王五",
                                      holder_id="370802198001010011", bank_name="建设银行")
    loan = ln.active_loan()
    with pytest.raises(ValidationError) as refused:
        repayment_card_change(actor=ln.world.clerk, loan=loan, card=card)
    assert message in refused.value.message_dict["repayment_card"][0]
    assert Loan.objects.get(pk=loan.pk).repayment_card == loan.repayment_card
    assert not AuditEvent.objects.filter(action="loans.loan.card_changed").exists()


def test_only_the_borrower_and_the_window_change_it_and_not_on_a_closed_loan(ln: Any) -> None:
    loan = ln.active_loan()
    new = ln.card()
    for outsider in (ln.world.member_b, ln.reviewer):
        with pytest.raises(PermissionDenied):
            repayment_card_change(actor=outsider, loan=loan, card=new)
    Loan.objects.filter(pk=loan.pk).update(status="closed")
    loan.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        repayment_card_change(actor=ln.world.clerk, loan=loan, card=new)
    assert "loan" in refused.value.message_dict


def test_the_pages_and_the_api_change_it_for_the_borrower_and_the_branch_and_hide_the_loan_from_others(ln: Any) -> None:
    loan = ln.active_loan()
    hall = page(ln.world.member_a)
    form = hall.get(f"/member/loans/{loan.pk}/card/")
    assert form.status_code == 200 and "新还款账号" in form.content.decode()
    assert loan.repayment_card not in form.content.decode()  # shown masked
    first = ln.card()
    done = hall.post(f"/member/loans/{loan.pk}/card/", {"repayment_card": first})
    assert done.status_code == 302 and Loan.objects.get(pk=loan.pk).repayment_card == first
    bad = hall.post(f"/member/loans/{loan.pk}/card/", {"repayment_card": "123"})
    assert bad.status_code == 200 and "12至19位" in bad.content.decode()
    second = ln.card()
    answer = api(ln.world.clerk).post(f"/api/loans/{loan.pk}/card/", {"repayment_card": second}, format="json")
    assert answer.status_code == 200 and answer.json()["repayment_card"] == f"{second[:4]} **** **** {second[-4:]}"
    refused = api(ln.world.clerk).post(f"/api/loans/{loan.pk}/card/", {"repayment_card": "x"}, format="json")
    assert refused.status_code == 400 and "repayment_card" in refused.json()
    for outsider in (ln.world.member_b, ln.world.clerk_b, ln.world.unit_a_op):
        attempt = api(outsider).post(f"/api/loans/{loan.pk}/card/", {"repayment_card": ln.card()}, format="json")
        assert attempt.status_code in (403, 404), outsider
    assert Loan.objects.get(pk=loan.pk).repayment_card == second


def test_staff_without_the_acceptance_post_read_the_window_pages_but_cannot_send_them(ln: Any) -> None:
    loan = ln.active_loan()
    window = page(ln.reviewer)  # staff of the loan's branch, not the 受理 post
    for path in ("repay", "agreements", "card"):
        url = f"/staff/loans/{loan.pk}/{path}/"
        assert window.get(url).status_code == 200, path
        assert window.post(url, {"repayment_card": ln.card(), "amount": "100.00", "source": "card",
                                 "client_token": "t1"}).status_code == 403, path
    assert Loan.objects.get(pk=loan.pk).repayment_card == loan.repayment_card
    assert not loan.repayments.exists()
