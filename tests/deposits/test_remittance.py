"""Monthly remittance (汇缴), back-pay (补缴) and wrong-payment correction (错缴更正), service and API."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from rest_framework.test import APIClient

from deposits.models import (
    BaseAdjustment,
    BillKind,
    BillState,
    MemberAccount,
    MemberState,
    MonthlyDeposit,
    PaymentChannel,
    RemittanceBill,
    UnitAccount,
    UnitState,
)
from deposits.services.remittance import (
    bill_cancel,
    bill_confirm,
    bill_generate,
    bill_pay_by_collection,
    bill_post,
    bill_reverse,
    incoming_transfers_match,
)
from deposits.tasks.remittance import match_incoming_transfers
from fund.dates import add_months, first_of_month
from fund.integrations.bank import sandbox_receive_transfer
from fund.integrations.models import SandboxBankAccount
from fund.ledger.models import JournalEntry, SubLedgerRow
from fund.ledger.selectors import ledger_reconcile
from tests.conftest import open_member

pytestmark = pytest.mark.django_db

FEB, MAR, APR = date(2025, 2, 1), date(2025, 3, 1), date(2025, 4, 1)


def as_user(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def bank_account_for(unit: UnitAccount, balance: str = "1000000.00") -> SandboxBankAccount:
    """The unit's account at the bank (known there since its opening) holding `balance`."""
    return SandboxBankAccount.objects.update_or_create(
        account_number=unit.bank_account, defaults={"name": unit.employer.name, "balance": Decimal(balance)}
    )[0]


def confirmed_bill(world, month=FEB, **kw) -> RemittanceBill:
    bill = bill_generate(actor=world.unit_a_op, unit=world.unit_a, month=month, **kw)
    return bill_confirm(actor=world.unit_a_op, bill=bill)


def paid_bill(world, month=FEB, reference="SLIP-1", **kw) -> RemittanceBill:
    bill, created = bill_post(
        bill=confirmed_bill(world, month, **kw), bank_reference=reference, channel=PaymentChannel.COUNTER,
        actor=world.clerk,
    )
    assert created
    return bill


def fresh(account: MemberAccount) -> MemberAccount:
    return MemberAccount.objects.select_related("sub_account").get(pk=account.pk)


# 生成 ---------------------------------------------------------------------------------------------------

def test_the_bill_has_one_line_per_member_with_the_amounts_of_base_and_ratios(world):
    second = open_member(world.clerk, world.unit_a, 3, base=Decimal("5000.00"))
    bill = bill_generate(actor=world.unit_a_op, unit=world.unit_a, month=FEB)
    lines = {line.account_id: line for line in bill.lines.all()}
    assert set(lines) == {world.account_a.pk, second.pk}
    assert (lines[world.account_a.pk].unit_amount, lines[world.account_a.pk].member_amount) == (960, 960)
    assert (lines[second.pk].unit_amount, lines[second.pk].member_amount) == (600, 600)
    assert bill.state == BillState.DRAFT and bill.kind == BillKind.REMIT and bill.member_count == 2
    assert bill.total == Decimal("3120.00") == bill.unit_amount + bill.member_amount
    assert bill.number.startswith(f"HJ{world.unit_a.number}202502")
    assert ledger_reconcile() == []


def test_a_base_adjustment_in_force_for_the_month_sets_the_base(world):
    BaseAdjustment.objects.create(
        account=world.account_a, effective_month=date(2025, 7, 1), old_base=Decimal("8000.00"),
        new_base=Decimal("10000.00"), unit_ratio=Decimal("0.10"), member_ratio=Decimal("0.10"),
        unit_monthly=Decimal("1000.00"), member_monthly=Decimal("1000.00"), actor=world.clerk,
    )
    MemberAccount.objects.filter(pk=world.account_a.pk).update(base=Decimal("10000.00"))
    before = bill_generate(actor=world.unit_a_op, unit=world.unit_a, month=date(2025, 6, 1)).lines.get()
    after = bill_generate(actor=world.unit_a_op, unit=world.unit_a, month=date(2025, 8, 1)).lines.get()
    assert (before.base, before.unit_amount) == (Decimal("8000.00"), Decimal("960.00"))
    assert (after.base, after.unit_amount, after.member_amount) == (Decimal("10000.00"), 1000, 1000)


