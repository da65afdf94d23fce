"""The yearly schedule and re-pricing on 1 January: the year's instalments stored on the schedule in force, a
loan whose band's rate changed re-priced from its first instalment of the year (old rows kept as history), once."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from fund.integrations.models import SandboxSms
from fund.policy.services import policy_value_set
from loans.models import Instalment, InstalmentState, Loan, ScheduleSegment, SegmentReason
from loans.services.repricing import repricing_run, year_roll_step
from loans.services.schedule_store import schedule_rows
from tests.clock import travel_to

pytestmark = pytest.mark.django_db

NEW_YEAR = date(2027, 1, 1)


@pytest.fixture
def december(ln: Any) -> Any:
    """The clock in December 2026, when a rate change for 1 January 2027 can still be scheduled."""
    with travel_to(date(2026, 12, 10)):
        yield ln


def raise_first_home_over_five_years(ln: Any) -> None:
    """首套 > 5 年 goes from 2.60 % to 2.85 % on 1 January 2027; the other bands stay."""
    policy_value_set(actor=ln.world.director, name="loan_rate_first_over5", value="0.0285", effective_from=NEW_YEAR,
                     note="测试：2027 年利率调整")


def current(loan: Any) -> list[Any]:
    return list(Instalment.objects.filter(loan=loan).exclude(state=InstalmentState.SUPERSEDED).order_by("number"))


def test_a_rate_change_re_prices_the_rest_of_the_schedule_from_1_january(
        december: Any, django_capture_on_commit_callbacks: Any) -> None:
    ln = december
    raise_first_home_over_five_years(ln)
    loan = ln.active_loan(principal="300000.00", rate="2.600", months=240, day=20, disbursed_on=date(2026, 3, 20))
    old_segment = loan.segment_id
    assert [i.number for i in current(loan)] == list(range(1, 10))  # April … December 2026
    with django_capture_on_commit_callbacks(execute=True):
        counts = repricing_run(2027)
    assert counts == {"rolled": 0, "repriced": 1, "instalments": 12}
    loan.refresh_from_db()
    assert loan.rate == Decimal("2.850") and loan.segment_id != old_segment
    segment = ScheduleSegment.objects.get(pk=loan.segment_id)
    assert (segment.reason, segment.effective_on, segment.first_number, segment.last_number) == (
        SegmentReason.REPRICED, NEW_YEAR, 10, 240)
    # By hand: after nine payments of 1604.36 at 2.6 % the balance is 291335.94; over the 231 months left at
    # 2.85 %: 291335.94 × r(1+r)^231 ÷ ((1+r)^231 − 1), r = 0.0285 ÷ 12 → 1640.09 (floats: 1640.0924).
    assert segment.balance == Decimal("291335.94") and segment.payment == Decimal("1640.09")
    rows = current(loan)
    assert [i.number for i in rows] == list(range(1, 22))
    january = rows[9]
    assert (january.due_on, january.interest, january.principal) == (
        date(2027, 1, 20), Decimal("691.92"), Decimal("948.17"))  # 291335.94 × 2.85 % ÷ 12 = 691.92
    assert rows[-1].due_on == date(2027, 12, 20) and all(r.segment_id == segment.pk for r in rows[9:])
    # The 2026 rows stay on the old segment, which is kept; the loan still ends when it did.
    assert all(r.segment_id == old_segment for r in rows[:9])
    assert ScheduleSegment.objects.filter(pk=old_segment, rate=Decimal("2.600")).exists()
    assert loan.maturity_on == date(2046, 3, 20)
    # The member is told the new rate and the new instalment.
    text = SandboxSms.objects.get(phone=loan.borrower.phone).text
    assert "2.850%" in text and "2.600%" in text and "1,640.09" in text and loan.contract_number in text
    # The projection after the stored rows continues the new segment.
    projected = [r for r in schedule_rows(loan) if r.projected]
    assert projected[0].number == 22 and projected[-1].number == 240 and projected[0].payment == Decimal("1640.09")


def test_a_loan_of_a_band_whose_rate_stayed_only_rolls_into_the_year(december: Any) -> None:
    ln = december
    raise_first_home_over_five_years(ln)
    loan = ln.active_loan(principal="100000.00", rate="2.100", months=60, day=20, disbursed_on=date(2026, 3, 20))
    segment = loan.segment_id
    planned = [(i.number, i.principal, i.interest) for i in schedule_rows(loan) if i.due_on.year == 2027]
    counts = repricing_run(2027)
    assert counts == {"rolled": 1, "repriced": 0, "instalments": 12}
    loan.refresh_from_db()
    assert loan.segment_id == segment and loan.rate == Decimal("2.100")
    stored = [(i.number, i.principal, i.interest) for i in current(loan) if i.due_on.year == 2027]
    assert stored == planned and len(stored) == 12  # exactly the projection the member was shown
    assert not Instalment.objects.filter(loan=loan, state=InstalmentState.SUPERSEDED).exists()


def test_a_second_run_for_the_same_year_stores_nothing_and_texts_nobody_again(
        december: Any, django_capture_on_commit_callbacks: Any) -> None:
    ln = december
    raise_first_home_over_five_years(ln)
    repriced = ln.active_loan(principal="300000.00", months=240, disbursed_on=date(2026, 3, 20))
    ln.active_loan(principal="250000.00", months=180, disbursed_on=date(2026, 6, 20))
    rolled = ln.active_loan(principal="100000.00", rate="2.100", months=60, disbursed_on=date(2026, 3, 20))
    with django_capture_on_commit_callbacks(execute=True) as texts:
        assert repricing_run(2027)["repriced"] == 2
    assert len(texts) == 1 and SandboxSms.objects.count() == 2  # one task for the slice, a text per borrower
    before = (Instalment.objects.count(), ScheduleSegment.objects.count(), SandboxSms.objects.count())
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = repricing_run(2027)
    assert again == {"rolled": 0, "repriced": 0, "instalments": 0} and callbacks == []
    assert (Instalment.objects.count(), ScheduleSegment.objects.count(), SandboxSms.objects.count()) == before
    assert Loan.objects.get(pk=repriced.pk).rate == Decimal("2.850")
    assert Loan.objects.get(pk=rolled.pk).rate == Decimal("2.100")


def test_a_december_loan_whose_january_instalment_is_stored_re_prices_that_row(december: Any) -> None:
    ln = december
    raise_first_home_over_five_years(ln)
    loan = ln.active_loan(principal="200000.00", rate="2.600", months=120, day=20, disbursed_on=date(2026, 12, 5))
    (old,) = current(loan)
    assert (old.number, old.due_on, old.interest) == (1, date(2027, 1, 20), Decimal("664.44"))  # 46 days at 2.6 %
    repricing_run(2027)
    old.refresh_from_db()
    assert old.state == InstalmentState.SUPERSEDED  # kept, as history
    rows = current(loan)
    assert [r.number for r in rows] == list(range(1, 13))
    # Every instalment due in 2027 is at the new rate, the broken first period too: 200000 × 2.85 % × 46 ÷ 360.
    assert rows[0].interest == Decimal("728.33") and rows[0].segment_id != old.segment_id
    segment = ScheduleSegment.objects.get(pk=rows[0].segment_id)
    assert (segment.first_number, segment.balance, segment.payment) == (1, Decimal("200000.00"), Decimal("1917.40"))


def test_the_close_step_rolls_only_on_1_january(december: Any) -> None:
    ln = december
    ln.active_loan(principal="100000.00", rate="2.100", months=60, disbursed_on=date(2026, 3, 20))
    assert year_roll_step(date(2026, 12, 31)) == {}
    assert year_roll_step(date(2027, 1, 2)) == {}
    assert not Instalment.objects.filter(due_on__year=2027).exists()
    assert year_roll_step(NEW_YEAR) == {"rolled": 1, "repriced": 0, "instalments": 12}
    assert year_roll_step(NEW_YEAR)["instalments"] == 0


def test_the_close_registers_the_year_roll_first_and_the_subsidy_after_the_debits() -> None:
    from fund.close.registry import close_steps

    orders = {step.name: step.order for step in close_steps()}
    assert orders["loans.year_roll"] == 10 and orders["loans.subsidy"] == 80


def test_a_january_instalment_paid_ahead_in_december_keeps_its_rate_and_the_rest_re_prices(december: Any) -> None:
    from django.db import transaction

    from loans.allocation import allocate
    from loans.models import RepaymentChannel
    from loans.services.repayment_posting import Sources, loan_locked, owing_rows, repayment_post

    ln = december
    raise_first_home_over_five_years(ln)
    loan = ln.active_loan(principal="200000.00", rate="2.600", months=120, day=20, disbursed_on=date(2026, 12, 5))
    with transaction.atomic():
        locked = loan_locked(loan)
        rows = owing_rows(locked, date(2026, 12, 28), ahead=True)
        amount = sum((o.total for _, o in rows), Decimal("0.00"))
        repayment_post(loan=locked, on=date(2026, 12, 28), rows=rows, allocation=allocate(amount, [o for _, o in rows]),
                       sources=Sources(from_card=amount), channel=RepaymentChannel.COUNTER, idempotency_key="t.ahead")
    (paid,) = current(loan)
    assert paid.state == InstalmentState.PAID
    assert repricing_run(2027) == {"rolled": 0, "repriced": 1, "instalments": 11}
    rows = current(loan)
    assert rows[0].pk == paid.pk and rows[0].interest == Decimal("664.44")  # what was paid stays as it was paid
    segment = ScheduleSegment.objects.get(pk=rows[1].segment_id)
    assert (segment.first_number, segment.balance, segment.rate) == (2, paid.balance_after, Decimal("2.850"))
    assert [r.number for r in rows] == list(range(1, 13))


@pytest.mark.django_db(transaction=True)
def test_slices_written_side_by_side_re_price_every_loan_once_and_text_each_loan_once(
        december: Any, monkeypatch: Any) -> None:
    # Outside a test transaction the slices run on two connections at once; one loan per slice here, so that
    # both threads write several slices.
    import loans.services.repricing as repricing

    monkeypatch.setattr(repricing, "SLICE", 1)
    monkeypatch.setattr(repricing, "WORKERS", 2)
    import threading

    threads: set[str] = set()
    slice_run = repricing._slice_run

    def spy(*args: Any, **kwargs: Any) -> Any:
        threads.add(threading.current_thread().name)
        return slice_run(*args, **kwargs)

    monkeypatch.setattr(repricing, "_slice_run", spy)
    ln = december
    raise_first_home_over_five_years(ln)
    made = [ln.active_loan(principal=f"{200000 + 10000 * k}.00", rate="2.600", months=240, day=20,
                           disbursed_on=date(2026, 3, 20)) for k in range(5)]
    assert repricing_run(2027) == {"rolled": 0, "repriced": 5, "instalments": 60}
    assert threads and all(name.startswith("repricing-") for name in threads)  # the workers' threads did them
    for loan in made:
        loan.refresh_from_db()
        assert loan.rate == Decimal("2.850")
        rows = current(loan)
        assert [i.number for i in rows] == list(range(1, 22)) and rows[-1].due_on == date(2027, 12, 20)
    texts = list(SandboxSms.objects.filter(text__contains="新利率").values_list("text", flat=True))  # not 好差评's
    assert len(texts) == 5 and all(sum(loan.contract_number in t for t in texts) == 1 for loan in made)
    assert repricing_run(2027) == {"rolled": 0, "repriced": 0, "instalments": 0}
