"""The overdue ledger kept by the nightly close (risk.overdue_ledger, step 100): cases open, climb the stages with
their tasks, clear (销号) the night the loan is paid up, follow up broken promises, and a second run for a night
changes nothing. Loans from `ln.active_loan` (disbursed 2026-03-20, due the 20th: first instalment 2026-04-20)."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from fund.workdays import add_working_days
from risk.models import CaseState, Channel, CollectionContact, CollectionTask, OverdueCase, Stage, TaskKind
from risk.models.rates import Tier
from tests import clock
from tests.risk.conftest import overdue_night

pytestmark = pytest.mark.django_db


def _case(loan: Any) -> OverdueCase:
    return OverdueCase.objects.get(loan=loan, state=CaseState.OPEN)


def _tasks(case: OverdueCase) -> dict[str, date]:
    return dict(CollectionTask.objects.filter(case=case).values_list("kind", "due_on"))


def tier_on(loan, night):
    """The five-tier class after the night's step 110, with the days overdue when the class last changed."""
    from risk.models import LoanTier
    from risk.services.rates import classification_step

    classification_step(night)
    tier = LoanTier.objects.get(loan=loan)
    return tier.tier, tier.days_overdue


def test_a_loan_missing_one_three_and_seven_instalments_climbs_the_stages_and_tiers_on_the_right_nights(ln, collectors):
    loan = ln.active_loan()
    overdue_night(date(2026, 4, 20))  # due today: not overdue yet
    assert not OverdueCase.objects.exists()

    night = date(2026, 4, 21)
    counts = overdue_night(night)
    case = _case(loan)
    assert counts["opened"] == 1 and case.opened_on == night and case.stage == Stage.CALL
    # April's instalment: 954.36 principal, 650.00 interest; one day's penalty 954.36 × 2.6 % × 1.5 ÷ 360 = 0.10
    assert (case.periods_overdue, case.days_overdue) == (1, 1)
    assert (case.overdue_principal, case.overdue_interest, case.overdue_penalty) == (
        Decimal("954.36"), Decimal("650.00"), Decimal("0.10"))
    assert _tasks(case) == {TaskKind.CALL: add_working_days(night, 1)}
    assert case.collector == collectors.a1  # both with no case: the first by employee number
    sms = CollectionContact.objects.get(case=case)
    assert sms.channel == Channel.SMS and sms.by is None and sms.contacted_on == night
    assert tier_on(loan, night) == (Tier.ATTENTION, 1)  # 关注 from the first day overdue (policy 1)

    overdue_night(date(2026, 5, 20))  # May's instalment due today: still one period
    assert _case(loan).stage == Stage.CALL
    night = date(2026, 5, 21)
    assert overdue_night(night)["escalated"] == 1
    case = _case(loan)
    assert (case.periods_overdue, case.stage, case.stage_since) == (2, Stage.VISIT, night)
    assert _tasks(case) == {TaskKind.CALL: add_working_days(date(2026, 4, 21), 1),
                            **{kind: add_working_days(night, 5) for kind in (TaskKind.VISIT, TaskKind.EMPLOYER,
                                                                             TaskKind.NOTICE)}}

    overdue_night(date(2026, 6, 21))  # three periods: still 上门催收, no new task
    case = _case(loan)
    assert (case.periods_overdue, case.stage, len(_tasks(case))) == (3, Stage.VISIT, 4)
    assert tier_on(loan, date(2026, 6, 21)) == (Tier.ATTENTION, 1)  # unchanged: the row keeps the days of the change

    overdue_night(date(2026, 9, 21))  # six periods: 法律诉讼移交 (policy 6)
    assert tier_on(loan, date(2026, 9, 21)) == (Tier.SUBSTANDARD, 154)  # 次级 from day 91
    night = date(2026, 10, 21)
    overdue_night(night)
    assert tier_on(loan, night) == (Tier.DOUBTFUL, 184)  # 可疑 from day 181
    case = _case(loan)
    assert (case.periods_overdue, case.stage, case.stage_since) == (7, Stage.LEGAL, date(2026, 9, 21))
    assert _tasks(case)[TaskKind.LEGAL] == add_working_days(date(2026, 9, 21), 10)
    from loans.models import Instalment

    owing = Instalment.objects.filter(loan=loan, state="overdue")
    assert case.overdue_penalty == sum(i.penalty for i in owing) and owing.count() == 7
    assert OverdueCase.objects.filter(loan=loan).count() == 1
    assert CollectionContact.objects.filter(case=case, channel=Channel.SMS).count() == 1  # the first day only