def test_a_sealed_member_is_not_billed(world):
    open_member(world.clerk, world.unit_a, 3)
    assert bill_generate(actor=world.unit_a_op, unit=world.unit_a, month=FEB).member_count == 2
    MemberAccount.objects.filter(pk=world.account_a.pk).update(state=MemberState.SEALED)
    bill = bill_generate(actor=world.unit_a_op, unit=world.unit_a, month=MAR)
    assert bill.member_count == 1 and not bill.lines.filter(account=world.account_a).exists()


def test_a_new_member_is_billed_from_their_start_month(world):
    newcomer = open_member(world.clerk, world.unit_a, 3, opened_on=date(2025, 2, 20))
    assert newcomer.first_month == MAR
    assert not bill_generate(actor=world.unit_a_op, unit=world.unit_a, month=FEB).lines.filter(account=newcomer).exists()
    assert bill_generate(actor=world.unit_a_op, unit=world.unit_a, month=MAR).lines.filter(account=newcomer).exists()


def test_a_month_already_paid_or_on_a_live_bill_is_not_billed_again(world):
    open_member(world.clerk, world.unit_a, 3)
    from deposits.services import monthly_deposit_post

    monthly_deposit_post(actor=world.clerk, account=world.account_a, month=FEB, value_date=date(2025, 2, 15))
    bill = bill_generate(actor=world.unit_a_op, unit=world.unit_a, month=FEB)
    assert bill.member_count == 1 and not bill.lines.filter(account=world.account_a).exists()
    with pytest.raises(ValidationError) as exc:  # the other member is on the live bill: nothing left to back-pay
        bill_generate(actor=world.unit_a_op, unit=world.unit_a, month=FEB, kind=BillKind.BACKPAY, reason="漏缴")
    assert "没有需要缴存的职工" in str(exc.value)


def test_one_live_remittance_bill_per_unit_and_month(world):
    bill = bill_generate(actor=world.unit_a_op, unit=world.unit_a, month=FEB)
    with pytest.raises(ValidationError) as exc:
        bill_generate(actor=world.unit_a_op, unit=world.unit_a, month=FEB)
    assert "已生成，不能重复生成" in exc.value.message_dict["month"][0]
    bill_cancel(actor=world.unit_a_op, bill=bill)
    again = bill_generate(actor=world.unit_a_op, unit=world.unit_a, month=FEB)
    assert again.number != bill.number and again.state == BillState.DRAFT


def test_a_future_month_a_unit_not_normal_and_a_backpay_without_reason_are_refused(world):
    future = add_months(first_of_month(timezone.localdate()), 1)
    with pytest.raises(ValidationError) as exc:
        bill_generate(actor=world.unit_a_op, unit=world.unit_a, month=future)
    assert "未来月份" in exc.value.message_dict["month"][0]
    with pytest.raises(ValidationError) as exc:
        bill_generate(actor=world.unit_a_op, unit=world.unit_a, month=FEB, kind=BillKind.BACKPAY, reason=" ")
    assert "补缴原因" in exc.value.message_dict["reason"][0]
    UnitAccount.objects.filter(pk=world.unit_a.pk).update(state=UnitState.DEFERRED)
    with pytest.raises(ValidationError) as exc:
        bill_generate(actor=world.unit_a_op, unit=world.unit_a, month=FEB)
    assert "缓缴" in exc.value.message_dict["unit"][0]
    assert RemittanceBill.objects.count() == 0


def test_a_backpay_bill_covers_the_chosen_members_only(world):
    second = open_member(world.clerk, world.unit_a, 3)
    bill = bill_generate(
        actor=world.unit_a_op, unit=world.unit_a, month=FEB, kind=BillKind.BACKPAY, reason="入职漏报", accounts=[second]
    )
    assert list(bill.lines.values_list("account_id", flat=True)) == [second.pk]
    assert bill.number.startswith("BJ") and bill.reason == "入职漏报"
    with pytest.raises(ValidationError) as exc:  # another unit's member
        bill_generate(actor=world.unit_a_op, unit=world.unit_a, month=FEB, kind=BillKind.BACKPAY, reason="x",
                      accounts=[world.account_b])
    assert world.account_b.number in exc.value.message_dict["accounts"][0]


