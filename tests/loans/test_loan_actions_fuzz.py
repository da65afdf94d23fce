"""Whatever body reaches the signing, mortgage and disbursement endpoints, the answer is a 2xx or a 4xx, never a 500;
and a refused request leaves no loan, registration or disbursement behind."""

import json
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loans.models import Disbursement, Loan
from tests.clients import api

FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
scalars = st.one_of(st.none(), st.booleans(), st.integers(min_value=-10**20, max_value=10**20),
                    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=30),
                    st.sampled_from(["1", "28", "29", "0", "annuity", "principal", "pickup", "post", "agent", "NaN",
                                     "１２", "1e999"]))
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                       st.dictionaries(st.text(max_size=8), inner, max_size=3)),
                      max_leaves=5)
def post(user: Any, url: str, body: dict[str, Any]) -> Any:
    # Written by hand: a client sends NaN and Infinity too, which DRF's test encoder refuses to write.
    return api(user).post(url, data=json.dumps(body), content_type="application/json")


KEYS = ["bank", "repayment_day", "method", "and_mortgage", "how", "recipient", "tracking", "opinion", "amount"]


@FUZZ
@given(body=st.dictionaries(st.sampled_from(KEYS), values, max_size=len(KEYS)), with_bank=st.booleans())
def test_signing_answers_any_body_without_a_500(ln: Any, body: dict[str, Any], with_bank: bool) -> None:
    # every example makes its own application: one household has one in flight
    application = ln.approved(household_key=f"H{ln.next_seq()}")
    if with_bank:  # half name a real bank, so the checks past the first field are reached too
        body = {"bank": ln.bank.pk, **body}
    loans_before = Loan.objects.count()
    answer = post(ln.world.clerk, f"/api/loans/applications/{application.pk}/sign/", body)
    assert answer.status_code < 500, answer.content
    if answer.status_code >= 400:
        assert Loan.objects.count() == loans_before


@FUZZ
@given(body=st.dictionaries(st.sampled_from(KEYS), values, max_size=len(KEYS)))
def test_mortgage_notice_release_and_iou_answer_any_body_without_a_500(ln: Any, body: dict[str, Any]) -> None:
    loan = ln.loan(ln.application(state="signed", approved_amount=Decimal("600000.00"), rate=Decimal("2.600"),
                                  household_key=f"H{ln.next_seq()}"))
    disbursements = Disbursement.objects.count()
    for user, url in (
        (ln.world.clerk, f"/api/loans/{loan.pk}/mortgage/"),
        (ln.world.clerk, f"/api/loans/{loan.pk}/convert/"),
        (ln.loan_admin, f"/api/loans/applications/{loan.application_id}/disbursement-notice/"),
        (ln.finance, f"/api/loans/disbursements/{loan.pk}/release/"),
        (ln.world.clerk, f"/api/loans/{loan.pk}/iou-delivery/"),
    ):
        answer = post(user, url, body)
        assert answer.status_code < 500, (url, answer.content)
    # the loan is only signed: no step after the mortgage may have happened
    assert Disbursement.objects.count() == disbursements