def test_the_step_run_twice_for_a_night_changes_and_sends_nothing_more(ln, collectors, django_capture_on_commit_callbacks):
    loan = ln.active_loan()
    with django_capture_on_commit_callbacks() as first:
        overdue_night(date(2026, 5, 21))
    assert len(first) == 1  # the SMS chunk
    before = (list(OverdueCase.objects.values()), list(CollectionTask.objects.values()),
              CollectionContact.objects.count())
    with django_capture_on_commit_callbacks() as second:
        counts = overdue_night(date(2026, 5, 21))
    assert second == []
    assert set(counts.values()) == {0}
    assert (list(OverdueCase.objects.values()), list(CollectionTask.objects.values()),
            CollectionContact.objects.count()) == before
    assert _case(loan).stage == Stage.VISIT


def test_paying_up_clears_the_case_the_same_night_and_a_later_overdue_opens_a_new_one(ln, collectors, client):
    from loans.services.repayment import owed_now, repay_now
    from risk.selectors.overdue import overdue_cleared_for_user

    loan = ln.active_loan()
    overdue_night(date(2026, 4, 21))
    case = _case(loan)
    paid_on = date(2026, 4, 25)
    repay_now(actor=ln.world.clerk, loan=loan, amount=owed_now(loan, paid_on), source="card", client_token="t1",
              on=paid_on)
    counts = overdue_night(paid_on)
    case.refresh_from_db()
    assert counts["cleared"] == 1 and (case.state, case.cleared_on) == (CaseState.CLEARED, paid_on)
    assert list(overdue_cleared_for_user(collectors.a1, paid_on)) == [case]
    assert list(overdue_cleared_for_user(collectors.b, paid_on)) == []  # another branch's collector

    client.force_login(collectors.a1)
    with clock.travel_to(paid_on):
        page = client.get("/staff/risk/overdue/cleared/", {"on": "2026-04-25"})
    assert page.status_code == 200 and loan.contract_number in page.content.decode()

    overdue_night(date(2026, 6, 21))  # what was paid covered May too (owed now includes the current instalment)
    fresh = _case(loan)
    assert fresh.pk != case.pk and fresh.opened_on == date(2026, 6, 21)
    assert OverdueCase.objects.filter(loan=loan).count() == 2


def test_a_broken_promise_opens_a_follow_up_task_and_a_kept_one_does_not(ln, collectors):
    from loans.services.repayment import repay_now
    from risk.services.overdue import contact_record

    broken_loan, kept_loan = ln.active_loan(), ln.active_loan()
    overdue_night(date(2026, 4, 21))
    broken, kept = _case(broken_loan), _case(kept_loan)
    with clock.travel_to(date(2026, 4, 22)):
        for case in (broken, kept):
            contact_record(actor=collectors.a1, case=case, channel=Channel.PHONE, result="本人接听，承诺月底前还款",
                           promise_on=date(2026, 4, 28))
    assert not CollectionTask.objects.filter(case__in=[broken, kept], kind=TaskKind.CALL, done_at__isnull=True).exists()
    repay_now(actor=ln.world.clerk, loan=kept_loan, amount="100.00", source="card", client_token="k", on=date(2026, 4, 27))

    overdue_night(date(2026, 4, 27))  # before the promised day: nothing checked yet
    assert not CollectionTask.objects.filter(kind=TaskKind.PROMISE).exists()
    counts = overdue_night(date(2026, 4, 28))
    assert (counts["promises"], counts["broken_promises"]) == (2, 1)
    follow_up = CollectionTask.objects.get(kind=TaskKind.PROMISE)
    assert follow_up.case == broken and follow_up.due_on == add_working_days(date(2026, 4, 28), 1)
    assert follow_up.promise.promise_kept is False
    assert CollectionContact.objects.get(case=kept, channel=Channel.PHONE).promise_kept is True
    assert overdue_night(date(2026, 4, 28))["broken_promises"] == 0  # checked once


def test_new_cases_go_to_the_branch_collector_with_the_fewest_open_cases(ln, collectors):
    first, second, third = ln.active_loan(), ln.active_loan(), ln.active_loan()
    overdue_night(date(2026, 4, 21))
    assert [_case(loan).collector for loan in (first, second, third)] == [collectors.a1, collectors.a2, collectors.a1]
    assert _case(first).assignments.get().by is None
