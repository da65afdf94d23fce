"""The ledger's rules, proved against PostgreSQL itself, not only the Python service."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.db.utils import DatabaseError

from fund.ledger import chart
from fund.ledger.models import Account, BusinessType, JournalEntry, JournalLine, SubAccount, SubLedgerRow
from fund.ledger.selectors import account_balance, ledger_reconcile
from fund.ledger.services import (
    InsufficientBalance,
    Movement,
    PostingError,
    credit,
    debit,
    entry_post,
    entry_reverse,
    sub_account_open,
)

pytestmark = pytest.mark.django_db

D = Decimal


def _sub(number: str = "T0001", opened: date = date(2025, 7, 1)) -> SubAccount:
    return sub_account_open(control_code=chart.MEMBER_DEPOSITS, number=number, name="张三", opened_on=opened)


def _deposit(sub: SubAccount, amount: str, on: date, key: str) -> JournalEntry:
    value = D(amount)
    return entry_post(
        business_type=BusinessType.GJ_REMIT, reference="test", idempotency_key=key, value_date=on,
        legs=[debit(chart.BANK, value), credit(chart.MEMBER_DEPOSITS, value)],
        movements=[Movement(sub.pk, value)],
    ).entry


def _check_deferred_now() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def test_the_database_rejects_an_unbalanced_entry():
    bank = Account.objects.get(code=chart.BANK)
    liability = Account.objects.get(code=chart.MEMBER_DEPOSITS)
    with pytest.raises(IntegrityError, match="does not balance"), transaction.atomic():
        entry = JournalEntry.objects.create(
            number="X1", business_type="GJ01", reference="r", idempotency_key="k1", value_date=date(2026, 1, 5)
        )
        JournalLine.objects.create(entry=entry, account=bank, debit=D("100.00"))
        JournalLine.objects.create(entry=entry, account=liability, credit=D("99.99"))
        _check_deferred_now()


def test_the_database_rejects_an_entry_without_lines():
    with pytest.raises(IntegrityError, match="has no lines"), transaction.atomic():
        JournalEntry.objects.create(
            number="X2", business_type="GJ01", reference="r", idempotency_key="k2", value_date=date(2026, 1, 5)
        )
        _check_deferred_now()


def test_the_service_refuses_an_unbalanced_entry_before_writing():
    sub = _sub()
    with pytest.raises(PostingError, match="借贷不平衡"):
        entry_post(
            business_type=BusinessType.GJ_REMIT, reference="r", idempotency_key="k3", value_date=date(2026, 1, 5),
            legs=[debit(chart.BANK, D("10.00")), credit(chart.MEMBER_DEPOSITS, D("9.00"))],
            movements=[Movement(sub.pk, D("9.00"))],
        )
    assert not JournalEntry.objects.exists()


@pytest.mark.parametrize("statement", ["UPDATE ledger_journalline SET debit = debit + 1", "DELETE FROM ledger_journalline"])
def test_posted_lines_cannot_be_edited_or_deleted(statement):
    sub = _sub()
    _deposit(sub, "500.00", date(2026, 1, 5), "k4")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert JournalLine.objects.filter(debit=D("500.00")).count() == 1


@pytest.mark.parametrize("table", ["ledger_journalentry", "ledger_subledgerrow"])
def test_entries_and_sub_ledger_rows_cannot_be_deleted(table):
    _deposit(_sub(), "500.00", date(2026, 1, 5), "k5")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")


def test_the_same_idempotency_key_posts_once():
    sub = _sub()
    first = _deposit(sub, "300.00", date(2026, 1, 5), "remit:1:202601")
    again = entry_post(
        business_type=BusinessType.GJ_REMIT, reference="test", idempotency_key="remit:1:202601",
        value_date=date(2026, 1, 6),
        legs=[debit(chart.BANK, D("300.00")), credit(chart.MEMBER_DEPOSITS, D("300.00"))],
        movements=[Movement(sub.pk, D("300.00"))],
    )
    sub.refresh_from_db()
    assert again.created is False and again.entry.pk == first.pk
    assert sub.balance == D("300.00")
    assert JournalEntry.objects.count() == 1


def test_the_database_rejects_a_duplicate_idempotency_key():
    _deposit(_sub(), "300.00", date(2026, 1, 5), "dup")
    with pytest.raises(IntegrityError), transaction.atomic():
        JournalEntry.objects.create(
            number="X9", business_type="GJ01", reference="r", idempotency_key="dup", value_date=date(2026, 1, 5)
        )


def test_sub_ledger_movements_must_match_the_control_account():
    sub = _sub()
    with pytest.raises(PostingError, match="明细账发生额"):
        entry_post(
            business_type=BusinessType.GJ_REMIT, reference="r", idempotency_key="k6", value_date=date(2026, 1, 5),
            legs=[debit(chart.BANK, D("10.00")), credit(chart.MEMBER_DEPOSITS, D("10.00"))],
            movements=[Movement(sub.pk, D("9.00"))],
        )


def test_a_sub_account_cannot_be_overdrawn():
    sub = _sub()
    _deposit(sub, "100.00", date(2026, 1, 5), "k7")
    with pytest.raises(InsufficientBalance, match="余额不足"):
        entry_post(
            business_type=BusinessType.GJ_PARTIAL_WITHDRAWAL, reference="r", idempotency_key="k8",
            value_date=date(2026, 1, 6),
            legs=[debit(chart.MEMBER_DEPOSITS, D("100.01")), credit(chart.BANK, D("100.01"))],
            movements=[Movement(sub.pk, D("-100.01"))],
        )
    sub.refresh_from_db()
    assert sub.balance == D("100.00")


def test_the_database_refuses_a_negative_balance_written_directly():
    sub = _sub()
    with pytest.raises(IntegrityError), transaction.atomic():
        SubAccount.objects.filter(pk=sub.pk).update(balance=D("-1.00"), current_year=D("-1.00"))


def test_deductions_take_the_carried_over_balance_first():
    sub = _sub()
    SubAccount.objects.filter(pk=sub.pk).update(balance=D("0"))  # a fresh account, then:
    entry_post(
        business_type=BusinessType.GJ_OTHER, reference="r", idempotency_key="carry", value_date=date(2025, 7, 1),
        legs=[debit(chart.BANK, D("1000.00")), credit(chart.MEMBER_DEPOSITS, D("1000.00"))],
        movements=[Movement(sub.pk, D("1000.00"), current_year=D("0.00"), prior_year=D("1000.00"))],
    )
    _deposit(sub, "500.00", date(2025, 8, 1), "k9")
    entry_post(
        business_type=BusinessType.GJ_PARTIAL_WITHDRAWAL, reference="r", idempotency_key="k10",
        value_date=date(2025, 9, 1),
        legs=[debit(chart.MEMBER_DEPOSITS, D("1200.00")), credit(chart.BANK, D("1200.00"))],
        movements=[Movement(sub.pk, D("-1200.00"))],
    )
    sub.refresh_from_db()
    assert (sub.prior_year, sub.current_year, sub.balance) == (D("0.00"), D("300.00"), D("300.00"))


def test_accumulation_counts_each_days_closing_balance():
    """积数: 1 000 from 1 July (inclusive) and 500 more from 11 July; by 21 July: 1000×10 + 1500×10."""
    sub = _sub(opened=date(2025, 7, 1))
    _deposit(sub, "1000.00", date(2025, 7, 1), "a1")
    _deposit(sub, "500.00", date(2025, 7, 11), "a2")
    _deposit(sub, "1.00", date(2025, 7, 21), "a3")
    sub.refresh_from_db()
    assert sub.accumulation == D("25000.00")
    assert sub.accumulated_to == date(2025, 7, 21)


def test_a_back_dated_posting_adds_its_missed_days():
    sub = _sub(opened=date(2025, 7, 1))
    _deposit(sub, "1000.00", date(2025, 7, 11), "b1")
    _deposit(sub, "100.00", date(2025, 7, 6), "b2")  # value date five days before the accumulation date
    sub.refresh_from_db()
    assert sub.accumulation == D("500.00")
    assert sub.accumulated_to == date(2025, 7, 11)


def test_a_reversal_restores_the_balance_and_keeps_history():
    sub = _sub()
    entry = _deposit(sub, "800.00", date(2026, 1, 5), "r1")
    reversal = entry_reverse(entry=entry, value_date=date(2026, 1, 6), actor=None, reason="错缴").entry
    sub.refresh_from_db()
    assert sub.balance == D("0.00")
    assert reversal.reverses_id == entry.pk
    assert SubLedgerRow.objects.filter(sub_account=sub).count() == 2
    assert account_balance(Account.objects.get(code=chart.BANK)) == D("0.00")
    again = entry_reverse(entry=entry, value_date=date(2026, 1, 7), actor=None, reason="再次")
    assert again.created is False
    with pytest.raises(PostingError, match="冲正凭证不能再次冲正"):
        entry_reverse(entry=reversal, value_date=date(2026, 1, 7), actor=None, reason="x")


def test_reconcile_passes_on_consistent_books():
    _deposit(_sub("R1"), "120.00", date(2026, 1, 5), "c1")
    _deposit(_sub("R2"), "80.00", date(2026, 1, 5), "c2")
    assert ledger_reconcile() == []
    call_command("reconcile")


def test_reconcile_fails_when_a_balance_is_tampered_with(capsys):
    sub = _sub("R3")
    _deposit(sub, "120.00", date(2026, 1, 5), "c3")
    SubAccount.objects.filter(pk=sub.pk).update(balance=D("150.00"), current_year=D("150.00"))
    with pytest.raises(CommandError, match="对账失败"):
        call_command("reconcile")
    report = capsys.readouterr().err
    assert "住房公积金" in report and "R3" in report


def test_a_key_reused_for_different_money_is_refused():
    sub = _sub()
    _deposit(sub, "300.00", date(2026, 1, 5), "same-key")
    with pytest.raises(PostingError, match="已用于另一笔不同的业务"):
        _deposit(sub, "301.00", date(2026, 1, 5), "same-key")
    sub.refresh_from_db()
    assert sub.balance == D("300.00")


def test_a_failure_after_the_first_writes_leaves_nothing_behind():
    """The overdraw is found after the entry and its lines are written: all of it must roll back."""
    sub = _sub()
    _deposit(sub, "100.00", date(2026, 1, 5), "f1")
    with pytest.raises(InsufficientBalance):
        entry_post(
            business_type=BusinessType.GJ_PARTIAL_WITHDRAWAL, reference="r", idempotency_key="f2",
            value_date=date(2026, 1, 6),
            legs=[debit(chart.MEMBER_DEPOSITS, D("150.00")), credit(chart.BANK, D("150.00"))],
            movements=[Movement(sub.pk, D("-150.00"))],
        )
    sub.refresh_from_db()
    assert sub.balance == D("100.00")
    assert not JournalEntry.objects.filter(idempotency_key="f2").exists()
    assert JournalLine.objects.count() == 2 and SubLedgerRow.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_committed_postings_pass_the_deferred_checks(reference_data):
    """In a real commit the deferred triggers run: a service posting commits; a hand-made unbalanced one cannot."""
    sub = _sub("C1")
    with transaction.atomic():
        _deposit(sub, "42.00", date(2026, 1, 5), "commit-1")
    assert JournalEntry.objects.filter(idempotency_key="commit-1").exists()
    bank = Account.objects.get(code=chart.BANK)
    with pytest.raises(IntegrityError, match="does not balance"), transaction.atomic():
        entry = JournalEntry.objects.create(
            number="C2", business_type="GJ01", reference="r", idempotency_key="commit-2", value_date=date(2026, 1, 5)
        )
        JournalLine.objects.create(entry=entry, account=bank, debit=D("1.00"))
        JournalLine.objects.create(entry=entry, account=bank, credit=D("2.00"))
    assert not JournalEntry.objects.filter(idempotency_key="commit-2").exists()
    assert ledger_reconcile() == []


def _loan_disbursed(number: str, amount: str, key: str) -> SubAccount:
    """A loan's sub-account under 委托贷款 (111) with its principal lent out of the bank (Dr 111 / Cr 101)."""
    sub = sub_account_open(control_code=chart.LOANS, number=number, name="李四", opened_on=date(2026, 1, 5))
    value = D(amount)
    entry_post(business_type=BusinessType.DK_DISBURSE, reference="test", idempotency_key=key,
               value_date=date(2026, 1, 5), legs=[debit(chart.LOANS, value), credit(chart.BANK, value)],
               movements=[Movement(sub.pk, value, summary="贷款发放")])
    return sub