def test_another_units_operator_cannot_generate_for_unit_a(world):
    with pytest.raises(ValidationError):
        bill_generate(actor=world.unit_b_op, unit=world.unit_a, month=FEB)
    with pytest.raises(ValidationError):
        bill_generate(actor=world.auditor, unit=world.unit_a, month=FEB)
    assert RemittanceBill.objects.count() == 0


# 确认、作废 ---------------------------------------------------------------------------------------------

def test_confirm_moves_draft_to_confirmed_once(world):
    bill = bill_generate(actor=world.unit_a_op, unit=world.unit_a, month=FEB)
    bill = bill_confirm(actor=world.clerk, bill=bill)
    assert bill.state == BillState.CONFIRMED and bill.confirmed_by == world.clerk
    with pytest.raises(ValidationError) as exc:
        bill_confirm(actor=world.unit_a_op, bill=bill)
    assert "已确认待缴款" in exc.value.messages[0]


def test_a_paid_bill_cannot_be_cancelled(world):
    bill = paid_bill(world)
    with pytest.raises(ValidationError) as exc:
        bill_cancel(actor=world.unit_a_op, bill=bill)
    assert "已入账" in exc.value.messages[0]
    assert RemittanceBill.objects.get(pk=bill.pk).state == BillState.PAID


# 入账 ---------------------------------------------------------------------------------------------------

def test_posting_splits_the_bill_onto_every_member_and_the_ledger_in_one_entry(world):
    second = open_member(world.clerk, world.unit_a, 3, base=Decimal("5000.00"))
    bill = paid_bill(world)
    entry = bill.entry
    assert entry.business_type == "GJ01" and entry.idempotency_key == f"deposits.bill:{bill.pk}"
    assert sorted(entry.lines.values_list("account__code", "debit", "credit")) == [
        ("101", Decimal("3120.00"), Decimal("0.00")), ("201", Decimal("0.00"), Decimal("3120.00")),
    ]
    assert SubLedgerRow.objects.filter(entry=entry).count() == 2
    assert fresh(world.account_a).sub_account.balance == Decimal("1920.00")
    assert fresh(second).sub_account.current_year == Decimal("1200.00")
    deposits = MonthlyDeposit.objects.filter(entry=entry)
    assert deposits.count() == 2 and all(d.bill_line_id for d in deposits)
    assert fresh(world.account_a).paid_up_to == FEB and fresh(second).paid_up_to == FEB
    assert bill.channel == PaymentChannel.COUNTER and bill.bank_reference == "SLIP-1" and bill.paid_at
    assert ledger_reconcile() == []


def test_posting_twice_or_the_same_receipt_twice_changes_nothing(world):
    bill = paid_bill(world, reference="SLIP-1")
    counts = (JournalEntry.objects.count(), MonthlyDeposit.objects.count(), SubLedgerRow.objects.count())
    again, created = bill_post(bill=bill, bank_reference="SLIP-1", channel=PaymentChannel.COUNTER, actor=world.clerk)
    assert not created and again.pk == bill.pk and again.entry_id == bill.entry_id
    other_receipt, created = bill_post(bill=bill, bank_reference="SLIP-2", channel="counter", actor=world.clerk)
    assert not created and other_receipt.bank_reference == "SLIP-1"
    second = confirmed_bill(world, month=MAR)
    with pytest.raises(ValidationError) as exc:  # the same receipt cannot pay another bill
        bill_post(bill=second, bank_reference="SLIP-1", channel="counter", actor=world.clerk)
    assert bill.number in exc.value.message_dict["bank_reference"][0]
    assert (JournalEntry.objects.count(), MonthlyDeposit.objects.count(), SubLedgerRow.objects.count()) == counts
    assert fresh(world.account_a).sub_account.balance == Decimal("1920.00")
    assert RemittanceBill.objects.get(pk=second.pk).state == BillState.CONFIRMED
    assert ledger_reconcile() == []


