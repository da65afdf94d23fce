"""合同面签: an approved application becomes a 待放款 loan on a 111 sub-account, at a 受理 window of its branch, with
the contract, the IOU and the borrowers' credit reports kept as verifiable documents."""

import subprocess
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from fund.audit.models import AuditEvent
from fund.integrations.models import IntegrationCall
from fund.printing.models import Document
from fund.workflow.models import StatusChange
from loans.models import CoBorrower, Loan, LoanDocument
from loans.services.signing import loan_sign

pytestmark = pytest.mark.django_db


def sign(ln: Any, application: Any, *, actor: Any = None, **kwargs: Any) -> Any:
    values: dict[str, Any] = dict(bank=ln.bank, repayment_day=20)
    if "repayment_card" not in kwargs:
        values["repayment_card"] = ln.card(application.borrower)
    values.update(kwargs)
    return loan_sign(actor=actor or ln.world.clerk, application=application, **values)


def pdf_text(document: Document) -> str:
    with document.file.open("rb") as handle:
        data = handle.read()
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True)
    return "".join(out.stdout.decode().split())


def test_signing_an_approved_application_opens_the_loan_on_its_own_111_sub_account(ln):
    application = ln.approved(method="principal")

    loan = sign(ln, application, repayment_day=15)

    loan.refresh_from_db()
    application.refresh_from_db()
    assert application.state == "signed" and loan.status == "pending"
    assert loan.sub_account.control.code == "111" and loan.sub_account.name == ln.person.name
    assert loan.balance == Decimal("0.00")
    assert (loan.principal, loan.rate, loan.term_months, loan.method, loan.repayment_day) == (
        Decimal("600000.00"), Decimal("2.600"), 240, "principal", 15)
    assert loan.contract_number.startswith("HT") and loan.iou_number.startswith("JJ")
    # one counter: the contract, the IOU and the sub-account carry the same serial
    assert loan.contract_number[2:] == loan.iou_number[2:] == loan.sub_account.number[2:]
    assert (loan.bank, loan.signed_by, loan.signed_branch, loan.borrower) == (
        ln.bank, ln.world.clerk, ln.world.branch_a, ln.person)
    assert StatusChange.objects.filter(new="signed").count() == 1
    assert AuditEvent.objects.filter(action="loans.loan.signed", target_id=str(loan.pk)).count() == 1
    assert sorted(LoanDocument.objects.filter(loan=loan).values_list("kind", flat=True)) == [
        "loans.contract", "loans.credit_report", "loans.iou"]


def test_it_refuses_to_sign_an_application_that_is_not_approved(ln):
    for state in ("submitted", "reviewing", "rejected"):
        application = ln.application(state=state, approved_amount=Decimal("600000.00"), rate=Decimal("2.600"),
                                     household_key=f"{ln.person.id_number}-{state}")  # one in flight per household
        with pytest.raises(ValidationError) as refused:
            sign(ln, application)
        assert "只有已审批待签约的申请可以签约" in refused.value.message_dict["state"][0]
    assert not Loan.objects.exists() and not IntegrationCall.objects.filter(system="credit").exists()


def test_it_refuses_signing_by_a_post_that_does_not_accept(ln):
    application = ln.approved()
    for colleague in (ln.reviewer, ln.approver, ln.finance):
        with pytest.raises(PermissionDenied, match="受理岗"):
            sign(ln, application, actor=colleague)
    assert not Loan.objects.exists()


def test_it_refuses_signing_by_the_window_of_another_branch(ln):
    with pytest.raises(PermissionDenied, match="本管理部"):
        sign(ln, ln.approved(), actor=ln.world.clerk_b)
    assert not Loan.objects.exists()


def test_a_centre_wide_director_signs_at_his_own_window(ln):
    loan = sign(ln, ln.approved(), actor=ln.world.director)
    assert loan.signed_by == ln.world.director and loan.signed_branch == ln.world.branch_a


@pytest.mark.parametrize("field,value,message", [
    ("repayment_day", 29, "1 至 28"), ("repayment_day", 0, "1 至 28"), ("repayment_day", "十五", "1 至 28"),
    ("method", "balloon", "还款方式"), ("bank", None, "受托银行"), ("repayment_card", "", "还款账号"),
    ("repayment_card", "6217008800000000001", "校验位"),
])
def test_it_refuses_bad_signing_terms_naming_the_field(ln, field, value, message):
    with pytest.raises(ValidationError) as refused:
        sign(ln, ln.approved(), **{field: value})
    assert message in refused.value.message_dict[field][0]
    assert not Loan.objects.exists()


