"""The lives of member and unit accounts: every move the state tables allow and refuse, one person one account
across a transfer, four eyes on deferral and ratio-reduction applications, deferral blocking deposits, and the
ledger untouched throughout."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from deposits.models import (
    AccountEvent,
    MemberAccount,
    MemberState,
    RemittanceBill,
    UnitAccount,
    UnitApplication,
    UnitState,
)
from deposits.services import monthly_deposit_post
from deposits.services.lifecycle import (
    MEMBER_MOVES,
    UNIT_MOVES,
    member_account_change,
    member_account_freeze,
    member_account_seal,
    member_account_unfreeze,
    member_transfer_in,
    unit_account_change,
    unit_account_close,
    unit_account_seal,
    unit_account_unseal,
    unit_application_approve,
    unit_application_review,
    unit_application_submit,
    unit_application_withdraw,
    unit_applications_due_run,
    unit_backpay_settle,
)
from fund.audit.models import AuditEvent
from fund.dates import add_months
from fund.ledger.models import JournalEntry
from fund.ledger.selectors import ledger_reconcile
from fund.people.models import Post
from tests.clock import this_month
from tests.conftest import PASSWORD, bank_account_at_the_bank, open_member, open_unit

pytestmark = pytest.mark.django_db

CARD = "6222020200112233446"


def staff(username, branch, posts, centre_wide=False):
    from fund.people.services import staff_create

    return staff_create(actor=None, username=username, name=username, branch=branch, posts=posts,
                        employee_number=username, password=PASSWORD, centre_wide=centre_wide)


@pytest.fixture
def reviewer(world):
    return staff("reviewer", world.branch_a, [Post.REVIEW])


@pytest.fixture
def approver(world):
    return staff("approver", world.branch_a, [Post.APPROVE])


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def deposit(world, month):
    return monthly_deposit_post(actor=world.clerk, account=world.account_a, month=month, value_date=date(2025, 6, 1))


# ---- the state tables, cell by cell -----------------------------------------------------------------------

MEMBER_ACTIONS = {
    "seal": lambda w, a: member_account_seal(actor=w.clerk, account=a, reason="离职"),
    "freeze": lambda w, a: member_account_freeze(actor=w.clerk, account=a, reason="法院协助冻结"),
    "unfreeze": lambda w, a: member_account_unfreeze(actor=w.clerk, account=a, reason="解除冻结"),
    "unseal": lambda w, a: member_transfer_in(actor=w.clerk, unit=a.unit, id_number=a.person.id_number, base=Decimal("8000")),
}


@pytest.mark.parametrize("action", sorted(MEMBER_ACTIONS))
@pytest.mark.parametrize("state", [MemberState.NORMAL, MemberState.SEALED, MemberState.FROZEN])
def test_member_moves_follow_the_table(world, action, state):
    account = world.account_a
    MemberAccount.objects.filter(pk=account.pk).update(state=state)
    account = fresh(account)
    allowed = state in MEMBER_MOVES[action]
    if allowed:
        MEMBER_ACTIONS[action](world, account)
        assert fresh(account).state != state
        event = AccountEvent.objects.filter(account=account).latest("id")
        assert (event.old_state, event.new_state) == (state, fresh(account).state)
    else:
        with pytest.raises(ValidationError) as exc:
            MEMBER_ACTIONS[action](world, account)
        assert fresh(account).state == state
        assert "不能" in str(exc.value) or "无需" in str(exc.value) or "冻结" in str(exc.value)


def test_unfreeze_returns_to_the_state_before_the_freeze(world):
    member_account_seal(actor=world.unit_a_op, account=world.account_a, reason="离职")
    member_account_freeze(actor=world.clerk, account=world.account_a, reason="法院协助冻结")
    member_account_unfreeze(actor=world.clerk, account=world.account_a, reason="法院解除")
    assert fresh(world.account_a).state == MemberState.SEALED
    member_account_freeze(actor=world.clerk, account=world.account_a, reason="再次冻结")
    assert fresh(world.account_a).state == MemberState.FROZEN


def test_each_move_leaves_an_audit_row_with_old_and_new(world):
    member_account_seal(actor=world.unit_a_op, account=world.account_a, reason="解除劳动合同")
    row = AuditEvent.objects.filter(action="deposits.member.sealed").get()
    assert row.old == {"state": "01"} and row.new == {"state": "02"} and row.reason == "解除劳动合同"
    assert row.actor == world.unit_a_op


def test_a_frozen_or_sealed_account_takes_no_deposit(world):
    member_account_freeze(actor=world.clerk, account=world.account_a, reason="法院协助冻结")
    with pytest.raises(ValidationError, match="冻结"):
        deposit(world, date(2025, 2, 1))
    member_account_unfreeze(actor=world.clerk, account=world.account_a, reason="解除")
    member_account_seal(actor=world.clerk, account=world.account_a, reason="离职")
    with pytest.raises(ValidationError, match="封存"):
        deposit(world, date(2025, 2, 1))
    assert JournalEntry.objects.count() == 0


@pytest.mark.parametrize("action", ["seal", "defer", "end_deferral", "unseal", "close"])
@pytest.mark.parametrize("state", [UnitState.NORMAL, UnitState.DEFERRED, UnitState.SEALED, UnitState.CLOSED])
def test_unit_moves_follow_the_table(world, reviewer, approver, action, state):
    from deposits.services.lifecycle_rules import unit_move

    unit = open_unit(world.clerk, world.branch_a, 40)  # no members: sealing and closing have no obstacle
    UnitAccount.objects.filter(pk=unit.pk).update(state=state)
    unit = fresh(unit)
    if state in UNIT_MOVES[action]:
        old, new = unit_move(unit, action)
        assert (old, fresh(unit).state) == (state, UNIT_MOVES[action][state])
    else:
        with pytest.raises(ValidationError, match="不能"):
            unit_move(unit, action)
        assert fresh(unit).state == state


# ---- transfer between units: the ID number only, one person one account -----------------------------------

def test_transfer_moves_the_account_with_its_balance_and_history(world):
    deposit(world, date(2025, 2, 1))
    deposit(world, date(2025, 3, 1))
    before_balance = fresh(world.account_a).sub_account.balance
    entries = JournalEntry.objects.count()
    new_unit = open_unit(world.clerk_b, world.branch_b, 41, unit_ratio=Decimal("0.08"), member_ratio=Decimal("0.06"))
    member_account_seal(actor=world.unit_a_op, account=world.account_a, reason="离职")
    moved = member_transfer_in(actor=world.clerk_b, unit=new_unit, id_number=world.account_a.person.id_number,
                               base=Decimal("9000.00"))
    assert moved.pk == world.account_a.pk
    account = fresh(world.account_a)
    assert account.unit == new_unit and account.state == MemberState.NORMAL
    assert account.number == world.account_a.number and account.sub_account_id == world.account_a.sub_account_id
    assert account.sub_account.balance == before_balance == Decimal("3840.00")
    assert account.sub_account.rows.count() == 2  # the history came along
    assert (account.base, account.unit_monthly, account.member_monthly) == (Decimal("9000.00"), Decimal("720.00"), Decimal("540.00"))
    assert MemberAccount.objects.filter(person=account.person).count() == 1  # no new account: one person, one account
    assert JournalEntry.objects.count() == entries  # no money moved
    event = AccountEvent.objects.get(account=account, business_type="GJ06")
    assert event.from_unit == world.unit_a and event.unit == new_unit
    audit = AuditEvent.objects.get(action="deposits.member.transferred")
    assert audit.old["unit"] == world.unit_a.number and audit.new["unit"] == new_unit.number
    assert account.person.branch == world.branch_b  # branch B's staff now serve the person
    assert ledger_reconcile() == []


def test_rehire_by_the_same_unit_unseals_in_place(world):
    member_account_seal(actor=world.unit_a_op, account=world.account_a, reason="离职")
    member_transfer_in(actor=world.unit_a_op, unit=world.unit_a, id_number=world.account_a.person.id_number,
                       base=Decimal("7000"))
    account = fresh(world.account_a)
    assert account.state == MemberState.NORMAL and account.unit == world.unit_a
    assert AccountEvent.objects.filter(account=account, business_type="GJ04").exists()


def test_transfer_of_a_member_still_normal_elsewhere_says_seal_first(world):
    with pytest.raises(ValidationError) as exc:
        member_transfer_in(actor=world.unit_b_op, unit=world.unit_b, id_number=world.account_a.person.id_number,
                           base=Decimal("8000"))
    message = exc.value.message_dict["id_number"][0]
    assert "须先由原单位办理封存" in message and world.unit_a.employer.name not in message  # no leak to another unit
    assert fresh(world.account_a).unit == world.unit_a


@pytest.mark.parametrize(
    ("id_number", "base", "field", "text"),
    [
        ("110101199003070000", "8000", "id_number", "校验位"),
        ("", "8000", "id_number", "身份证"),
        (None, "99999", "base", "缴存基数须在"),
        (None, "100", "base", "缴存基数须在"),
    ],
)
def test_transfer_bad_input_names_the_field(world, id_number, base, field, text):
    member_account_seal(actor=world.unit_a_op, account=world.account_a, reason="离职")
    with pytest.raises(ValidationError) as exc:
        member_transfer_in(actor=world.unit_b_op, unit=world.unit_b,
                           id_number=world.account_a.person.id_number if id_number is None else id_number,
                           base=Decimal(base))
    assert text in exc.value.message_dict[field][0]
    assert fresh(world.account_a).state == MemberState.SEALED


def test_transfer_refuses_frozen_unknown_and_already_here(world):
    from fund.demo import make_id_number

    with pytest.raises(ValidationError, match="没有个人账户"):
        member_transfer_in(actor=world.unit_b_op, unit=world.unit_b, id_number=make_id_number(birth=date(1991, 1, 1), seq=77),
                           base=Decimal("8000"))
    with pytest.raises(ValidationError, match="已在本单位"):
        member_transfer_in(actor=world.unit_a_op, unit=world.unit_a, id_number=world.account_a.person.id_number,
                           base=Decimal("8000"))
    member_account_freeze(actor=world.clerk, account=world.account_a, reason="冻结")
    with pytest.raises(ValidationError, match="冻结"):
        member_transfer_in(actor=world.unit_b_op, unit=world.unit_b, id_number=world.account_a.person.id_number,
                           base=Decimal("8000"))


def test_an_operator_cannot_transfer_into_or_seal_for_another_unit(world):
    member_account_seal(actor=world.unit_a_op, account=world.account_a, reason="离职")
    with pytest.raises(PermissionDenied):
        member_transfer_in(actor=world.unit_b_op, unit=world.unit_a, id_number=world.account_a.person.id_number,
                           base=Decimal("8000"))
    with pytest.raises(PermissionDenied):
        member_account_seal(actor=world.unit_a_op, account=world.account_b, reason="离职")
    with pytest.raises(PermissionDenied):  # branch A's clerk does not serve branch B's units
        member_account_seal(actor=world.clerk, account=world.account_b, reason="离职")


def test_freezing_is_for_staff_only(world):
    for who in (world.unit_a_op, world.member_a, world.auditor):
        with pytest.raises(PermissionDenied):
            member_account_freeze(actor=who, account=world.account_a, reason="x")
    assert fresh(world.account_a).state == MemberState.NORMAL


# ---- member changes -----------------------------------------------------------------------------------------

def test_the_member_changes_their_own_phone_and_card(world):
    bank_account_at_the_bank(CARD, world.account_a.person.name, world.account_a.person.id_number)
    member_account_change(actor=world.member_a, account=world.account_a, phone="13912345678", bank_card=CARD)
    account = fresh(world.account_a)
    assert account.person.phone == "13912345678" and account.bank_card == CARD
    audit = AuditEvent.objects.get(action="deposits.member.changed")
    assert "13912345678" not in str(audit.new)  # masked in the trail


@pytest.mark.parametrize(
    ("phone", "card", "field", "text"),
    [("12345", None, "phone", "11位"), (None, "4111111111111112", "bank_card", "校验位"), (None, "abc", "bank_card", "数字"),
     (None, None, "phone", "请填写")],
)
def test_member_change_bad_input(world, phone, card, field, text):
    with pytest.raises(ValidationError) as exc:
        member_account_change(actor=world.clerk, account=world.account_a, phone=phone, bank_card=card)
    assert text in exc.value.message_dict[field][0]


def test_another_member_or_an_operator_may_not_change_the_card(world):
    for who in (world.member_b, world.unit_a_op, world.outsider):
        with pytest.raises(PermissionDenied):
            member_account_change(actor=who, account=world.account_a, bank_card="4111111111111111")


# ---- unit changes, sealing, closing -------------------------------------------------------------------------

def test_unit_change_by_operator_records_old_and_new(world):
    unit_account_change(actor=world.unit_a_op, unit=world.unit_a, contact_phone="0537-1234567", pay_day=20)
    unit = fresh(world.unit_a)
    assert unit.pay_day == 20 and unit.employer.contact_phone == "0537-1234567"
    audit = AuditEvent.objects.get(action="deposits.unit.changed")
    assert audit.old == {"contact_phone": "", "pay_day": 15} and audit.new == {"contact_phone": "0537-1234567", "pay_day": 20}


@pytest.mark.parametrize(
    ("values", "field"),
    [({"pay_day": 31}, "pay_day"), ({"bank_account": "abc"}, "bank_account"), ({"bank_name": ""}, "bank_name"),
     ({"address": "x" * 201}, "address"), ({"state": "04"}, "state")],
)
def test_unit_change_bad_input(world, values, field):
    with pytest.raises(ValidationError) as exc:
        unit_account_change(actor=world.clerk, unit=world.unit_a, **values)
    assert field in exc.value.message_dict
    assert fresh(world.unit_a).pay_day == 15


def test_a_unit_is_sealed_only_after_all_its_members(world):
    with pytest.raises(ValidationError, match="须先封存全部职工账户"):
        unit_account_seal(actor=world.clerk, unit=world.unit_a, reason="停业")
    member_account_seal(actor=world.unit_a_op, account=world.account_a, reason="单位停业")
    unit_account_seal(actor=world.clerk, unit=world.unit_a, reason="停业")
    assert fresh(world.unit_a).state == UnitState.SEALED
    unit_account_unseal(actor=world.clerk, unit=world.unit_a, reason="复业")
    assert fresh(world.unit_a).state == UnitState.NORMAL


def test_a_unit_closes_only_when_nothing_is_left(world):
    unit = world.unit_a
    with pytest.raises(ValidationError, match="未转出"):
        unit_account_close(actor=world.clerk, unit=unit, reason="注销")
    # The member leaves for unit B with the balance: nothing left under unit A.
    deposit(world, date(2025, 2, 1))
    member_account_seal(actor=world.unit_a_op, account=world.account_a, reason="离职")
    member_account_seal(actor=world.unit_b_op, account=world.account_b, reason="离职")
    member_transfer_in(actor=world.unit_b_op, unit=world.unit_b, id_number=world.account_a.person.id_number, base=Decimal("8000"))
    RemittanceBill.objects.create(number="B1", unit=unit, month=date(2025, 3, 1), created_by=world.clerk)
    with pytest.raises(ValidationError, match="汇补缴单未缴清"):
        unit_account_close(actor=world.clerk, unit=unit, reason="注销")
    RemittanceBill.objects.filter(number="B1").update(state="cancelled")
    unit_account_close(actor=world.clerk, unit=unit, reason="注销")
    assert fresh(unit).state == UnitState.CLOSED
    with pytest.raises(ValidationError, match="销户"):
        unit_account_change(actor=world.clerk, unit=unit, pay_day=3)
    assert ledger_reconcile() == []


def test_unit_sealing_and_closing_are_for_window_staff(world):
    for who in (world.unit_a_op, world.auditor, world.clerk_b, world.member_a):
        with pytest.raises(PermissionDenied):
            unit_account_seal(actor=who, unit=world.unit_a, reason="x")
        with pytest.raises(PermissionDenied):
            unit_account_close(actor=who, unit=world.unit_a, reason="x")


# ---- applications: deferral and ratio reduction, four eyes ----------------------------------------------------

def apply(world, kind="deferral", start=None, months=3, **ratios):
    start = start or this_month()
    return unit_application_submit(actor=world.unit_a_op, unit=world.unit_a, kind=kind, start_month=start,
                                   end_month=add_months(start, months - 1), reason="疫情经营困难", **ratios)


def test_deferral_through_two_different_people_blocks_deposits_and_records_back_pay(world, reviewer, approver):
    application = apply(world)
    unit_application_review(actor=reviewer, application=application, approve=True, opinion="材料齐全")
    unit_application_approve(actor=approver, application=application, approve=True, opinion="同意")
    application = fresh(application)
    assert application.state == "in_effect" and application.backpay_state == "owed"
    assert fresh(world.unit_a).state == UnitState.DEFERRED
    with pytest.raises(ValidationError, match="缓缴"):
        monthly_deposit_post(actor=world.clerk, account=world.account_a, month=date(2025, 2, 1))
    with pytest.raises(ValidationError, match="缓缴"):  # not while deferred: sealing, closing, another application
        unit_account_seal(actor=world.clerk, unit=world.unit_a, reason="x")
    # The daily job: nothing before the period ends, 正常 again the month after.
    assert unit_applications_due_run(today=add_months(this_month(), 2))["ended"] == 0
    assert unit_applications_due_run(today=add_months(this_month(), 3)) == {"started": 0, "ended": 1, "skipped": 0}
    assert unit_applications_due_run(today=add_months(this_month(), 3)) == {"started": 0, "ended": 0, "skipped": 0}
    assert fresh(world.unit_a).state == UnitState.NORMAL
    assert fresh(application).state == "ended" and fresh(application).backpay_state == "owed"
    unit_backpay_settle(actor=world.clerk, application=application)
    assert fresh(application).backpay_state == "settled"


def test_the_same_person_cannot_review_and_approve(world):
    both = staff("both", world.branch_a, [Post.REVIEW, Post.APPROVE])
    application = apply(world)
    unit_application_review(actor=both, application=application, approve=True)
    with pytest.raises(PermissionDenied, match="前后环节须由不同的人办理"):
        unit_application_approve(actor=both, application=application, approve=True)
    assert fresh(application).state == "reviewed" and fresh(world.unit_a).state == UnitState.NORMAL


def test_the_applicant_can_neither_review_nor_approve(world):
    window = staff("window", world.branch_a, [Post.ACCEPT, Post.REVIEW, Post.APPROVE])
    application = unit_application_submit(actor=window, unit=world.unit_a, kind="deferral", start_month=this_month(),
                                          end_month=this_month(), reason="困难")
    with pytest.raises(PermissionDenied, match="不能审核自己提交"):
        unit_application_review(actor=window, application=application, approve=True)
    other = staff("other", world.branch_a, [Post.REVIEW])
    unit_application_review(actor=other, application=application, approve=True)
    with pytest.raises(PermissionDenied, match="不能审核自己提交"):
        unit_application_approve(actor=window, application=application, approve=True)
    assert fresh(application).state == "reviewed"


def test_approval_needs_review_first_and_the_right_posts(world, reviewer, approver):
    application = apply(world)
    with pytest.raises(ValidationError, match="待初审"):
        unit_application_approve(actor=approver, application=application, approve=True)
    for who in (world.clerk, world.auditor, world.unit_a_op):
        with pytest.raises(PermissionDenied):
            unit_application_review(actor=who, application=application, approve=True)
    with pytest.raises(PermissionDenied):  # a reviewer from another branch does not see the unit
        unit_application_review(actor=staff("rev_b", world.branch_b, [Post.REVIEW]), application=application, approve=True)
    with pytest.raises(ValidationError, match="请填写意见"):
        unit_application_review(actor=reviewer, application=application, approve=False)
    unit_application_review(actor=reviewer, application=application, approve=False, opinion="材料不全")
    assert fresh(application).state == "rejected"
    with pytest.raises(ValidationError):
        unit_application_review(actor=reviewer, application=application, approve=True)


def test_a_future_deferral_starts_on_its_first_month(world, reviewer, approver):
    application = apply(world, start=add_months(this_month(), 1))
    unit_application_review(actor=reviewer, application=application, approve=True)
    unit_application_approve(actor=approver, application=application, approve=True)
    assert fresh(application).state == "approved" and fresh(world.unit_a).state == UnitState.NORMAL
    assert unit_applications_due_run(today=this_month())["started"] == 0
    assert unit_applications_due_run(today=add_months(this_month(), 1))["started"] == 1
    assert fresh(world.unit_a).state == UnitState.DEFERRED


def test_ratio_reduction_recomputes_members_and_restores_after(world, reviewer, approver):
    application = apply(world, kind="ratio", months=2, unit_ratio=Decimal("0.06"), member_ratio=Decimal("0.05"))
    unit_application_review(actor=reviewer, application=application, approve=True)
    unit_application_approve(actor=approver, application=application, approve=True)
    unit, account = fresh(world.unit_a), fresh(world.account_a)
    assert (unit.unit_ratio, unit.member_ratio, unit.state) == (Decimal("0.0600"), Decimal("0.0500"), UnitState.NORMAL)
    assert (account.unit_monthly, account.member_monthly) == (Decimal("480.00"), Decimal("400.00"))
    unit_applications_due_run(today=add_months(this_month(), 2))
    unit, account = fresh(world.unit_a), fresh(world.account_a)
    assert (unit.unit_ratio, unit.member_ratio) == (Decimal("0.1200"), Decimal("0.1200"))
    assert (account.unit_monthly, account.member_monthly) == (Decimal("960.00"), Decimal("960.00"))


@pytest.mark.parametrize(
    ("values", "field", "text"),
    [
        ({"kind": "ratio", "unit_ratio": Decimal("0.03"), "member_ratio": Decimal("0.05")}, "unit_ratio", "5%"),
        ({"kind": "ratio", "unit_ratio": Decimal("0.12"), "member_ratio": Decimal("0.12")}, "unit_ratio", "相同"),
        ({"kind": "ratio", "member_ratio": Decimal("0.05")}, "unit_ratio", "请填写"),
        ({"kind": "other"}, "kind", "申请类型"),
        ({"start": lambda month: add_months(month, -1)}, "start_month", "早于本月"),
        ({"months": 13}, "end_month", "12 个月"),
    ],
)
def test_application_bad_input_names_the_field(world, values, field, text):
    values = dict(values)
    kind, start, months = values.pop("kind", "deferral"), values.pop("start", None), values.pop("months", 3)
    start = start(this_month()) if callable(start) else start
    with pytest.raises(ValidationError) as exc:
        apply(world, kind=kind, start=start, months=months, **values)
    assert text in " ".join(exc.value.message_dict[field])
    assert not UnitApplication.objects.exists()


def test_one_open_application_per_unit_and_withdrawal(world):
    application = apply(world)
    with pytest.raises(ValidationError, match="未办结"):
        apply(world, kind="ratio", unit_ratio=Decimal("0.06"), member_ratio=Decimal("0.06"))
    with pytest.raises(PermissionDenied):
        unit_application_withdraw(actor=world.unit_b_op, application=application)
    unit_application_withdraw(actor=world.unit_a_op, application=application)
    assert fresh(application).state == "withdrawn"
    apply(world)  # a new one may now be made


def test_an_open_back_pay_obligation_blocks_closing(world, reviewer, approver):
    application = apply(world, months=1)
    unit_application_review(actor=reviewer, application=application, approve=True)
    unit_application_approve(actor=approver, application=application, approve=True)
    unit_applications_due_run(today=add_months(this_month(), 1))
    member_account_seal(actor=world.clerk, account=world.account_a, reason="离职")
    member_account_seal(actor=world.clerk_b, account=world.account_b, reason="离职")
    member_transfer_in(actor=world.unit_b_op, unit=world.unit_b, id_number=world.account_a.person.id_number, base=Decimal("8000"))
    with pytest.raises(ValidationError, match="待补缴"):
        unit_account_close(actor=world.clerk, unit=world.unit_a, reason="注销")
    unit_backpay_settle(actor=world.clerk, application=application)
    unit_account_close(actor=world.clerk, unit=world.unit_a, reason="注销")


def test_members_opened_and_transferred_under_a_second_unit_keep_one_account_each(world):
    unit_c = open_unit(world.clerk, world.branch_a, 42)
    other = open_member(world.clerk, unit_c, 43)
    member_account_seal(actor=world.clerk, account=other, reason="离职")
    member_transfer_in(actor=world.unit_a_op, unit=world.unit_a, id_number=other.person.id_number, base=Decimal("8000"))
    assert MemberAccount.objects.filter(person=other.person).count() == 1
    assert fresh(other).unit == world.unit_a