def test_a_draft_bill_cannot_be_posted(world):
    bill = bill_generate(actor=world.unit_a_op, unit=world.unit_a, month=FEB)
    with pytest.raises(ValidationError) as exc:
        bill_post(bill=bill, bank_reference="SLIP-1", channel="counter", actor=world.clerk)
    assert "须先确认" in exc.value.messages[0]
    with pytest.raises(ValidationError) as exc:
        bill_post(bill=bill, bank_reference="  ", channel="counter", actor=world.clerk)
    assert "bank_reference" in exc.value.message_dict
    assert JournalEntry.objects.filter(business_type="GJ01").count() == 0


def test_the_paid_up_month_advances_only_through_consecutive_paid_months(world):
    paid_bill(world, month=MAR, reference="SLIP-MAR")
    assert fresh(world.account_a).paid_up_to is None  # February is still owed
    paid_bill(world, month=APR, reference="SLIP-APR")
    assert fresh(world.account_a).paid_up_to is None
    paid_bill(world, month=FEB, reference="SLIP-FEB")
    assert fresh(world.account_a).paid_up_to == APR
    assert ledger_reconcile() == []


def test_a_backpay_bill_posts_as_gj02(world):
    bill = paid_bill(world, kind=BillKind.BACKPAY, reason="以前月份漏缴")
    assert bill.entry.business_type == "GJ02"


# 委托收款 -----------------------------------------------------------------------------------------------

def test_collection_debits_the_unit_and_posts_the_bill(world):
    bank = bank_account_for(world.unit_a, "5000.00")
    bill, created = bill_pay_by_collection(actor=world.unit_a_op, bill=confirmed_bill(world))
    assert created and bill.state == BillState.PAID and bill.channel == PaymentChannel.COLLECTION
    bank.refresh_from_db()
    assert bank.balance == Decimal("3080.00")
    again, created = bill_pay_by_collection(actor=world.unit_a_op, bill=bill)
    assert not created and again.entry_id == bill.entry_id
    bank.refresh_from_db()
    assert bank.balance == Decimal("3080.00")
    assert ledger_reconcile() == []


def test_a_failed_collection_leaves_the_bill_confirmed_with_a_chinese_message(world):
    bill = confirmed_bill(world)
    SandboxBankAccount.objects.filter(account_number=world.unit_a.bank_account).delete()  # closed at the bank since
    with pytest.raises(ValidationError) as exc:  # the unit's account is unknown to the bank
        bill_pay_by_collection(actor=world.unit_a_op, bill=bill)
    assert "委托收款未成功" in exc.value.messages[0] and "账号不存在" in exc.value.messages[0]
    assert RemittanceBill.objects.get(pk=bill.pk).state == BillState.CONFIRMED
    assert JournalEntry.objects.filter(business_type="GJ01").count() == 0


def test_an_insufficient_balance_fails_the_collection(world):
    bank_account_for(world.unit_a, "100.00")
    bill = confirmed_bill(world)
    with pytest.raises(ValidationError) as exc:
        bill_pay_by_collection(actor=world.unit_a_op, bill=bill)
    assert "余额不足" in exc.value.messages[0]
    assert RemittanceBill.objects.get(pk=bill.pk).state == BillState.CONFIRMED


def test_collection_refuses_inside_a_transaction(world):
    from django.db import transaction

    bank_account_for(world.unit_a)
    bill = confirmed_bill(world)
    with pytest.raises(RuntimeError), transaction.atomic():
        bill_pay_by_collection(actor=world.unit_a_op, bill=bill)


# 来账匹配 -----------------------------------------------------------------------------------------------

def test_incoming_transfers_post_the_matching_bills_and_list_the_rest(world):
    right = confirmed_bill(world, month=FEB)
    wrong = confirmed_bill(world, month=MAR)
    good = sandbox_receive_transfer(payer_account=world.unit_a.bank_account, payer_name="测试单位1",
                                    amount=right.total, reference=f"公积金 {right.number}")
    short = sandbox_receive_transfer(payer_account=world.unit_a.bank_account, payer_name="测试单位1",
                                     amount=Decimal("100.00"), reference=wrong.number)
    stray = sandbox_receive_transfer(payer_account="1", payer_name="某人", amount=Decimal("5.00"), reference="货款")
    today = timezone.localdate()
    match_incoming_transfers.delay(start=today.isoformat(), end=today.isoformat())
    right.refresh_from_db()
    wrong.refresh_from_db()
    assert right.state == BillState.PAID and right.bank_reference == good.bank_serial
    assert right.channel == PaymentChannel.TRANSFER
    assert wrong.state == BillState.CONFIRMED
    report = incoming_transfers_match(start=today, end=today)
    assert report.posted == []  # run again: nothing new
    unmatched = {t.bank_serial: t for t in report.unmatched}
    assert set(unmatched) == {short.bank_serial, stray.bank_serial}
    assert "金额不符" in unmatched[short.bank_serial].why and unmatched[short.bank_serial].bill == wrong
    assert "未找到缴款单号" in unmatched[stray.bank_serial].why
    assert MonthlyDeposit.objects.count() == 1
    assert ledger_reconcile() == []