def test_loans_receivable_is_a_control_account_whose_loans_reconcile(capsys):
    _deposit(_sub("R5"), "900000.00", date(2026, 1, 5), "c5")
    _loan_disbursed("DK1", "300000.00", "d1")
    _loan_disbursed("DK2", "200000.00", "d2")
    assert Account.objects.get(code=chart.LOANS).is_control
    assert account_balance(Account.objects.get(code=chart.LOANS)) == D("500000.00")
    assert ledger_reconcile() == []
    call_command("reconcile")
    assert "贷款分户余额合计与委托贷款科目一致" in capsys.readouterr().out


def test_reconcile_fails_when_a_loan_balance_is_tampered_with(capsys):
    _deposit(_sub("R6"), "900000.00", date(2026, 1, 5), "c6")
    sub = _loan_disbursed("DK3", "300000.00", "d3")
    SubAccount.objects.filter(pk=sub.pk).update(balance=D("299000.00"), current_year=D("299000.00"))
    problems = [str(p) for p in ledger_reconcile()]
    assert any("委托贷款" in p for p in problems) and any("DK3" in p for p in problems)
    with pytest.raises(CommandError, match="对账失败"):
        call_command("reconcile")
    assert "委托贷款" in capsys.readouterr().err


def test_a_posting_to_loans_receivable_without_its_loan_movement_is_refused():
    _deposit(_sub("R7"), "1000.00", date(2026, 1, 5), "c7")
    with pytest.raises(PostingError, match="明细账发生额与控制科目发生额不一致"):
        entry_post(business_type=BusinessType.DK_DISBURSE, reference="test", idempotency_key="d4",
                   value_date=date(2026, 1, 5), legs=[debit(chart.LOANS, D("100.00")), credit(chart.BANK, D("100.00"))])


def test_seeding_a_complete_chart_reads_it_once(django_assert_num_queries: Any) -> None:
    # Tests seed the chart before each test that needs reference data: a get_or_create per account was a query each.
    with django_assert_num_queries(1):
        assert chart.chart_seed() == 0


def test_seeding_the_chart_puts_back_only_a_missing_account() -> None:
    code, name, kind, is_control = chart.CHART[-1]
    Account.objects.filter(code=code).delete()
    assert chart.chart_seed() == 1
    assert Account.objects.filter(code=code, name=name, kind=kind, is_control=is_control).count() == 1
    assert Account.objects.count() == len(chart.CHART)
