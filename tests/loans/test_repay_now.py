"""Repaying now (立即还款 / 柜台还款): the allocation order on a partial payment, a card repayment collected and
posted exactly once, a refused collection writing nothing, the amount capped at what is owed now, repaying from
the fund account with the books agreeing, and who may repay which loan (a stranger's loan is a 404)."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fund.integrations.models import SandboxBankAccount, SandboxBankPayment
from fund.ledger.models import JournalEntry
from fund.ledger.selectors import ledger_reconcile
from loans.models import Instalment, InstalmentState, Repayment, RepaymentChannel
from loans.services.repayment import repay_now
from tests.clients import api, page
from tests.clock import travel_to

pytestmark = pytest.mark.django_db

APRIL_30 = date(2026, 4, 30)  # instalment 1 (20 April) ten days late; instalment 2 due 20 May


def _loan(ln: Any, **kw: Any) -> Any:
    # 300 000 at 2.6 % over 240 months from 20 March: each month 1604.36; the first is 650.00 interest +
    # 954.36 principal, the second 647.93 + 956.43.
    return ln.active_loan(principal="300000.00", rate="2.600", months=240, day=20, disbursed_on=date(2026, 3, 20), **kw)


def _overdue_first(loan: Any) -> None:
    Instalment.objects.filter(loan=loan, number=1).update(state=InstalmentState.OVERDUE)


def _card_balance(loan: Any) -> Decimal:
    return SandboxBankAccount.objects.get(account_number=loan.repayment_card).balance


def test_a_partial_repayment_pays_penalty_overdue_interest_overdue_principal_then_current_interest(ln: Any) -> None:
    loan = _loan(ln)
    _overdue_first(loan)
    repayment = repay_now(actor=ln.world.clerk, loan=loan, amount="1700.00", source="card", client_token="p1",
                          on=APRIL_30)
    # penalty 954.36 × 2.6 % × 1.5 ÷ 360 × 10 days = 1.03; then 650.00, 954.36; 94.61 left for May's interest
    assert (repayment.penalty, repayment.overdue_interest, repayment.overdue_principal, repayment.interest,
            repayment.principal) == (Decimal("1.03"), Decimal("650.00"), Decimal("954.36"), Decimal("94.61"),
                                     Decimal("0.00"))
    assert repayment.channel == RepaymentChannel.COUNTER and repayment.from_card == Decimal("1700.00")
    first, second = Instalment.objects.filter(loan=loan, number__in=[1, 2]).order_by("number")
    assert first.state == InstalmentState.PAID and first.penalty_paid == Decimal("1.03")
    assert second.interest_paid == Decimal("94.61") and second.principal_paid == 0
    assert second.state == InstalmentState.PENDING
    loan.sub_account.refresh_from_db()
    assert loan.sub_account.balance == Decimal("300000.00") - Decimal("954.36")
    assert ledger_reconcile() == []


def test_paying_more_than_this_month_on_its_due_day_clears_its_principal_before_next_months_interest(ln: Any) -> None:
    loan = _loan(ln)
    repayment = repay_now(actor=ln.world.clerk, loan=loan, amount="2000.00", source="card", client_token="d",
                          on=date(2026, 4, 20))
    # April in full (650.00 + 954.36); only the 395.64 left goes to May's interest, nothing to May's principal
    assert (repayment.interest, repayment.principal) == (Decimal("650.00") + Decimal("395.64"), Decimal("954.36"))
    april, may = Instalment.objects.filter(loan=loan, number__in=[1, 2]).order_by("number")
    assert april.state == InstalmentState.PAID
    assert (may.interest_paid, may.principal_paid) == (Decimal("395.64"), Decimal("0.00"))


def test_a_card_repayment_resubmitted_with_the_same_token_collects_and_posts_once(ln: Any) -> None:
    loan = _loan(ln)
    before = _card_balance(loan)
    first = repay_now(actor=ln.world.member_a, loan=loan, amount="1604.36", source="card", client_token="same",
                      on=date(2026, 4, 20))
    again = repay_now(actor=ln.world.member_a, loan=loan, amount="1604.36", source="card", client_token="same",
                      on=date(2026, 4, 20))
    assert again.pk == first.pk and first.channel == RepaymentChannel.ONLINE
    assert SandboxBankPayment.objects.filter(account_number=loan.repayment_card).count() == 1
    assert _card_balance(loan) == before - Decimal("1604.36")
    assert Repayment.objects.filter(loan=loan).count() == 1
    assert JournalEntry.objects.filter(reference=loan.contract_number).count() == 2  # the disbursement + this one
    assert ledger_reconcile() == []


def test_a_refused_card_collection_writes_nothing_and_the_same_form_may_try_again(ln: Any) -> None:
    loan = _loan(ln, card_balance="100.00")
    entries = JournalEntry.objects.count()
    with pytest.raises(ValidationError) as refused:
        repay_now(actor=ln.world.member_a, loan=loan, amount="1604.36", source="card", client_token="t",
                  on=date(2026, 4, 20))
    assert "card" in refused.value.message_dict and "银行扣款失败" in refused.value.message_dict["card"][0]
    assert not Repayment.objects.filter(loan=loan).exists() and JournalEntry.objects.count() == entries
    assert Instalment.objects.get(loan=loan, number=1).interest_paid == 0
    assert _card_balance(loan) == Decimal("100.00")
    # The member tops the card up and presses the button again: a new attempt, posted once.
    SandboxBankAccount.objects.filter(account_number=loan.repayment_card).update(balance=Decimal("5000.00"))
    repayment = repay_now(actor=ln.world.member_a, loan=loan, amount="1604.36", source="card", client_token="t",
                          on=date(2026, 4, 20))
    assert repayment.principal == Decimal("954.36")
    assert _card_balance(loan) == Decimal("5000.00") - Decimal("1604.36")


def test_it_refuses_more_than_is_owed_now_naming_the_amount_and_collects_nothing(ln: Any) -> None:
    loan = _loan(ln)
    _overdue_first(loan)
    owed = Decimal("1.03") + Decimal("1604.36") + Decimal("1604.36")  # April's with penalty, and May's ahead
    with pytest.raises(ValidationError) as refused:
        repay_now(actor=ln.world.clerk, loan=loan, amount=owed + Decimal("0.01"), source="card", client_token="x",
                  on=APRIL_30)
    assert refused.value.message_dict["amount"] == [
        f"还款金额超出当前应还金额 {owed:,} 元，如需提前还款请办理提前还款"]
    assert not SandboxBankPayment.objects.filter(account_number=loan.repayment_card).exists()
    assert not Repayment.objects.exists()
    # exactly what is owed is taken
    repayment = repay_now(actor=ln.world.clerk, loan=loan, amount=owed, source="card", client_token="y", on=APRIL_30)
    assert repayment.amount == owed


@pytest.mark.parametrize("amount", ["0", "-5", "abc", "1.001", ""])
def test_it_refuses_an_amount_that_is_not_a_positive_sum_in_fen(ln: Any, amount: str) -> None:
    loan = _loan(ln)
    with pytest.raises(ValidationError) as refused:
        repay_now(actor=ln.world.clerk, loan=loan, amount=amount, source="card", client_token="z",
                  on=date(2026, 4, 20))
    assert "还款金额" in refused.value.message_dict["amount"][0]
    assert not SandboxBankPayment.objects.exists() and not Repayment.objects.exists()


def test_the_borrower_repays_from_their_fund_account_and_the_books_agree(ln: Any) -> None:
    loan = _loan(ln)
    account = ln.account
    account.sub_account.refresh_from_db()
    balance = account.sub_account.balance
    repayment = repay_now(actor=ln.world.member_a, loan=loan, amount="1604.36", source="fund", client_token="f1",
                          on=date(2026, 4, 20))
    assert repayment.from_fund == Decimal("1604.36") and repayment.fund_account_id == account.pk
    account.sub_account.refresh_from_db()
    assert account.sub_account.balance == balance - Decimal("1604.36")
    assert Instalment.objects.get(loan=loan, number=1).state == InstalmentState.PAID
    assert ledger_reconcile() == []
    assert not SandboxBankPayment.objects.exists()  # no card touched


def test_it_refuses_a_fund_repayment_beyond_the_account_balance_writing_nothing(ln: Any) -> None:
    loan = ln.active_loan(principal="3000000.00", rate="2.600", months=120, day=20, disbursed_on=date(2026, 3, 20))
    ln.account.sub_account.refresh_from_db()
    balance = ln.account.sub_account.balance
    first = Instalment.objects.get(loan=loan, number=1)
    assert first.principal + first.interest > balance  # the test's premise: the instalment exceeds the account
    with pytest.raises(ValidationError) as refused:
        repay_now(actor=ln.world.member_a, loan=loan, amount=first.principal + first.interest, source="fund",
                  client_token="big", on=date(2026, 4, 20))
    assert "余额" in refused.value.message_dict["account"][0]
    ln.account.sub_account.refresh_from_db()
    assert ln.account.sub_account.balance == balance and not Repayment.objects.exists()


def test_it_refuses_a_co_borrowers_account_online_and_at_the_counter_without_their_agreement(ln: Any) -> None:
    from loans.models import CoBorrower

    loan = _loan(ln)
    other = ln.world.account_b
    CoBorrower.objects.create(application=loan.application, person=other.person, account=other, relation="spouse")
    with pytest.raises(ValidationError) as online:
        repay_now(actor=ln.world.member_a, loan=loan, amount="100.00", source="fund", client_token="c1",
                  account=other, on=date(2026, 4, 20))
    assert online.value.message_dict["account"] == ["网上还款只能使用本人的公积金账户"]
    with pytest.raises(ValidationError) as counter:
        repay_now(actor=ln.world.clerk, loan=loan, amount="100.00", source="fund", client_token="c2",
                  account=other, on=date(2026, 4, 20))
    assert "自愿扣划协议" in counter.value.message_dict["account"][0]
    assert not Repayment.objects.exists()


def test_it_refuses_a_member_repaying_someone_elses_loan(ln: Any) -> None:
    loan = _loan(ln)
    with pytest.raises(PermissionDenied):
        repay_now(actor=ln.world.member_b, loan=loan, amount="100.00", source="card", client_token="m",
                  on=date(2026, 4, 20))


# ---- the API and the pages ---------------------------------------------------------------------------------------

def test_the_api_repays_once_per_token_and_lists_the_repayments(ln: Any) -> None:
    loan = _loan(ln)
    url = f"/api/loans/{loan.pk}/repayments/"
    body = {"amount": "1604.36", "source": "card", "client_token": "api-1"}
    with travel_to(date(2026, 4, 20)):
        first = api(ln.world.member_a).post(url, body, format="json")
        again = api(ln.world.member_a).post(url, body, format="json")
    assert first.status_code == 201, first.content
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert first.json()["interest"] == "650.00" and first.json()["principal"] == "954.36"
    listed = api(ln.world.member_a).get(url).json()
    assert listed["count"] == 1 and listed["results"][0]["number"] == first.json()["number"]
    assert SandboxBankPayment.objects.count() == 1


def test_the_api_refuses_bad_input_with_field_names_and_writes_nothing(ln: Any) -> None:
    loan = _loan(ln)
    url = f"/api/loans/{loan.pk}/repayments/"
    with travel_to(date(2026, 4, 20)):
        too_much = api(ln.world.clerk).post(url, {"amount": "99999.00", "source": "card", "client_token": "a"},
                                            format="json")
        bad_source = api(ln.world.clerk).post(url, {"amount": "10", "source": "cash", "client_token": "b"},
                                              format="json")
        no_token = api(ln.world.clerk).post(url, {"amount": "10", "source": "card"}, format="json")
        bad_account = api(ln.world.clerk).post(
            url, {"amount": "10", "source": "fund", "client_token": "c", "account": ln.world.account_b.pk},
            format="json")
    assert too_much.status_code == 400 and "超出当前应还金额" in too_much.json()["amount"][0]
    assert bad_source.status_code == 400 and "资金来源" in bad_source.json()["source"][0]
    assert no_token.status_code == 400 and "client_token" in no_token.json()["client_token"][0]
    assert bad_account.status_code == 400 and "account" in bad_account.json()["account"][0]
    assert not Repayment.objects.exists() and not SandboxBankPayment.objects.exists()


def test_it_answers_404_to_other_members_other_branches_bank_operators_and_developers(ln: Any) -> None:
    loan = _loan(ln)
    url = f"/api/loans/{loan.pk}/repayments/"
    body = {"amount": "100.00", "source": "card", "client_token": "o"}
    for outsider in (ln.world.member_b, ln.world.clerk_b, ln.bank_op, ln.world.dev_a, ln.world.outsider):
        assert api(outsider).post(url, body, format="json").status_code == 404, outsider
        assert api(outsider).get(url).status_code == 404, outsider
    assert page(ln.world.member_b).get(f"/member/loans/{loan.pk}/repay/").status_code == 404
    assert page(ln.world.clerk_b).get(f"/staff/loans/{loan.pk}/repay/").status_code == 404
    assert not Repayment.objects.exists() and not SandboxBankPayment.objects.exists()


def test_the_member_repays_from_the_hall_with_the_amount_due_prefilled(ln: Any) -> None:
    loan = _loan(ln)
    client = page(ln.world.member_a)
    with travel_to(date(2026, 4, 20)):
        shown = client.get(f"/member/loans/{loan.pk}/repay/")
        assert shown.status_code == 200 and 'value="1604.36"' in shown.content.decode()
        done = client.post(f"/member/loans/{loan.pk}/repay/",
                           {"amount": "1604.36", "source": "fund", "client_token": "hall-1"})
    assert done.status_code == 302 and done["Location"] == f"/member/loans/{loan.pk}/statement/"
    assert Repayment.objects.get(loan=loan).from_fund == Decimal("1604.36")


def test_the_counter_repays_by_card_and_shows_a_refusal_on_the_amount(ln: Any) -> None:
    loan = _loan(ln)
    client = page(ln.world.clerk)
    with travel_to(date(2026, 4, 20)):
        refused = client.post(f"/staff/loans/{loan.pk}/repay/",
                              {"amount": "5000.00", "source": "card", "client_token": "w-1"})
        assert refused.status_code == 200 and "超出当前应还金额" in refused.content.decode()
        done = client.post(f"/staff/loans/{loan.pk}/repay/",
                           {"amount": "800.00", "source": "card", "client_token": "w-2"})
    assert done.status_code == 302
    repayment = Repayment.objects.get(loan=loan)
    assert repayment.channel == RepaymentChannel.COUNTER and repayment.interest == Decimal("650.00")
