"""The signing and mortgage pages and API: a 受理 clerk signs and mortgages in one sitting; the loan's page and API
show it to staff of its branch and to the borrower, and to nobody else (404)."""

import pytest

from loans.models import Loan
from tests.clients import api, page

pytestmark = pytest.mark.django_db


def test_the_window_signs_and_mortgages_in_one_sitting_and_the_loan_page_shows_it(ln):
    application = ln.approved()
    ln.home([ln.person.id_number], application.certificate_number)
    clerk = page(ln.world.clerk)

    form = clerk.get(f"/staff/loans/applications/{application.pk}/sign/")
    assert form.status_code == 200 and "签约并办理抵押" in form.content.decode()
    done = clerk.post(f"/staff/loans/applications/{application.pk}/sign/",
                      {"bank": ln.bank.pk, "repayment_day": "18", "method": "annuity", "and_mortgage": "1",
                       "repayment_card": ln.card()})
    loan = Loan.objects.get()
    assert done.status_code == 302 and done["Location"] == f"/staff/loans/{loan.pk}/"
    assert loan.mortgage_kind == "mortgage" and loan.application.state == "mortgaged"
    body = clerk.get(f"/staff/loans/{loan.pk}/").content.decode()
    for expected in (loan.contract_number, "600,000.00", "每月 18 日", loan.mortgage_number, "个人住房公积金借款合同",
                     "贷款抵押登记", "签订借款合同", f"{loan.repayment_card[:4]} **** **** {loan.repayment_card[-4:]}"):
        assert expected in body, expected


def test_a_bad_repayment_day_on_the_page_names_the_field_and_writes_nothing(ln):
    application = ln.approved()
    answer = page(ln.world.clerk).post(f"/staff/loans/applications/{application.pk}/sign/",
                                       {"bank": ln.bank.pk, "repayment_day": "31", "method": "annuity",
                                        "repayment_card": ln.card()})
    assert answer.status_code == 200 and "每月还款日应为 1 至 28 日" in answer.content.decode()
    assert not Loan.objects.exists()


def test_the_api_signs_then_mortgages_and_a_retry_answers_the_same_loan(ln):
    application = ln.approved()
    ln.home([ln.person.id_number], application.certificate_number)
    clerk = api(ln.world.clerk)
    card = ln.card()
    terms = {"bank": ln.bank.pk, "repayment_day": 20, "repayment_card": card}
    first = clerk.post(f"/api/loans/applications/{application.pk}/sign/", terms, format="json")
    assert first.status_code == 201, first.json()
    assert first.json()["repayment_card"] == f"{card[:4]} **** **** {card[-4:]}"  # masked
    assert Loan.objects.get().repayment_card == card
    again = clerk.post(f"/api/loans/applications/{application.pk}/sign/", terms, format="json")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    pk = first.json()["id"]
    mortgaged = clerk.post(f"/api/loans/{pk}/mortgage/")
    assert mortgaged.status_code == 200 and mortgaged.json()["mortgage_kind"] == "mortgage"
    assert clerk.post(f"/api/loans/{pk}/mortgage/").json()["mortgage_number"] == mortgaged.json()["mortgage_number"]
    detail = clerk.get(f"/api/loans/{pk}/").json()
    assert len(detail["instalments"]) == 12 and detail["principal"] == "600000.00"
    assert {d["kind"] for d in detail["documents"]} == {"loans.contract", "loans.iou", "loans.credit_report"}


@pytest.mark.parametrize("body,field", [
    ({"bank": 1, "repayment_day": 29}, "repayment_day"), ({"bank": 999999, "repayment_day": 5}, "bank"),
    ({"repayment_day": 5}, "bank"), ({"bank": 1, "repayment_day": "x"}, "repayment_day"),
    ({"bank": 1, "repayment_day": 5, "method": "bullet"}, "method"),
    ({"bank": 1, "repayment_day": 5, "repayment_card": None}, "repayment_card"),
    ({"bank": 1, "repayment_day": 5, "repayment_card": "6217 0000 0000 0000 001"}, "repayment_card"),  # check digit
    ({"bank": 1, "repayment_day": 5, "repayment_card": "6222020000000000604"}, "repayment_card"),  # not the bank's
])
def test_the_sign_api_answers_400_naming_the_field_and_writes_nothing(ln, body, field):
    application = ln.approved()
    if body.get("bank") == 1:
        body = {**body, "bank": ln.bank.pk}
    body = {"repayment_card": ln.card(), **body}
    answer = api(ln.world.clerk).post(f"/api/loans/applications/{application.pk}/sign/", body, format="json")
    assert answer.status_code == 400 and field in str(answer.json())
    assert not Loan.objects.exists()


def test_the_sign_api_refuses_an_unapproved_application_and_a_reviewer(ln):
    submitted = ln.application(household_key="other-household")
    terms = {"bank": ln.bank.pk, "repayment_day": 5, "repayment_card": ln.card()}
    answer = api(ln.world.clerk).post(f"/api/loans/applications/{submitted.pk}/sign/", terms, format="json")
    assert answer.status_code == 400 and "已审批待签约" in str(answer.json())
    answer = api(ln.reviewer).post(f"/api/loans/applications/{ln.approved().pk}/sign/", terms, format="json")
    assert answer.status_code == 403 and not Loan.objects.exists()


def test_a_loan_is_seen_by_its_branch_and_its_borrower_and_nobody_else(ln):
    loan = ln.loan()
    owner = ln.world.member_a  # ln.person's login
    assert api(ln.world.clerk).get(f"/api/loans/{loan.pk}/").status_code == 200
    assert api(ln.world.director).get(f"/api/loans/{loan.pk}/").status_code == 200
    assert api(owner).get(f"/api/loans/{loan.pk}/").status_code == 200
    for outsider in (ln.world.clerk_b, ln.world.member_b, ln.world.unit_a_op, ln.world.dev_a):
        assert api(outsider).get(f"/api/loans/{loan.pk}/").status_code == 404, outsider
    assert page(ln.world.clerk).get(f"/staff/loans/{loan.pk}/").status_code == 200
    assert page(ln.world.clerk_b).get(f"/staff/loans/{loan.pk}/").status_code == 404
