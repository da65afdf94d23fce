"""The nightly close's bank debit (steps 40 and 50): a failed debit is retried and paid once, a result applied
twice posts once, the books reconcile, and a loan paid off by its last debit closes."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from fund.close.registry import close_steps
from fund.integrations.models import IntegrationCall, SandboxBankAccount, SandboxBankPayment
from fund.ledger.models import JournalEntry
from fund.ledger.selectors import ledger_reconcile
from loans.close import counters_step, overdue_step
from loans.models import (
    BatchState,
    CollectionBatch,
    CollectionItem,
    Instalment,
    InstalmentState,
    Loan,
    LoanStatus,
    Repayment,
)
from loans.services.collection import debit_results_step, debit_step

pytestmark = pytest.mark.django_db

DUE = date(2026, 4, 20)  # the first instalment of ln.active_loan(disbursed_on=2026-03-20, day=20)


def close(on: date) -> dict[str, dict[str, int]]:
    """The loan steps 20–60 for one business date, in order (the runner is fund.close's)."""
    return {"overdue": overdue_step(on), "debit": debit_step(on), "results": debit_results_step(on),
            "counters": counters_step(on)}


def card_balance(loan: Any) -> Decimal:
    return SandboxBankAccount.objects.get(account_number=loan.repayment_card).balance


def test_the_loan_steps_are_registered_in_the_agreed_order() -> None:
    ours = [(s.order, s.name) for s in close_steps() if s.name.startswith("loans.")]
    for step in [(20, "loans.overdue"), (30, "loans.fund_deduction"), (40, "loans.debit"),
                 (50, "loans.debit_results"), (60, "loans.counters"), (70, "loans.reminders"),
                 (90, "loans.registry_followup")]:
        assert step in ours
    assert ours == sorted(ours)


def test_a_debit_due_today_pays_the_instalment_once_with_one_balanced_entry_and_reconciles(ln: Any) -> None:
    loan = ln.active_loan(card_balance="5000.00")
    first = Instalment.objects.get(loan=loan, number=1)
    owed = first.principal + first.interest
    done = close(DUE)
    assert done["debit"]["items"] == 1 and done["results"] == {"paid": 1, "failed": 0, "unmatched": 0}
    first.refresh_from_db()
    assert first.state == InstalmentState.PAID and first.paid_on == DUE
    repayment = Repayment.objects.get(loan=loan)
    assert (repayment.kind, repayment.channel, repayment.amount) == ("scheduled", "debit", owed)
    assert (repayment.interest, repayment.principal, repayment.penalty) == (first.interest, first.principal, 0)
    assert repayment.number.startswith("HK") and len(repayment.number) == 14
    assert CollectionItem.objects.get(loan=loan).repayment == repayment
    loan.sub_account.refresh_from_db()
    assert repayment.balance_after == loan.sub_account.balance == Decimal("300000.00") - first.principal
    assert card_balance(loan) == Decimal("5000.00") - owed
    batch = CollectionBatch.objects.get(business_date=DUE)
    assert (batch.state, batch.paid_count, batch.paid_amount, batch.entry_id) == (
        BatchState.APPLIED, 1, owed, repayment.entry_id)
    assert ledger_reconcile() == []
    # The whole close again for the same date: nothing sent, nothing posted.
    assert close(DUE)["debit"]["sent"] == 0
    assert Repayment.objects.filter(loan=loan).count() == 1
    assert card_balance(loan) == Decimal("5000.00") - owed
    assert JournalEntry.objects.filter(reference=batch.reference).count() == 1


def test_a_failed_debit_is_retried_the_next_day_and_paid_once_with_a_days_penalty(ln: Any) -> None:
    loan = ln.active_loan(card_balance="100.00")
    first = Instalment.objects.get(loan=loan, number=1)
    assert close(DUE)["results"] == {"paid": 0, "failed": 1, "unmatched": 0}
    item = CollectionItem.objects.get(loan=loan)
    assert (item.state, item.reason) == ("failed", "付款账户余额不足")
    first.refresh_from_db()
    assert first.state == InstalmentState.PENDING and not Repayment.objects.filter(loan=loan).exists()
    assert card_balance(loan) == Decimal("100.00")

    SandboxBankAccount.objects.filter(account_number=loan.repayment_card).update(balance=Decimal("9000.00"))
    next_day = date(2026, 4, 21)
    done = close(next_day)
    assert done["overdue"]["overdue"] == 1 and done["results"]["paid"] == 1
    # a day's penalty on the principal: 954.36 × 2.6 % × 1.5 ÷ 360 = 0.10
    repayment = Repayment.objects.get(loan=loan)
    assert (repayment.kind, repayment.penalty, repayment.overdue_interest, repayment.overdue_principal) == (
        "overdue", Decimal("0.10"), first.interest, first.principal)
    assert card_balance(loan) == Decimal("9000.00") - repayment.amount
    first.refresh_from_db()
    assert (first.state, first.penalty, first.penalty_paid) == (InstalmentState.PAID, Decimal("0.10"), Decimal("0.10"))
    assert ledger_reconcile() == []
    # A day later nothing is owed: no item, no second debit of the card.
    close(date(2026, 4, 22))
    assert CollectionItem.objects.filter(loan=loan).count() == 2
    assert Repayment.objects.filter(loan=loan).count() == 1


def test_a_failed_debit_is_not_retried_after_the_policys_retry_days(ln: Any) -> None:
    loan = ln.active_loan(card_balance="1.00")
    for day in range(20, 25):  # due 20 April; retry days 3 → asked on the 20th … 23rd, not on the 24th
        close(date(2026, 4, day))
    asked = sorted(CollectionItem.objects.filter(loan=loan).values_list("batch__business_date", flat=True))
    assert asked == [date(2026, 4, d) for d in range(20, 24)]
    loan.refresh_from_db()
    assert (loan.overdue_since, loan.periods_overdue, loan.days_overdue) == (DUE, 1, 4)


def test_it_applies_a_result_applied_again_once(ln: Any) -> None:
    loan = ln.active_loan(card_balance="5000.00")
    overdue_step(DUE)
    debit_step(DUE)
    assert debit_results_step(DUE)["paid"] == 1
    # As if the batch's move to applied had been lost: the items have moved, so nothing posts again.
    CollectionBatch.objects.filter(business_date=DUE).update(state=BatchState.SENT)
    assert debit_results_step(DUE) == {"paid": 0, "failed": 0, "unmatched": 0}
    assert Repayment.objects.filter(loan=loan).count() == 1
    assert JournalEntry.objects.filter(reference=f"PLKK{DUE:%Y%m%d}").count() == 1
    assert ledger_reconcile() == []


def test_a_batch_sent_again_after_a_failure_debits_nobody_twice(ln: Any) -> None:
    loan = ln.active_loan(card_balance="5000.00")
    overdue_step(DUE)
    debit_step(DUE)
    # The bank got it, but our record of sending was lost (the process died): the step runs again.
    CollectionBatch.objects.filter(business_date=DUE).update(sent_at=None)
    assert debit_step(DUE)["sent"] == 1
    assert SandboxBankPayment.objects.filter(reference=f"DK{DUE:%Y%m%d}{loan.pk}").count() == 1
    debit_results_step(DUE)
    first = Instalment.objects.get(loan=loan, number=1)
    assert card_balance(loan) == Decimal("5000.00") - first.principal - first.interest
    assert Repayment.objects.filter(loan=loan).count() == 1


def test_a_loan_paid_off_by_its_last_debit_closes(ln: Any) -> None:
    loan = ln.active_loan(principal="10000.00", months=1, card_balance="20000.00")
    close(DUE)
    loan.refresh_from_db()
    assert loan.status == LoanStatus.CLOSED and loan.closed_on == DUE and loan.sub_account.balance == 0
    assert ledger_reconcile() == []


def test_a_loan_without_a_repayment_card_is_skipped_and_counted(ln: Any) -> None:
    loan = ln.active_loan()
    Loan.objects.filter(pk=loan.pk).update(repayment_card="")
    overdue_step(DUE)
    assert debit_step(DUE)["no_card"] == 1
    assert not CollectionItem.objects.filter(loan=loan).exists()


def test_a_paid_debit_the_loan_no_longer_owes_goes_to_suspense_not_to_the_instalments(ln: Any) -> None:
    loan = ln.active_loan(card_balance="5000.00")
    overdue_step(DUE)
    debit_step(DUE)
    # Paid at the counter between the debit and its answer (here: the instalment marked paid by hand).
    first = Instalment.objects.get(loan=loan, number=1)
    Instalment.objects.filter(pk=first.pk).update(interest_paid=first.interest)
    assert debit_results_step(DUE) == {"paid": 1, "failed": 0, "unmatched": 1}
    assert not Repayment.objects.filter(loan=loan).exists()
    item = CollectionItem.objects.get(loan=loan)
    assert item.state == "paid" and "暂收款" in item.reason and item.repayment is None
    entry = JournalEntry.objects.get(reference=f"PLKK{DUE:%Y%m%d}")
    assert {line.account.code: line.credit for line in entry.lines.all() if line.credit} == {
        "231": first.principal + first.interest}
    assert ledger_reconcile() == []


def test_the_batch_call_is_logged_as_a_summary(ln: Any) -> None:
    ln.active_loan()
    close(DUE)
    call = IntegrationCall.objects.get(operation="collect_batch")
    assert call.request["items"]["count"] == 1 and call.response["items"]["count"] == 1


def test_a_bank_answering_in_parts_has_each_part_posted_once_and_the_batch_applied_when_all_are_in(
        ln: Any, monkeypatch: Any) -> None:
    import dataclasses

    from fund.integrations.bank import SandboxBank
    from loans.services.collection import ResultsIncomplete

    first_loan, second_loan = ln.active_loan(), ln.active_loan()
    overdue_step(DUE)
    debit_step(DUE)
    full = SandboxBank.collect_batch_result
    monkeypatch.setattr(SandboxBank, "collect_batch_result", lambda self, *, batch_reference: dataclasses.replace(
        full(self, batch_reference=batch_reference), items=full(self, batch_reference=batch_reference).items[:1]))
    with pytest.raises(ResultsIncomplete):
        debit_results_step(DUE)
    batch = CollectionBatch.objects.get(business_date=DUE)
    assert batch.state == BatchState.SENT and batch.paid_count == 1
    assert Repayment.objects.filter(loan=first_loan).count() == 1
    monkeypatch.setattr(SandboxBank, "collect_batch_result", full)
    assert debit_results_step(DUE)["paid"] == 1
    batch.refresh_from_db()
    assert batch.state == BatchState.APPLIED and batch.paid_count == 2
    assert Repayment.objects.filter(loan__in=[first_loan, second_loan]).count() == 2
    assert JournalEntry.objects.filter(reference=batch.reference).count() == 2
    assert ledger_reconcile() == []


@pytest.mark.django_db(transaction=True)
def test_a_repayment_at_the_counter_while_the_answers_are_applied_is_waited_for_and_not_paid_twice(ln: Any) -> None:
    # A repayment at the counter locks its loan, pays the instalment and commits; the answers being applied
    # meanwhile must wait for it and then see the instalment paid (the item's money to 暂收款), not read the
    # instalment before that commit and pay it a second time. The counter side commits as soon as the close's
    # connection is seen waiting on a lock (polled, so a busy machine only makes it slower).
    import threading
    import time

    from django.db import connection, transaction

    loan = ln.active_loan(card_balance="5000.00")
    overdue_step(DUE)
    debit_step(DUE)
    first = Instalment.objects.get(loan=loan, number=1)
    ready, failures = threading.Event(), []

    def counter() -> None:
        try:
            with transaction.atomic():
                Loan.objects.select_for_update().get(pk=loan.pk)
                Instalment.objects.filter(pk=first.pk).update(interest_paid=first.interest)
                ready.set()
                deadline = time.monotonic() + 60
                with connection.cursor() as cursor:
                    while time.monotonic() < deadline:
                        cursor.execute("SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                                       " AND datname = current_database() AND pid <> pg_backend_pid()")
                        if cursor.fetchone()[0]:
                            break
                        time.sleep(0.02)
        except Exception as exc:  # surfaced below, in the test's own thread
            failures.append(exc)
        finally:
            ready.set()
            connection.close()

    thread = threading.Thread(target=counter)
    thread.start()
    ready.wait(60)
    result = debit_results_step(DUE)
    thread.join(60)
    assert not failures
    assert result == {"paid": 1, "failed": 0, "unmatched": 1}
    assert not Repayment.objects.filter(loan=loan).exists()
    assert "暂收款" in CollectionItem.objects.get(loan=loan).reason
    assert ledger_reconcile() == []
