"""Limits across withdrawals (the same home, the yearly rent cap and its policy, one in flight, the blacklist, a
frozen account, the transfer-in warning) and the two-person manual review."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from deposits.models import CrossRegionTransfer
from deposits.services.lifecycle import member_account_freeze
from fund.demo import DEMO_PASSWORD
from fund.integrations.models import SandboxHome, SandboxInvoice, TransferStatus
from fund.ledger.models import JournalEntry
from fund.ledger.selectors import ledger_reconcile
from fund.people.models import Post
from fund.people.services import staff_create
from fund.policy.selectors import policy_value
from fund.workdays import add_working_days
from fund.workflow.services import work_open_item
from tests.withdrawals.conftest import paper_codes, second_member, set_policy_today, submit_decided
from withdrawals.models import Withdrawal, WithdrawalState
from withdrawals.services import withdrawal_cancel, withdrawal_decide, withdrawal_review, withdrawal_submit

pytestmark = pytest.mark.django_db

CERT = "鲁(2026)示范市不动产权第0000301号"


def rent(wd: Any, capture: Any, **kw: Any) -> Withdrawal:
    return submit_decided(capture, actor=wd.world.member_a, account=wd.account, reason="07", **kw)


def failed(w: Withdrawal) -> set[str]:
    return {c.rule for c in w.checks.all() if not c.passed}


def staff(wd: Any, username: str, posts: list[str], branch: Any = None) -> Any:
    return staff_create(actor=None, username=username, name=username, branch=branch or wd.world.branch_a, posts=posts,
                        employee_number=username, password=DEMO_PASSWORD)


# ---- the same home ---------------------------------------------------------------------------------------------

def test_the_same_home_is_not_used_twice_within_the_policy_months_then_the_rest_of_the_price_is_paid(
    wd, django_capture_on_commit_callbacks
):
    home = wd.home(wd.person.id_number, CERT, price="30000.00")
    other, other_user = second_member(wd, months=12)
    SandboxHome.objects.filter(pk=home.pk).update(owner_id_numbers=[wd.person.id_number, other.person.id_number])

    first = submit_decided(django_capture_on_commit_callbacks, actor=wd.world.member_a, account=wd.account,
                           reason="01", details={"certificate_number": CERT})
    assert first.state == WithdrawalState.PAID and first.amount == Decimal("23040.00")  # the whole balance

    with pytest.raises(ValidationError) as err:  # the co-owner, by the same number: refused at submission
        submit_decided(django_capture_on_commit_callbacks, actor=other_user, account=other, reason="01",
                       details={"certificate_number": CERT})
    assert "同一住房" in err.value.message_dict["reason"][0]
    assert first.number not in str(err.value)  # the other person's withdrawal is not named to the applicant
    assert not Withdrawal.objects.filter(account=other).exists()

    # Thirteen months later (move the decision back; posted ledger rows stay as they are).
    months = int(policy_value("withdrawal_same_home_months"))
    Withdrawal.objects.filter(pk=first.pk).update(decided_at=timezone.now() - timedelta(days=31 * (months + 1)))
    third = submit_decided(django_capture_on_commit_callbacks, actor=other_user, account=other, reason="01",
                           details={"certificate_number": CERT})
    assert third.state == WithdrawalState.PAID, third.decision_note
    assert third.amount == Decimal("30000.00") - Decimal("23040.00")  # the price less what was taken for it
    assert ledger_reconcile() == []


def test_a_home_bought_by_invoice_is_the_same_home_once_registered_under_its_certificate(
    wd, django_capture_on_commit_callbacks
):
    """A new home is withdrawn for by its invoice; registered, its certificate names the same place: the co-owner
    may not use it again within the policy months, and the price counts what the invoice already took."""
    other, other_user = second_member(wd, months=12)
    SandboxInvoice.objects.create(invoice_number="37002600000901", buyer_id_number=wd.person.id_number,
                                  buyer_name=wd.person.name, seller_name="示范市安居置业有限公司",
                                  amount=Decimal("8000.00"), issued_on=timezone.localdate(),
                                  address="示范市幸福路　１８号 3单元")  # full-width forms, as invoices print them
    by_invoice = submit_decided(django_capture_on_commit_callbacks, actor=wd.world.member_a, account=wd.account,
                                reason="01", amount="5000.00", details={"invoice_number": "37002600000901"})
    assert by_invoice.state == WithdrawalState.PAID, by_invoice.decision_note
    assert by_invoice.home_place == "示范市幸福路18号3单元"

    home = wd.home(wd.person.id_number, CERT, price="8000.00")
    SandboxHome.objects.filter(pk=home.pk).update(owner_id_numbers=[wd.person.id_number, other.person.id_number],
                                                  address="示范市幸福路18号 3单元")
    by_certificate = submit_decided(django_capture_on_commit_callbacks, actor=other_user, account=other, reason="01",
                                    details={"certificate_number": CERT})
    assert by_certificate.state == WithdrawalState.REVIEW and failed(by_certificate) == {"same_home"}
    assert by_invoice.number in by_certificate.checks.get(rule="same_home").detail
    assert by_certificate.amount == Decimal("3000.00")  # the price less what the invoice took
    assert ledger_reconcile() == []


def test_a_home_used_by_a_family_member_while_in_review_cannot_be_approved(wd, django_capture_on_commit_callbacks):
    """The co-owner's 秒批 for the same home while this one waited for people: 审批 is refused, nothing is paid,
    and the application can still be rejected."""
    home = wd.home(wd.person.id_number, CERT, price="30000.00")
    other, other_user = second_member(wd, months=12)
    SandboxHome.objects.filter(pk=home.pk).update(owner_id_numbers=[wd.person.id_number, other.person.id_number])
    _transfer_in(wd, TransferStatus.DONE, "ZR009")  # sends the member's own application to people
    waiting = submit_decided(django_capture_on_commit_callbacks, actor=wd.world.member_a, account=wd.account,
                             reason="01", amount="1000.00", details={"certificate_number": CERT})
    assert waiting.state == WithdrawalState.REVIEW and failed(waiting) == {"transfer_in"}
    paid = submit_decided(django_capture_on_commit_callbacks, actor=other_user, account=other, reason="01",
                          details={"certificate_number": CERT})
    assert paid.state == WithdrawalState.PAID, paid.decision_note

    withdrawal_review(actor=wd.reviewer, withdrawal=waiting, approve=True, opinion="材料齐全")
    before, entries = wd.balance, JournalEntry.objects.count()
    with pytest.raises(ValidationError) as refused:
        withdrawal_review(actor=wd.approver, withdrawal=waiting, approve=True, opinion="同意")
    assert paid.number in str(refused.value) and "驳回" in str(refused.value)
    waiting.refresh_from_db()
    assert waiting.state == WithdrawalState.REVIEW and work_open_item(waiting).step == "approve"
    assert wd.balance == before and JournalEntry.objects.count() == entries
    withdrawal_review(actor=wd.approver, withdrawal=waiting, approve=False, opinion="同一住房已由共有人提取")
    waiting.refresh_from_db()
    assert waiting.state == WithdrawalState.REJECTED
    assert ledger_reconcile() == []


def test_an_approval_above_what_is_left_of_the_price_is_refused_until_lowered(wd, django_capture_on_commit_callbacks):
    """The price less what was taken for the home, read again at 审批 (an earlier withdrawal for it may have been
    paid meanwhile, or the price been corrected in the registry)."""
    home = wd.home(wd.person.id_number, CERT, price="30000.00")
    _transfer_in(wd, TransferStatus.DONE, "ZR010")
    waiting = submit_decided(django_capture_on_commit_callbacks, actor=wd.world.member_a, account=wd.account,
                             reason="01", amount="5000.00", details={"certificate_number": CERT})
    assert waiting.state == WithdrawalState.REVIEW and waiting.amount == Decimal("5000.00")
    SandboxHome.objects.filter(pk=home.pk).update(price=Decimal("3000.00"))
    withdrawal_review(actor=wd.reviewer, withdrawal=waiting, approve=True, opinion="材料齐全")
    with pytest.raises(ValidationError) as refused:
        withdrawal_review(actor=wd.approver, withdrawal=waiting, approve=True, opinion="同意")
    assert "3,000.00" in str(refused.value)
    with django_capture_on_commit_callbacks(execute=True):
        withdrawal_review(actor=wd.approver, withdrawal=waiting, approve=True, opinion="同意", amount="3000.00")
    waiting.refresh_from_db()
    assert waiting.state == WithdrawalState.PAID and waiting.amount == Decimal("3000.00")
    assert ledger_reconcile() == []


# ---- the rent cap ----------------------------------------------------------------------------------------------

def test_rent_is_capped_per_calendar_year_and_refused_when_nothing_is_left(wd, django_capture_on_commit_callbacks):
    cap = Decimal(policy_value("withdrawal_rent_cap_per_year"))
    assert cap == Decimal("18000.00")
    first = rent(wd, django_capture_on_commit_callbacks, amount="15000.00")
    assert first.state == WithdrawalState.PAID and first.amount == Decimal("15000.00")
    second = rent(wd, django_capture_on_commit_callbacks, amount="5000.00")
    assert second.state == WithdrawalState.PAID and second.amount == cap - Decimal("15000.00")
    before = wd.balance
    with pytest.raises(ValidationError) as err:
        rent(wd, django_capture_on_commit_callbacks, amount="100.00")
    assert "租房提取额度已用完" in err.value.message_dict["reason"][0]
    assert Withdrawal.objects.count() == 2 and wd.balance == before
    assert ledger_reconcile() == []


def test_the_rent_cap_follows_the_policy_value(wd, django_capture_on_commit_callbacks):
    set_policy_today("withdrawal_rent_cap_per_year", "2000.00")
    w = rent(wd, django_capture_on_commit_callbacks, amount="5000.00")
    assert w.state == WithdrawalState.PAID and w.amount == Decimal("2000.00")
    with pytest.raises(ValidationError) as err:
        rent(wd, django_capture_on_commit_callbacks, amount="1.00")
    assert "年度限额 2,000.00 元" in err.value.message_dict["reason"][0]
    assert ledger_reconcile() == []


# ---- one in flight, the blacklist, a frozen account ------------------------------------------------------------------

def test_one_withdrawal_in_flight_per_member(wd, django_capture_on_commit_callbacks):
    wd.home(wd.person.id_number, CERT)
    first = rent(wd, django_capture_on_commit_callbacks, amount="100.00")
    assert first.state == WithdrawalState.REVIEW
    count = Withdrawal.objects.count()
    with pytest.raises(ValidationError) as err:
        withdrawal_submit(actor=wd.world.member_a, account=wd.account, reason="07", channel="online", amount="50")
    assert first.number in err.value.message_dict["account"][0]
    assert Withdrawal.objects.count() == count


def _blacklist(wd: Any) -> Any:
    from risk.models import Category, SubjectKind
    from risk.services import blacklist_add

    officer = staff_create(actor=None, username="risk1", name="风控甲", branch=wd.world.branch_a, posts=[Post.RISK],
                           employee_number="risk1", password=DEMO_PASSWORD, centre_wide=True)
    return blacklist_add(actor=officer, subject_kind=SubjectKind.PERSON, id_number=wd.person.id_number,
                         name=wd.person.name, category=Category.FRAUD_WITHDRAWAL, reason="伪造租房合同骗提")


def test_a_blacklisted_person_is_refused_at_submission_with_the_blacklists_reason(wd):
    entry = _blacklist(wd)
    count = Withdrawal.objects.count()
    with pytest.raises(ValidationError) as err:
        withdrawal_submit(actor=wd.world.member_a, account=wd.account, reason="07", channel="online", amount="10")
    message = err.value.message_dict["account"][0]
    assert message == entry.refusal_message or "骗提" in message
    assert Withdrawal.objects.count() == count


def test_one_listed_between_submission_and_decision_ends_rejected(wd, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        w = withdrawal_submit(actor=wd.world.member_a, account=wd.account, reason="07", channel="online", amount="10")
    _blacklist(wd)
    before, entries = wd.balance, JournalEntry.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        withdrawal_decide(withdrawal_id=w.pk)
    w.refresh_from_db()
    assert w.state == WithdrawalState.REJECTED and w.ended_at is not None
    assert "骗提" in w.decision_note
    assert not w.checks.get(rule="blacklist").passed
    assert wd.balance == before and JournalEntry.objects.count() == entries and not w.payouts.exists()
    assert ledger_reconcile() == []


def test_a_frozen_account_is_refused(wd):
    member_account_freeze(actor=wd.world.clerk, account=wd.account, reason="法院冻结")
    count = Withdrawal.objects.count()
    with pytest.raises(ValidationError) as err:
        withdrawal_submit(actor=wd.world.member_a, account=wd.account, reason="07", channel="online", amount="10")
    assert "冻结" in err.value.message_dict["account"][0]
    assert Withdrawal.objects.count() == count


# ---- the transfer-in warning -------------------------------------------------------------------------------------

def _transfer_in(wd: Any, status: str, ref: str) -> None:
    CrossRegionTransfer.objects.create(direction="in", account=wd.account, reference=ref, other_centre="成都住房公积金管理中心",
                                       status=status, finished_at=timezone.now() - timedelta(days=30),
                                       created_by=wd.world.clerk)


def test_a_recent_transfer_in_sends_the_withdrawal_to_review(wd, django_capture_on_commit_callbacks):
    _transfer_in(wd, TransferStatus.DONE, "ZR001")
    w = rent(wd, django_capture_on_commit_callbacks, amount="100.00")
    assert w.state == WithdrawalState.REVIEW and failed(w) == {"transfer_in"}
    assert ledger_reconcile() == []


def test_a_cancelled_transfer_in_does_not_trigger_the_warning(wd, django_capture_on_commit_callbacks):
    _transfer_in(wd, TransferStatus.CANCELLED, "ZR002")
    w = rent(wd, django_capture_on_commit_callbacks, amount="100.00")
    assert w.state == WithdrawalState.PAID


# ---- manual review ---------------------------------------------------------------------------------------------

def in_review(wd: Any, capture: Any, **kw: Any) -> Withdrawal:
    """A rent withdrawal the rules send to people (a home in the city)."""
    wd.home(wd.person.id_number, CERT)
    kw.setdefault("amount", "3000.00")
    w = rent(wd, capture, **kw)
    assert w.state == WithdrawalState.REVIEW
    return w


def test_review_needs_two_different_people_with_the_right_posts_in_the_branch(wd, django_capture_on_commit_callbacks):
    w = in_review(wd, django_capture_on_commit_callbacks)
    other_branch = staff(wd, "reviewer_b", [Post.REVIEW, Post.APPROVE], branch=wd.world.branch_b)
    with pytest.raises(PermissionDenied):
        withdrawal_review(actor=wd.world.clerk, withdrawal=w, approve=True, opinion="同意")  # 受理 only
    with pytest.raises(PermissionDenied):
        withdrawal_review(actor=wd.approver, withdrawal=w, approve=True, opinion="同意")  # 审批 cannot do 初审
    with pytest.raises(PermissionDenied):
        withdrawal_review(actor=other_branch, withdrawal=w, approve=True, opinion="同意")
    withdrawal_review(actor=wd.reviewer2, withdrawal=w, approve=True, opinion="租房合同已核")
    w.refresh_from_db()
    assert w.state == WithdrawalState.REVIEW and work_open_item(w).step == "approve"
    with pytest.raises(PermissionDenied):
        withdrawal_review(actor=wd.reviewer2, withdrawal=w, approve=True, opinion="同意")  # same person twice
    with pytest.raises(PermissionDenied):
        withdrawal_review(actor=wd.reviewer, withdrawal=w, approve=True, opinion="同意")  # 初审 cannot do 审批
    with django_capture_on_commit_callbacks(execute=True):
        withdrawal_review(actor=wd.approver, withdrawal=w, approve=True, opinion="同意")
    w.refresh_from_db()
    assert w.state == WithdrawalState.PAID and w.decider == "manual" and w.amount == Decimal("3000.00")
    assert ledger_reconcile() == []


def test_the_submitter_cannot_review_their_own(wd, django_capture_on_commit_callbacks):
    wd.home(wd.person.id_number, CERT)
    both = staff(wd, "clerk_reviewer", [Post.ACCEPT, Post.REVIEW])
    w = submit_decided(django_capture_on_commit_callbacks, actor=both, account=wd.account, reason="07",
                       channel="window", amount="100.00", materials=paper_codes("07"))
    assert w.state == WithdrawalState.REVIEW and w.submitted_by == both
    with pytest.raises(PermissionDenied):
        withdrawal_review(actor=both, withdrawal=w, approve=True, opinion="同意")
    withdrawal_review(actor=wd.reviewer, withdrawal=w, approve=True, opinion="同意")  # somebody else may


def test_reject_needs_an_opinion_and_posts_nothing(wd, django_capture_on_commit_callbacks):
    w = in_review(wd, django_capture_on_commit_callbacks)
    before, entries = wd.balance, JournalEntry.objects.count()
    with pytest.raises(ValidationError) as err:
        withdrawal_review(actor=wd.reviewer, withdrawal=w, approve=False, opinion="  ")
    assert "opinion" in err.value.message_dict
    with django_capture_on_commit_callbacks(execute=True):
        withdrawal_review(actor=wd.reviewer, withdrawal=w, approve=False, opinion="名下有房，不符合租房提取")
    w.refresh_from_db()
    assert w.state == WithdrawalState.REJECTED and "名下有房" in w.decision_note
    assert wd.balance == before and JournalEntry.objects.count() == entries and not w.payouts.exists()
    assert work_open_item(w) is None
    assert ledger_reconcile() == []


def test_approval_may_lower_the_amount_but_not_raise_it(wd, django_capture_on_commit_callbacks):
    w = in_review(wd, django_capture_on_commit_callbacks)
    withdrawal_review(actor=wd.reviewer, withdrawal=w, approve=True, opinion="同意")
    with pytest.raises(ValidationError) as err:
        withdrawal_review(actor=wd.approver, withdrawal=w, approve=True, opinion="同意", amount="3000.01")
    assert "amount" in err.value.message_dict
    assert work_open_item(w).step == "approve"  # nothing was decided
    before = wd.balance
    with django_capture_on_commit_callbacks(execute=True):
        withdrawal_review(actor=wd.approver, withdrawal=w, approve=True, opinion="按合同金额", amount="2500.00")
    w.refresh_from_db()
    assert w.state == WithdrawalState.PAID and w.amount == Decimal("2500.00")
    assert wd.balance == before - Decimal("2500.00")
    assert ledger_reconcile() == []


def test_the_review_is_due_in_the_policy_working_days(wd, django_capture_on_commit_callbacks):
    w = in_review(wd, django_capture_on_commit_callbacks)
    days = int(policy_value("withdrawal_review_days"))
    expected = add_working_days(timezone.localdate(), days)
    assert w.due_on == expected == work_open_item(w).due_on


def test_approval_cannot_pay_beyond_an_exhausted_rent_cap(wd, django_capture_on_commit_callbacks):
    set_policy_today("withdrawal_rent_cap_per_year", "2000.00")
    first = rent(wd, django_capture_on_commit_callbacks, amount="1000.00")
    assert first.state == WithdrawalState.PAID
    # Accepted with 1000 of the cap left; the cap is used up before it is decided (here: the first counted
    # at the whole cap), so it goes to people with nothing to pay.
    w = withdrawal_submit(actor=wd.world.member_a, account=wd.account, reason="07", channel="online", amount="5000.00")
    Withdrawal.objects.filter(pk=first.pk).update(amount=Decimal("2000.00"))
    withdrawal_decide(withdrawal_id=w.pk)
    w.refresh_from_db()
    assert w.state == WithdrawalState.REVIEW and w.amount is None
    withdrawal_review(actor=wd.reviewer, withdrawal=w, approve=True, opinion="同意")
    with pytest.raises(ValidationError):
        with django_capture_on_commit_callbacks(execute=True):
            withdrawal_review(actor=wd.approver, withdrawal=w, approve=True, opinion="同意", amount="5000.00")


# ---- an outside system down -------------------------------------------------------------------------------------

def test_a_loan_repayment_with_the_credit_bureau_down_goes_to_people_who_may_pay_it(
    wd, django_capture_on_commit_callbacks, settings
):
    """The rule and the limit both read the credit report; with the bureau down the decision still ends (in
    review, saying why), instead of the task failing and being queued again every minute."""
    wd.commercial_loan(balance="3000.00", instalment="2500.00")
    settings.FUND_INTEGRATIONS_OVERRIDES = {"credit": "http"}  # the HTTP client with no address: unavailable
    settings.FUND_INTEGRATIONS_HTTP_BASE = ""
    w = submit_decided(django_capture_on_commit_callbacks, actor=wd.world.member_a, account=wd.account,
                       reason="06", amount="2000.00")
    assert w.state == WithdrawalState.REVIEW, w.decision_note
    assert failed(w) == {"loan"} and "外部系统" in w.checks.get(rule="loan").detail
    assert "可提取金额" in w.decision_note and w.amount == Decimal("2000.00")
    settings.FUND_INTEGRATIONS_OVERRIDES = {}
    withdrawal_review(actor=wd.reviewer, withdrawal=w, approve=True, opinion="借款合同及还款明细已核")
    with django_capture_on_commit_callbacks(execute=True):
        withdrawal_review(actor=wd.approver, withdrawal=w, approve=True, opinion="同意")
    w.refresh_from_db()
    assert w.state == WithdrawalState.PAID and w.amount == Decimal("2000.00")
    assert ledger_reconcile() == []


def test_the_interval_before_the_same_reason_again_is_the_policys(wd, django_capture_on_commit_callbacks):
    wd.commercial_loan()
    first = submit_decided(django_capture_on_commit_callbacks, actor=wd.world.member_a, account=wd.account,
                           reason="06", amount="1000.00")
    assert first.state == WithdrawalState.PAID
    Withdrawal.objects.filter(pk=first.pk).update(decided_at=timezone.now() - timedelta(days=100))
    second = submit_decided(django_capture_on_commit_callbacks, actor=wd.world.member_a, account=wd.account,
                            reason="06", amount="1000.00")
    assert second.state == WithdrawalState.REVIEW and failed(second) == {"frequency"}
    assert "12 个月内" in second.checks.get(rule="frequency").detail
    withdrawal_cancel(actor=wd.world.member_a, withdrawal=second)
    set_policy_today("withdrawal_repeat_months", "3")
    third = submit_decided(django_capture_on_commit_callbacks, actor=wd.world.member_a, account=wd.account,
                           reason="06", amount="1000.00")
    assert third.state == WithdrawalState.PAID, third.decision_note
    assert "3 个月内未办理过" in third.checks.get(rule="frequency").detail
    assert ledger_reconcile() == []
