"""提前还款: 缩期 and 减少月供 against figures worked by hand, 提前结清 with interest to the day, the rules (minimum,
yearly limit, what is owed, overdue loans) refused with the field named and nothing written, exactly once per
client token, from the card or the fund account.

The loan of every case: 300 000 at 2.6 % over 240 months, 等额本息, disbursed on 20 March 2026, repayment day 20
(no broken period): payment 1 604.36 (P·r·(1+r)^n ÷ ((1+r)^n − 1), r = 2.6 % ÷ 12), first instalment 650.00
interest + 954.36 principal, balance after it 299 045.64.
"""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from fund.integrations.models import SandboxBankAccount, SandboxBankPayment
from fund.ledger.models import JournalEntry
from loans.models import Instalment, InstalmentState, Repayment, RepaymentKind, ScheduleSegment
from loans.services.prepayment import prepay, prepayment_preview
from tests.clients import api
from tests.clock import travel_to

pytestmark = pytest.mark.django_db

DUE = date(2026, 4, 20)  # the first instalment's due day


def _loan(ln: Any, **extra: Any) -> Any:
    values: dict[str, Any] = dict(principal="300000.00", rate="2.600", months=240, day=20,
                                  disbursed_on=date(2026, 3, 20), card_balance="400000.00")
    values.update(extra)
    return ln.active_loan(**values)


def _writes() -> tuple[int, int, int, int]:
    return (Repayment.objects.count(), JournalEntry.objects.count(), ScheduleSegment.objects.count(),
            SandboxBankPayment.objects.count())


def test_a_prepayment_on_a_due_day_keeping_the_payment_shortens_the_term(ln: Any) -> None:
    loan = _loan(ln)
    preview = prepayment_preview(loan=loan, amount="51604.36", mode="term", on=DUE)
    # today's 1 604.36 first, then 50 000 of principal: 299 045.64 − 50 000 = 249 045.64 left before no. 2.
    assert (preview.owed_now, preview.prepaid_principal) == (Decimal("1604.36"), Decimal("50000.00"))
    # n = −ln(1 − P·r ÷ A) ÷ ln(1 + r) = 189.42 months at 1 604.36 → 190 instalments, no. 2 … 191.
    assert (preview.new_payment, preview.new_last_number) == (Decimal("1604.36"), 191)
    assert preview.new_last_due == date(2042, 2, 20) and preview.old_last_due == date(2046, 3, 20)
    assert preview.rows[0].number == 2 and preview.rows[0].due_on == date(2026, 5, 20)
    assert preview.rows[0].interest == Decimal("539.60")  # 249 045.64 × 2.6 % ÷ 12
    # interest left before: 239 × 1 604.36 − 299 045.64 ≈ 84 396; after: 189.42 × 1 604.36 − 249 045.64 ≈ 54 853
    assert Decimal("29500") < preview.interest_saved < Decimal("29600")

    repayment = prepay(actor=ln.world.member_a, loan=loan, amount="51604.36", mode="term", source="card",
                       client_token="tok-term-1", on=DUE)
    assert repayment.kind == RepaymentKind.PREPAY_PARTIAL and repayment.prepaid_principal == Decimal("50000.00")
    assert (repayment.interest, repayment.principal) == (Decimal("650.00"), Decimal("954.36"))
    loan.refresh_from_db()
    assert loan.balance == Decimal("249045.64") and loan.maturity_on == date(2042, 2, 20)
    first = Instalment.objects.get(loan=loan, number=1, state=InstalmentState.PAID)
    assert first.paid_on == DUE
    # the old no. 2 … 9 are kept as history (已调整); the new ones are stored through December
    assert Instalment.objects.filter(loan=loan, state=InstalmentState.SUPERSEDED).count() == 8
    current = Instalment.objects.get(loan=loan, number=2, state=InstalmentState.PENDING)
    assert (current.principal, current.interest) == (Decimal("1064.76"), Decimal("539.60"))
    assert SandboxBankAccount.objects.get(account_number=loan.repayment_card).balance == Decimal("348395.64")
    from fund.ledger.selectors import ledger_reconcile

    assert ledger_reconcile() == []  # the loan's sub-account equals what its new stored schedule still expects


