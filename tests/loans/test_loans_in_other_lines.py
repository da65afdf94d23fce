"""The loans line as deposits and withdrawals see it: an unpaid fund loan blocks transfer-out and merge (borrower
or co-borrower), and this centre's loans are the "centre" loan source that withdrawal reason 06 repays unchanged."""

from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from deposits.services.merge import member_account_merge_blockers
from deposits.services.transfer import transfer_out_blockers
from fund.integrations.models import SandboxBankAccount
from fund.ledger.selectors import ledger_reconcile
from loans.models import CoBorrower, LoanStatus
from loans.services.other_lines import centre_loans, monthly_instalment
from loans.services.schedule_store import schedule_rows
from tests.loans.conftest import available_becomes, mortgaged_loan
from withdrawals.loans import household_loans

pytestmark = pytest.mark.django_db


def disbursed(ln: Any, capture: Any, **fields: Any) -> Any:
    from loans.services.disbursement import disbursement_notice, disbursement_release

    loan = mortgaged_loan(ln, home_kind="new", project=ln.project, **fields)
    available_becomes(Decimal(loan.principal) + Decimal("1000000.00"), f"other:{loan.pk}")
    with capture(execute=True):
        d = disbursement_notice(actor=ln.loan_admin, application=loan.application)
        disbursement_release(actor=ln.finance, disbursement=d)
    loan.refresh_from_db()
    assert loan.status == LoanStatus.ACTIVE
    return loan


def test_an_unpaid_loan_of_the_borrower_blocks_transfer_out_and_merge(ln: Any) -> None:
    account = ln.account
    assert not any("贷款" in r for r in transfer_out_blockers(account))
    loan = mortgaged_loan(ln, borrower=ln.person)  # 待放款 counts: the contract is signed
    assert any(loan.contract_number in r for r in transfer_out_blockers(account))
    errors = member_account_merge_blockers(source=account, target=ln.world.account_b)
    assert any("未结清的住房公积金贷款" in m for m in errors["source"])


def test_a_co_borrowers_account_is_blocked_too_and_a_closed_loan_blocks_nothing(ln: Any) -> None:
    other = ln.world.account_b
    loan = mortgaged_loan(ln)
    CoBorrower.objects.create(application=loan.application, person=other.person, account=other, relation="spouse")
    assert any(loan.contract_number in r for r in transfer_out_blockers(other))
    type(loan).objects.filter(pk=loan.pk).update(status=LoanStatus.CLOSED)
    assert not any("贷款" in r for r in transfer_out_blockers(other))


def test_the_centre_source_lists_a_disbursed_loan_with_its_instalment_and_balance(
        ln: Any, django_capture_on_commit_callbacks: Any) -> None:
    assert centre_loans(ln.person.id_number) == []  # nothing lent yet
    loan = disbursed(ln, django_capture_on_commit_callbacks, borrower=ln.person)
    [found] = centre_loans(ln.person.id_number)
    assert found.key == f"centre:{loan.contract_number}" and found.balance == Decimal("600000.00")
    # The instalment of the stored schedule due next: the first, whose interest may count by days from the
    # disbursement; from the second on, 600 000 over 240 months at 2.6 % is 3208.73 a month (等额本息).
    first, second = schedule_rows(loan)[:2]
    assert found.monthly_instalment == monthly_instalment(loan) == first.payment
    assert monthly_instalment(loan, on=second.due_on) == second.payment == Decimal("3208.73")
    assert found.key in [h.key for h in household_loans(ln.person.id_number)]


def test_a_repayment_withdrawal_naming_a_centre_loan_is_paid_unchanged(
        ln: Any, django_capture_on_commit_callbacks: Any) -> None:
    from deposits.models import MemberAccount
    from tests.withdrawals.conftest import make_card, submit_decided
    from withdrawals.models import WithdrawalState

    loan = disbursed(ln, django_capture_on_commit_callbacks, borrower=ln.person)
    card = make_card(7)
    MemberAccount.objects.filter(pk=ln.account.pk).update(bank_card=card)
    SandboxBankAccount.objects.create(account_number=card, name=ln.person.name, holder_id=ln.person.id_number,
                                      bank_name="建设银行")
    ln.account.refresh_from_db()
    key = f"centre:{loan.contract_number}"
    w = submit_decided(django_capture_on_commit_callbacks, actor=ln.world.member_a, account=ln.account, reason="06",
                       amount="1000.00", details={"loan": key}, payee_card=card, payee_name=ln.person.name)
    assert w.state == WithdrawalState.PAID, w.decision_note
    assert w.details["loan"] == key and w.amount == Decimal("1000.00")
    check = w.checks.get(rule="loan")
    assert check.passed and "公积金贷款" in check.detail and check.evidence["contract_number"] == loan.contract_number
    assert timezone.localdate() == loan.disbursed_on and ledger_reconcile() == []
