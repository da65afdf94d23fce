"""The red-line hold: a withdrawal whose approval breaks the four-eyes rule is screened at the payment gate
before its 秒批 payout reaches the bank, held until an auditor clears the hit, then paid once; and the
on-commit screening hears of a business only when it commits."""

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction

from fund.audit.models import AuditEvent
from fund.audit.services import audit_log
from fund.ledger.selectors import ledger_reconcile
from fund.payments.models import Payment, PaymentState
from fund.payments.services import payment_release, payments_poll
from risk.models import HitState, ScreeningHit, ScreeningRecord
from risk.screening.registry import Level
from risk.services.screening import hit_confirm, hit_dismiss, hit_rectify, hit_request_rectification
from withdrawals.models import Withdrawal, WithdrawalState
from withdrawals.services import withdrawal_submit

pytestmark = pytest.mark.django_db


def window_withdrawal_approved_by_its_acceptor(wd: Any, capture: Any) -> Withdrawal:
    """A rent withdrawal accepted at the window whose approval the trail shows by the same clerk (the breach a
    bypassed review would leave), decided and sent on commit."""
    from tests.withdrawals.conftest import paper_codes

    with capture(execute=False) as callbacks:
        w = withdrawal_submit(actor=wd.world.clerk, account=wd.account, reason="07", channel="window",
                              amount="1500.00", materials=paper_codes("07"))
        audit_log(actor=wd.world.clerk, action="withdrawals.approved", target=w, new={"state": "approved"})
    with capture(execute=True):
        for callback in callbacks:
            callback()
    w.refresh_from_db()
    return w


def test_a_redline_hit_holds_the_payout_until_an_auditor_dismisses_it_then_it_is_paid_once(
        wd: Any, screening_rules: None, django_capture_on_commit_callbacks: Any) -> None:
    capture = django_capture_on_commit_callbacks
    w = window_withdrawal_approved_by_its_acceptor(wd, capture)
    hit = ScreeningHit.objects.get(rule__check_code="audit.withdrawal_four_eyes", subject_id=w.pk)
    assert hit.level == Level.REDLINE and hit.evidence["role"] == "受理"
    payment = Payment.objects.get(subject_id=w.pk, purpose="withdrawals.payout")
    assert (w.state, payment.state) == (WithdrawalState.APPROVED, PaymentState.HELD)
    assert "底线红线" in payment.hold_reason
    assert payment.attempts.get().sent_at is None  # never reached the bank
    assert payments_poll() == 0  # the poll leaves a held payment alone
    with capture(execute=True):
        payment_release(payment_id=payment.pk)  # a release while the hit stands: the gate holds it again
    payment.refresh_from_db()
    assert payment.state == PaymentState.HELD

    with pytest.raises(PermissionDenied):
        hit_dismiss(actor=wd.world.clerk, hit=hit, opinion="无问题")
    with capture(execute=True):
        hit_dismiss(actor=wd.world.auditor, hit=hit, opinion="经核，审批系补录操作日志，实际由审批岗审批")
    w.refresh_from_db()
    payment.refresh_from_db()
    assert (w.state, payment.state) == (WithdrawalState.PAID, PaymentState.PAID)
    assert payment.attempts.count() == 1
    with capture(execute=True):
        payment_release(payment_id=payment.pk)  # a second release pays nothing more
    assert payment.attempts.count() == 1
    wd.bank_account.refresh_from_db()
    assert str(wd.bank_account.balance) == "1500.00"
    assert ledger_reconcile() == []