def test_a_prepayment_keeping_the_term_lowers_the_payment(ln: Any, django_capture_on_commit_callbacks: Any) -> None:
    from fund.integrations.models import SandboxSms

    loan = _loan(ln)
    with django_capture_on_commit_callbacks(execute=True):
        repayment = prepay(actor=ln.world.member_a, loan=loan, amount="51604.36", mode="payment", source="card",
                           client_token="tok-pay-1", on=DUE)
    assert SandboxSms.objects.filter(phone=ln.person.phone, text__contains="月还款额1,336.12元").count() == 1
    segment = repayment.segment
    # 249 045.64 over the 239 instalments left (no. 2 … 240): P·r·(1+r)^239 ÷ ((1+r)^239 − 1) = 1 336.12
    assert (segment.first_number, segment.last_number, segment.payment) == (2, 240, Decimal("1336.12"))
    loan.refresh_from_db()
    assert loan.maturity_on == date(2046, 3, 20)
    second = Instalment.objects.get(loan=loan, number=2, state=InstalmentState.PENDING)
    assert second.principal + second.interest == Decimal("1336.12")
    from fund.ledger.selectors import ledger_reconcile

    assert ledger_reconcile() == []


def test_a_full_prepayment_charges_interest_to_the_day_and_closes_the_loan(ln: Any) -> None:
    loan = _loan(ln)
    on = date(2026, 4, 10)
    preview = prepayment_preview(loan=loan, amount=None, mode="full", on=on)
    # 300 000 × 2.6 % × 21 days (20 March → 10 April) ÷ 36 000 = 455.00
    assert (preview.interest_to_day, preview.amount) == (Decimal("455.00"), Decimal("300455.00"))
    repayment = prepay(actor=ln.world.member_a, loan=loan, amount=None, mode="full", source="card",
                       client_token="tok-full-1", on=on)
    assert repayment.kind == RepaymentKind.PREPAY_FULL
    assert (repayment.interest, repayment.prepaid_principal, repayment.balance_after) == (
        Decimal("455.00"), Decimal("300000.00"), Decimal("0.00"))
    loan.refresh_from_db()
    assert loan.status == "closed" and loan.closed_on == on
    assert not Instalment.objects.filter(loan=loan, state__in=["pending", "overdue"]).exists()
    lines = {line.account.code: line for line in repayment.entry.lines.select_related("account")}
    assert lines["401"].credit == Decimal("455.00") and lines["111"].credit == Decimal("300000.00")


@pytest.mark.parametrize(("mode", "payment", "last"), [("term", Decimal("1000.00"), 90), ("payment", Decimal("750.00"), 120)])
def test_an_equal_principal_loan_keeps_its_monthly_principal_or_its_term(ln: Any, mode: str, payment: Decimal,
                                                                          last: int) -> None:
    # 120 000 over 120 months, 等额本金: 1 000 of principal a month. 30 000 repaid before the first instalment
    # leaves 90 000: 缩期 keeps 1 000 a month → 90 instalments; 减少月供 keeps 120 → 90 000 ÷ 120 = 750.00.
    loan = _loan(ln, principal="120000.00", months=120, method="principal")
    repayment = prepay(actor=ln.world.member_a, loan=loan, amount="30000.00", mode=mode, source="card",
                       client_token=f"tok-ep-{mode}", on=date(2026, 4, 10))
    segment = repayment.segment
    assert (segment.first_number, segment.last_number, segment.payment) == (1, last, payment)
    first = Instalment.objects.get(loan=loan, number=1, state=InstalmentState.PENDING)
    assert (first.principal, first.interest) == (payment, Decimal("195.00"))  # 90 000 × 2.6 % ÷ 12
    from fund.ledger.selectors import ledger_reconcile

    assert ledger_reconcile() == []


def test_it_refuses_when_the_card_cannot_pay_and_posts_nothing(ln: Any) -> None:
    loan = _loan(ln, card_balance="5000.00")
    with pytest.raises(ValidationError) as refused:
        prepay(actor=ln.world.member_a, loan=loan, amount="20000.00", mode="term", source="card",
               client_token="tok-card-poor", on=date(2026, 4, 10))
    assert "余额不足" in refused.value.message_dict["source"][0]
    assert not Repayment.objects.exists() and not ScheduleSegment.objects.exclude(reason="disbursed").exists()