# 错缴更正 -----------------------------------------------------------------------------------------------

def test_reversal_posts_a_mirror_to_suspense_keeps_history_and_the_month_can_be_paid_again(world):
    second = open_member(world.clerk, world.unit_a, 3)
    paid_bill(world, month=FEB, reference="S-FEB")
    bill = paid_bill(world, month=MAR, reference="S-MAR")
    assert fresh(world.account_a).paid_up_to == MAR
    done = bill_reverse(actor=world.clerk, bill=bill, reason="职工已离职仍被缴存", accounts=[world.account_a])
    assert len(done) == 1
    deposit = MonthlyDeposit.objects.get(account=world.account_a, month=MAR)
    entry = deposit.reversal
    assert entry.business_type == "CZ" and entry.idempotency_key == f"deposits.deposit_reversal:{deposit.pk}"
    assert sorted(entry.lines.values_list("account__code", "debit", "credit")) == [
        ("201", Decimal("1920.00"), Decimal("0.00")), ("231", Decimal("0.00"), Decimal("1920.00")),
    ]
    assert fresh(world.account_a).paid_up_to == FEB and fresh(second).paid_up_to == MAR
    assert fresh(world.account_a).sub_account.balance == Decimal("1920.00")
    assert SubLedgerRow.objects.filter(entry=bill.entry).count() == 2  # history untouched
    assert bill_reverse(actor=world.clerk, bill=bill, reason="再点一次", accounts=[world.account_a]) == []
    assert JournalEntry.objects.filter(business_type="CZ").count() == 1
    assert ledger_reconcile() == []

    # The month is owed again: a back-pay bill bills it and posts it.
    rebill = paid_bill(world, month=MAR, reference="S-MAR-2", kind=BillKind.BACKPAY, reason="更正后补缴")
    assert list(rebill.lines.values_list("account_id", flat=True)) == [world.account_a.pk]
    assert fresh(world.account_a).paid_up_to == MAR
    assert MonthlyDeposit.objects.filter(account=world.account_a, month=MAR).count() == 2
    assert ledger_reconcile() == []


def test_a_whole_bill_reversal_and_its_rules(world):
    open_member(world.clerk, world.unit_a, 3)
    bill = paid_bill(world)
    with pytest.raises(ValidationError):
        bill_reverse(actor=world.unit_a_op, bill=bill, reason="x")  # the unit cannot reverse
    with pytest.raises(ValidationError) as exc:
        bill_reverse(actor=world.clerk, bill=bill, reason="")
    assert "reason" in exc.value.message_dict
    assert len(bill_reverse(actor=world.clerk, bill=bill, reason="整单错缴")) == 2
    assert not MonthlyDeposit.objects.filter(reversal__isnull=True).exists()
    assert all(fresh(a).paid_up_to is None for a in MemberAccount.objects.filter(unit=world.unit_a))
    assert RemittanceBill.objects.get(pk=bill.pk).state == BillState.PAID
    draft = bill_generate(actor=world.unit_a_op, unit=world.unit_a, month=MAR)
    with pytest.raises(ValidationError) as exc:
        bill_reverse(actor=world.clerk, bill=draft, reason="x")
    assert "已入账" in exc.value.messages[0]
    assert ledger_reconcile() == []


# API ----------------------------------------------------------------------------------------------------

