"""The staff page of a year's first close: loans re-priced on 1 January (old → new rate) and the 贴息 refunds of the
year before, each seen by the staff of the loan's branch and centre-wide staff only."""

from datetime import date
from typing import Any

import pytest

from fund.policy.services import policy_value_set
from loans.services.repricing import repricing_run
from loans.services.subsidy import subsidy_run
from tests.clients import page
from tests.clock import travel_to
from tests.loans.test_subsidy import loan_with_2026_interest

pytestmark = pytest.mark.django_db

URL = "/staff/loans/yearly/?year=2027"


@pytest.fixture
def first_close(ln: Any) -> Any:
    """A branch-A loan re-priced from 2.60 % to 2.85 % on 1 January 2027 and refunded its 2026 贴息."""
    with travel_to(date(2026, 12, 10)):
        policy_value_set(actor=ln.world.director, name="loan_rate_first_over5", value="0.0285",
                         effective_from=date(2027, 1, 1), note="测试：2027 年利率调整")
    with travel_to(date(2027, 1, 1)):
        loan = loan_with_2026_interest(ln)
        repricing_run(2027)
        subsidy_run(2026)
        yield loan


def test_the_page_shows_the_rates_moved_and_the_refunds_to_the_loans_branch(first_close: Any, ln: Any) -> None:
    for owner in (ln.world.clerk, ln.world.director):
        body = page(owner).get(URL).content.decode()
        assert "2.600" in body and "2.850" in body
        assert first_close.contract_number in body and "389.38" in body and "2026 年度贴息退付" in body


def test_it_shows_a_colleague_of_another_branch_nothing_and_refuses_members(first_close: Any, ln: Any) -> None:
    body = page(ln.world.clerk_b).get(URL).content.decode()
    assert first_close.contract_number not in body and "本年度没有贷款调整利率" in body
    assert page(ln.world.member_a).get(URL).status_code == 404


def test_any_year_in_the_address_answers_a_page(first_close: Any, ln: Any) -> None:
    client = page(ln.world.director)
    for year in ("十一", "99999999999999999999", "-5", ""):
        assert client.get(f"/staff/loans/yearly/?year={year}").status_code == 200