def test_money_collected_for_figures_that_changed_is_put_on_record_and_posts_on_a_retry(ln: Any,
                                                                                       monkeypatch: Any) -> None:
    from fund.audit.models import AuditEvent
    from loans.services import prepayment

    loan = _loan(ln)
    real, calls = prepayment._figures, []

    def changed_under_the_lock(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 2:  # the preview passed; the check under the lock finds the figures changed
            raise ValidationError({"mode": ["本年度已办理部分提前还款 2 次，每年最多 2 次；可选择提前结清"]})
        return real(*args, **kwargs)

    monkeypatch.setattr(prepayment, "_figures", changed_under_the_lock)
    with pytest.raises(ValidationError) as refused:
        prepay(actor=ln.world.member_a, loan=loan, amount="20000.00", mode="term", source="card",
               client_token="tok-raced", on=date(2026, 4, 10))
    assert "退回原卡" in refused.value.message_dict["amount"][0]
    held = AuditEvent.objects.get(action="loans.loan.prepay_unposted", target_id=str(loan.pk))
    assert held.new["bank_reference"].endswith("tok-raced") and not Repayment.objects.exists()
    monkeypatch.undo()
    again = prepay(actor=ln.world.member_a, loan=loan, amount="20000.00", mode="term", source="card",
                   client_token="tok-raced", on=date(2026, 4, 10))
    assert again.bank_reference == held.new["bank_reference"]
    assert SandboxBankPayment.objects.filter(reference=again.bank_reference).count() == 1


def test_the_same_client_token_collects_and_posts_once(ln: Any) -> None:
    loan = _loan(ln)
    first = prepay(actor=ln.world.member_a, loan=loan, amount="20000.00", mode="term", source="card",
                   client_token="tok-twice", on=date(2026, 4, 10))
    again = prepay(actor=ln.world.member_a, loan=loan, amount="20000.00", mode="term", source="card",
                   client_token="tok-twice", on=date(2026, 4, 10))
    assert again.pk == first.pk
    assert SandboxBankPayment.objects.filter(reference__contains="tok-twice").count() == 1
    assert Repayment.objects.filter(loan=loan).count() == 1


def test_a_prepayment_from_the_fund_account_debits_it_in_the_same_entry(ln: Any) -> None:
    loan = _loan(ln)
    fund = ln.account.sub_account
    fund.refresh_from_db()
    before = fund.balance
    repayment = prepay(actor=ln.world.member_a, loan=loan, amount="10000.00", mode="term", source="fund",
                       client_token="tok-fund-1", on=date(2026, 4, 10))
    fund.refresh_from_db()
    assert fund.balance == before - Decimal("10000.00")
    assert (repayment.from_fund, repayment.from_card) == (Decimal("10000.00"), Decimal("0.00"))
    codes = {line.account.code for line in repayment.entry.lines.select_related("account")}
    assert codes == {"201", "111"}
    assert not SandboxBankPayment.objects.exists()
    from fund.ledger.selectors import ledger_reconcile

    assert ledger_reconcile() == []


def test_it_refuses_a_prepayment_below_the_minimum_and_writes_nothing(ln: Any) -> None:
    loan = _loan(ln)
    before = _writes()
    with pytest.raises(ValidationError) as refused:
        prepay(actor=ln.world.member_a, loan=loan, amount="9999.99", mode="term", source="card",
               client_token="tok-min", on=date(2026, 4, 10))
    assert "amount" in refused.value.message_dict and "10,000.00" in refused.value.message_dict["amount"][0]
    assert _writes() == before


def test_it_refuses_a_partial_prepayment_of_everything_owed(ln: Any) -> None:
    loan = _loan(ln)
    before = _writes()
    with pytest.raises(ValidationError) as refused:
        prepayment_preview(loan=loan, amount="300000.00", mode="payment", on=date(2026, 4, 10))
    assert "提前结清" in refused.value.message_dict["amount"][0]
    with pytest.raises(ValidationError) as refused:
        prepay(actor=ln.world.member_a, loan=loan, amount="300000.01", mode="term", source="card",
               client_token="tok-over", on=date(2026, 4, 10))
    assert "剩余本金" in refused.value.message_dict["amount"][0]
    assert _writes() == before


def test_it_refuses_a_partial_prepayment_beyond_the_yearly_limit(ln: Any) -> None:
    loan = _loan(ln)
    for n, on in enumerate((date(2026, 4, 10), date(2026, 4, 11)), start=1):
        prepay(actor=ln.world.member_a, loan=loan, amount="10000.00", mode="term", source="card",
               client_token=f"tok-year-{n}", on=on)
    before = _writes()
    with pytest.raises(ValidationError) as refused:
        prepay(actor=ln.world.member_a, loan=loan, amount="10000.00", mode="term", source="card",
               client_token="tok-year-3", on=date(2026, 4, 12))
    assert "每年最多 2 次" in refused.value.message_dict["mode"][0]
    assert _writes() == before
    # a full prepayment is not limited
    assert prepayment_preview(loan=loan, amount=None, mode="full", on=date(2026, 4, 12)).prepaid_principal > 0


def test_it_refuses_a_prepayment_while_an_instalment_is_overdue(ln: Any) -> None:
    loan = _loan(ln)
    with pytest.raises(ValidationError) as refused:
        prepayment_preview(loan=loan, amount="20000.00", mode="term", on=date(2026, 4, 25))
    assert "逾期" in refused.value.message_dict["loan"][0]


def test_it_refuses_when_the_fund_account_cannot_pay_and_writes_nothing(ln: Any) -> None:
    loan = _loan(ln)
    before = _writes()
    with pytest.raises(ValidationError) as refused:
        prepay(actor=ln.world.member_a, loan=loan, amount="250000.00", mode="term", source="fund",
               client_token="tok-poor", on=date(2026, 4, 10))
    assert "余额" in refused.value.message_dict["source"][0]
    assert _writes() == before


# ---- the API ---------------------------------------------------------------------------------------------------

@pytest.fixture
def on_the_due_day():
    with travel_to(DUE):
        yield


def _url(loan: Any, tail: str = "") -> str:
    return f"/api/loans/{loan.pk}/prepayments/{tail}"


def test_the_borrower_previews_and_prepays_through_the_api(ln: Any, on_the_due_day: None) -> None:
    loan = _loan(ln)
    client = api(ln.world.member_a)
    preview = client.post(_url(loan, "preview/"), {"mode": "term", "amount": "51604.36"}, format="json")
    assert preview.status_code == 200, preview.content
    assert preview.json()["new_last_number"] == 191 and preview.json()["rows"][0]["number"] == 2
    assert Repayment.objects.count() == 0
    done = client.post(_url(loan), {"mode": "term", "amount": "51604.36", "source": "card",
                                    "client_token": "api-token-0001"}, format="json")
    assert done.status_code == 201, done.content
    assert done.json()["prepaid_principal"] == "50000.00"


@pytest.mark.parametrize(("body", "field"), [
    ({"mode": "term", "amount": "500.00"}, "amount"),
    ({"mode": "term", "amount": "400000.00"}, "amount"),
    ({"mode": "sideways", "amount": "20000.00"}, "mode"),
    ({"mode": "term"}, "amount"),
    ({"mode": "term", "amount": "abc"}, "amount"),
])
def test_it_answers_bad_prepayment_input_with_a_400_naming_the_field(ln: Any, on_the_due_day: None, body: Any,
                                                                     field: str) -> None:
    loan = _loan(ln)
    before = _writes()
    for url, extra in ((_url(loan, "preview/"), {}), (_url(loan), {"source": "card", "client_token": "api-bad-0001"})):
        answer = api(ln.world.member_a).post(url, {**body, **extra}, format="json")
        assert answer.status_code == 400 and field in answer.json(), answer.content
    assert _writes() == before


def test_it_refuses_a_third_prepayment_in_a_year_with_a_400(ln: Any, on_the_due_day: None) -> None:
    loan = _loan(ln)
    client = api(ln.world.member_a)
    for n in (1, 2):
        answer = client.post(_url(loan), {"mode": "payment", "amount": "11604.36" if n == 1 else "10000.00",
                                          "source": "card", "client_token": f"api-year-000{n}"}, format="json")
        assert answer.status_code == 201, answer.content
    before = _writes()
    answer = client.post(_url(loan), {"mode": "payment", "amount": "10000.00", "source": "card",
                                      "client_token": "api-year-0003"}, format="json")
    assert answer.status_code == 400 and "mode" in answer.json()
    assert _writes() == before


@pytest.mark.parametrize("who", ["member_b", "clerk_b", "outsider"])
def test_someone_elses_loan_is_a_404(ln: Any, on_the_due_day: None, who: str) -> None:
    loan = _loan(ln)
    client = api(getattr(ln.world, who))
    assert client.post(_url(loan, "preview/"), {"mode": "full"}, format="json").status_code == 404
    answer = client.post(_url(loan), {"mode": "full", "source": "card", "client_token": "api-else-0001"},
                         format="json")
    assert answer.status_code == 404
    assert client.get(f"/api/loans/{loan.pk}/payoff-certificate/").status_code == 404
    assert Repayment.objects.count() == 0


def test_the_window_clerk_of_the_branch_prepays_at_the_counter(ln: Any, on_the_due_day: None) -> None:
    loan = _loan(ln)
    answer = api(ln.world.clerk).post(_url(loan), {"mode": "full", "source": "card",
                                                   "client_token": "api-window-01"}, format="json")
    assert answer.status_code == 201, answer.content
    assert Repayment.objects.get().channel == "counter"
    assert answer.json()["loan_status"] == "closed"