def test_the_unit_generates_confirms_and_pays_through_the_api(world):
    bank_account_for(world.unit_a)
    op = as_user(world.unit_a_op)
    made = op.post("/api/deposits/bills/", {"month": "2025-02"}, format="json")
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["total"] == "1920.00" and body["lines"][0]["id_number"].count("*") == 8
    pk = body["id"]
    assert op.post(f"/api/deposits/bills/{pk}/confirm/").json()["state"] == "confirmed"
    paid = op.post(f"/api/deposits/bills/{pk}/pay/")
    assert paid.status_code == 200 and paid.json()["state"] == "paid" and paid.json()["created"] is True
    assert op.post(f"/api/deposits/bills/{pk}/pay/").json()["created"] is False
    assert [b["number"] for b in op.get("/api/deposits/bills/").json()["results"]] == [body["number"]]
    assert fresh(world.account_a).paid_up_to == FEB
    assert ledger_reconcile() == []


def test_other_units_members_and_outsiders_get_404_and_auditors_read_only(world):
    bill = confirmed_bill(world)
    for user in (world.unit_b_op, world.member_a, world.outsider, world.clerk_b):
        client = as_user(user)
        assert client.get(f"/api/deposits/bills/{bill.pk}/").status_code == 404
        assert client.post(f"/api/deposits/bills/{bill.pk}/confirm/").status_code == 404
        assert client.post(f"/api/deposits/bills/{bill.pk}/receipt/", {"channel": "counter", "bank_reference": "X"}).status_code == 404
        assert client.get("/api/deposits/bills/").json()["results"] == []
    auditor = as_user(world.auditor)
    assert auditor.get(f"/api/deposits/bills/{bill.pk}/").json()["number"] == bill.number
    assert auditor.post(f"/api/deposits/bills/{bill.pk}/receipt/", {"channel": "counter", "bank_reference": "X"}).status_code == 403
    assert auditor.post("/api/deposits/bills/", {"month": "2025-03", "unit": world.unit_a.pk}).status_code == 403
    assert as_user(world.member_a).post("/api/deposits/bills/", {"month": "2025-03"}).status_code == 403
    # The unit cannot record a receipt or reverse: that is window work.
    assert as_user(world.unit_a_op).post(f"/api/deposits/bills/{bill.pk}/receipt/", {"channel": "counter", "bank_reference": "X"}).status_code == 403
    assert RemittanceBill.objects.get(pk=bill.pk).state == BillState.CONFIRMED


def test_staff_record_a_receipt_and_reverse_through_the_api(world):
    bill = confirmed_bill(world)
    clerk = as_user(world.clerk)
    first = clerk.post(f"/api/deposits/bills/{bill.pk}/receipt/", {"channel": "counter", "bank_reference": "JZ001"})
    assert first.status_code == 201 and first.json()["created"] is True
    second = clerk.post(f"/api/deposits/bills/{bill.pk}/receipt/", {"channel": "counter", "bank_reference": "JZ001"})
    assert second.status_code == 200 and second.json()["created"] is False
    reversed_ = clerk.post(f"/api/deposits/bills/{bill.pk}/reverse/", {"reason": "错缴", "accounts": [world.account_a.pk]},
                           format="json")
    assert reversed_.status_code == 200 and reversed_.json()["reversed"] == 1
    assert reversed_.json()["bill"]["lines"][0]["reversed"] is True
    assert ledger_reconcile() == []