def test_it_refuses_a_bank_no_longer_entrusted(ln):
    ln.bank.active = False
    ln.bank.save()
    with pytest.raises(ValidationError) as refused:
        sign(ln, ln.approved())
    assert "bank" in refused.value.message_dict


def test_signing_again_returns_the_first_loan(ln):
    application = ln.approved()
    first = sign(ln, application)
    again = sign(ln, application, repayment_day=5)
    assert again.pk == first.pk and again.repayment_day == 20 and Loan.objects.count() == 1


def test_a_credit_bureau_that_is_down_refuses_the_signing_and_writes_nothing(ln, settings):
    settings.FUND_INTEGRATIONS_OVERRIDES = {"credit": "http"}
    settings.FUND_INTEGRATIONS_HTTP_BASE = ""
    application = ln.approved()
    with pytest.raises(ValidationError) as refused:
        sign(ln, application)
    assert "征信报告失败" in refused.value.message_dict["credit"][0]
    application.refresh_from_db()
    assert application.state == "approved" and not Loan.objects.exists() and not Document.objects.exists()


def test_each_co_borrowers_credit_report_is_kept_with_the_loan(ln):
    application = ln.approved()
    wife = ln.world.account_b.person
    CoBorrower.objects.create(application=application, person=wife, account=ln.world.account_b, relation="spouse")
    ln.credit_loan(wife.id_number, lender="工商银行示范分行", instalment="1800.00")

    loan = sign(ln, application)

    reports = Document.objects.filter(loan_file__loan=loan, kind="loans.credit_report")
    assert {d.subject for d in reports} == {ln.person, wife}
    wifes = reports.get(subject=wife).context
    assert wifes["role"] == "共同借款人" and wifes["loans"][0]["lender"] == "工商银行示范分行"
    assert wifes["monthly_instalments"] == "1,800.00"


def test_the_contract_and_iou_print_the_terms_and_schedule_and_their_codes_verify(ln, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        loan = sign(ln, ln.approved())

    contract = Document.objects.get(loan_file__loan=loan, kind="loans.contract")
    iou = Document.objects.get(loan_file__loan=loan, kind="loans.iou")
    assert contract.is_ready and iou.is_ready
    # 600 000 over 240 months at 2.6 %: 600000·r(1+r)^240/((1+r)^240−1), r = 0.026/12: 3208.728… → 3208.73
    for document in (contract, iou):
        text = pdf_text(document)
        for expected in (loan.contract_number, loan.iou_number, "600,000.00", "陆拾万元整", "2.600%", "等额本息",
                         "每月20日", "3,208.73", document.code_display.replace(" ", "")):
            assert expected in text, (document.kind, expected)
        assert ln.person.id_number not in text  # masked
        page = Client().get(f"/verify/{document.verification_code}/")
        assert page.status_code == 200 and "验证通过" in page.content.decode()
        assert document.title in page.content.decode()
    assert "中国建设银行" in pdf_text(contract) and "示范市幸福路8号" in pdf_text(contract)


def test_the_repayment_card_is_the_borrowers_own_confirmed_by_the_bank(ln):
    from fund.integrations.models import SandboxBankAccount

    someone_else = SandboxBankAccount.objects.create(
        account_number="6217008800000009992", name="王五", holder_id="370802198001010011", bank_name="建设银行")
    application = ln.approved()
    with pytest.raises(ValidationError) as refused:
        sign(ln, application, repayment_card=someone_else.account_number)
    assert "还款账号未通过银行核验" in refused.value.message_dict["repayment_card"][0]
    assert not Loan.objects.exists()
    card = ln.card()
    loan = sign(ln, application, repayment_card=f" {card[:4]} {card[4:]} ")  # as typed, with spaces
    assert loan.repayment_card == card  # what the nightly batch debit asks the bank to collect from
    signed = AuditEvent.objects.get(action="loans.loan.signed").new
    assert signed["repayment_card"] == card and signed["card_call_id"]