def test_a_confirmed_redline_hit_keeps_the_hold_until_the_branch_records_its_rectification(
        wd: Any, screening_rules: None, django_capture_on_commit_callbacks: Any) -> None:
    from django.utils import timezone

    capture = django_capture_on_commit_callbacks
    w = window_withdrawal_approved_by_its_acceptor(wd, capture)
    hit = ScreeningHit.objects.get(rule__check_code="audit.withdrawal_four_eyes", subject_id=w.pk)
    with capture(execute=True):
        hit = hit_confirm(actor=wd.world.auditor, hit=hit, opinion="违反三岗分离")
        hit = hit_request_rectification(actor=wd.world.auditor, hit=hit, request="由审批岗重新审批",
                                        due=timezone.localdate())
    assert Payment.objects.get(subject_id=w.pk).state == PaymentState.HELD
    with pytest.raises(PermissionDenied):
        hit_rectify(actor=wd.world.clerk_b, hit=hit, rectification="已整改")  # another branch's clerk
    with capture(execute=True):
        hit = hit_rectify(actor=wd.world.clerk, hit=hit, rectification="已由审批岗复核同意")
    assert hit.state == HitState.RECTIFIED
    w.refresh_from_db()
    assert w.state == WithdrawalState.PAID


def test_a_withdrawal_that_breaks_no_rule_is_paid_without_a_hold(
        wd: Any, screening_rules: None, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        w = withdrawal_submit(actor=wd.world.member_a, account=wd.account, reason="07", channel="online",
                              amount="1000.00")
    w.refresh_from_db()
    assert w.state == WithdrawalState.PAID
    assert not ScreeningHit.objects.exists()
    assert ScreeningRecord.objects.filter(subject_id=w.pk).exists()


def test_the_screening_hears_of_a_business_on_commit_once_and_never_of_one_rolled_back(
        world: Any, screening_rules: None, django_capture_on_commit_callbacks: Any) -> None:
    account = world.account_a
    with django_capture_on_commit_callbacks() as callbacks:
        audit_log(actor=world.clerk, action="deposits.member.changed", target=account, new={"phone": "1"})
        audit_log(actor=world.clerk, action="deposits.member.changed", target=account, new={"phone": "2"})
        try:
            with transaction.atomic():
                audit_log(actor=world.clerk, action="policy.value.scheduled", target=world.branch_a, new={})
                raise RuntimeError
        except RuntimeError:
            pass
        audit_log(actor=world.clerk, action="deposits.member.opened", target=account)  # not screened
    assert [getattr(c, "audit_key", None) for c in callbacks] == [
        ("risk.screening", "deposits.memberaccount", str(account.pk))]
    assert AuditEvent.objects.filter(action="deposits.member.changed").count() == 2


def test_a_loan_approved_above_its_quota_holds_its_disbursement_until_the_hit_is_dismissed(
        ln: Any, screening_rules: None, django_capture_on_commit_callbacks: Any) -> None:
    from fund.integrations.models import SandboxBankAccount
    from loans.models import LoanApplication
    from loans.services.disbursement import disbursement_notice, disbursement_release
    from tests.loans.conftest import available_becomes, mortgaged_loan

    SandboxBankAccount.objects.create(account_number="6217000000000000001", name="王卖方", bank_name="建设银行")
    loan = mortgaged_loan(ln, borrower=ln.person)
    LoanApplication.objects.filter(pk=loan.application_id).update(quota=loan.application.approved_amount - 1)
    available_becomes("1000000.00", "a")
    d = disbursement_notice(actor=ln.loan_admin, application=loan.application)
    with django_capture_on_commit_callbacks(execute=True):
        disbursement_release(actor=ln.finance, disbursement=d)
    payment = Payment.objects.get(subject_id=d.pk, purpose="loans.disbursement")
    assert payment.state == PaymentState.HELD
    hit = ScreeningHit.objects.get(rule__check_code="audit.loan_over_quota", subject_id=loan.application_id)
    auditor = ln.world.auditor
    with django_capture_on_commit_callbacks(execute=True):
        hit_dismiss(actor=auditor, hit=hit, opinion="额度测算时点差异，经复核按核准金额放款")
    payment.refresh_from_db()
    assert payment.state == PaymentState.PAID and payment.attempts.count() == 1