@pytest.mark.parametrize(
    ("payload", "field"),
    [({"month": "2025-13"}, "month"), ({"month": "abc"}, "month"), ({}, "month"), ({"month": "2099-01"}, "month"),
     ({"month": "2025-02", "kind": "09"}, "kind"), ({"month": "2025-02", "kind": "02"}, "reason"),
     ({"month": "2025-02", "kind": "02", "reason": "x", "accounts": [999999]}, "accounts"),
     ({"month": "2025-02", "kind": "02", "reason": "x", "accounts": "1"}, "accounts")],
)
def test_bad_generate_input_is_a_400_naming_the_field(world, payload, field):
    response = as_user(world.unit_a_op).post("/api/deposits/bills/", payload, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert RemittanceBill.objects.count() == 0


def test_bad_receipt_and_reverse_input_is_a_400(world):
    bill = confirmed_bill(world)
    clerk = as_user(world.clerk)
    assert "channel" in clerk.post(f"/api/deposits/bills/{bill.pk}/receipt/", {"channel": "cash", "bank_reference": "1"}).json()
    assert clerk.post(f"/api/deposits/bills/{bill.pk}/receipt/", {"channel": "counter", "bank_reference": ""}).status_code == 400
    assert clerk.post(f"/api/deposits/bills/{bill.pk}/reverse/", {"reason": "x"}).status_code == 400  # not paid
    assert clerk.post(f"/api/deposits/bills/{bill.pk}/reverse/", {}).status_code == 400
    assert as_user(world.unit_a_op).post(f"/api/deposits/bills/{bill.pk}/pay/").status_code == 400  # no bank account
    assert clerk.get("/api/deposits/bills/?month=2025-99").status_code == 400
    assert clerk.get("/api/deposits/bills/?state=nope").status_code == 400
    assert RemittanceBill.objects.get(pk=bill.pk).state == BillState.CONFIRMED


# 页面 ---------------------------------------------------------------------------------------------------

def test_the_unit_hall_generates_confirms_and_pays_a_bill(world, client):
    bank_account_for(world.unit_a)
    client.force_login(world.unit_a_op)
    page = client.get("/unit/remittance/")
    assert page.status_code == 200 and "生成缴款单" in page.content.decode()
    made = client.post("/unit/remittance/", {"month": "2025-02", "kind": "01"})
    bill = RemittanceBill.objects.get()
    assert made.status_code == 302 and made["Location"] == f"/unit/remittance/{bill.pk}/"
    detail = client.get(made["Location"]).content.decode()
    assert world.account_a.person.id_number not in detail and "********" in detail and "确认缴款单" in detail
    client.post(f"/unit/remittance/{bill.pk}/confirm/")
    client.post(f"/unit/remittance/{bill.pk}/pay/")
    bill.refresh_from_db()
    assert bill.state == BillState.PAID and fresh(world.account_a).paid_up_to == FEB
    assert "已入账" in client.get(f"/unit/remittance/{bill.pk}/").content.decode()
    assert ledger_reconcile() == []


def test_the_unit_hall_shows_errors_in_the_form(world, client):
    client.force_login(world.unit_a_op)
    page = client.post("/unit/remittance/", {"month": "2025-02", "kind": "02", "reason": ""}).content.decode()
    assert "补缴须填写补缴原因" in page
    assert "请按“年-月”选择缴存年月" in client.post("/unit/remittance/", {"month": "x", "kind": "01"}).content.decode()
    assert RemittanceBill.objects.count() == 0


def test_pages_of_another_units_bill_are_404(world, client):
    bill = confirmed_bill(world)
    for user in (world.unit_b_op, world.member_a, world.outsider):
        client.force_login(user)
        assert client.get(f"/unit/remittance/{bill.pk}/").status_code == 404
        assert client.post(f"/unit/remittance/{bill.pk}/pay/").status_code == 404
    client.force_login(world.clerk_b)
    assert client.get(f"/staff/remittance/{bill.pk}/").status_code == 404
    client.force_login(world.auditor)
    assert client.get(f"/staff/remittance/{bill.pk}/").status_code == 200
    assert client.post(f"/staff/remittance/{bill.pk}/receipt/", {"channel": "counter", "bank_reference": "X"}).status_code == 403
    assert RemittanceBill.objects.get(pk=bill.pk).state == BillState.CONFIRMED


def test_staff_record_a_receipt_see_unmatched_transfers_and_correct_on_the_pages(world, client):
    bill = confirmed_bill(world)
    sandbox_receive_transfer(payer_account="1", payer_name="某单位", amount=Decimal("9.00"), reference="无附言")
    client.force_login(world.clerk)
    listing = client.get("/staff/remittance/").content.decode()
    assert bill.number in listing and "待人工匹配" in listing and "附言中未找到缴款单号" in listing
    client.post(f"/staff/remittance/{bill.pk}/receipt/", {"channel": "counter", "bank_reference": "JZ-9"})
    bill.refresh_from_db()
    assert bill.state == BillState.PAID and bill.bank_reference == "JZ-9"
    client.post(f"/staff/remittance/{bill.pk}/reverse/", {"reason": "错缴", "accounts": [world.account_a.pk]})
    assert MonthlyDeposit.objects.get(account=world.account_a).reversal_id is not None
    assert "已更正" in client.get(f"/staff/remittance/{bill.pk}/").content.decode()
    assert ledger_reconcile() == []
