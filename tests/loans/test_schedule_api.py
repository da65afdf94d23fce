"""The loan through the API: the list (a member's own and co-borrowed loans, staff their branch's), one loan with
what is due, and its schedule with the projection flagged; anyone else — another member, staff of another
branch, a bank operator, a developer — gets 404."""

from decimal import Decimal
from typing import Any

import pytest

from tests.clients import api
from tests.clock import travel_to
from tests.loans.schedule_support import TODAY, loan_with_history

pytestmark = pytest.mark.django_db


@pytest.fixture
def loan(ln: Any) -> Any:
    with travel_to(TODAY):
        yield loan_with_history(ln)


def _ids(user: Any) -> list[int]:
    response = api(user).get("/api/loans/")
    assert response.status_code == 200
    return [row["id"] for row in response.json()["results"]]


def test_the_list_holds_the_members_own_and_co_borrowed_loans_and_staff_their_branchs(ln: Any, loan: Any) -> None:
    assert _ids(ln.world.member_a) == [loan.pk]  # the borrower
    assert _ids(ln.world.member_b) == [loan.pk]  # the co-borrower
    assert _ids(ln.world.clerk) == [loan.pk] and _ids(ln.world.director) == [loan.pk]
    for user in (ln.world.clerk_b, ln.bank_op, ln.world.dev_a, ln.world.unit_a_op):
        assert _ids(user) == [], user


def test_the_loan_says_what_is_overdue_with_penalty_and_what_is_due_next(ln: Any, loan: Any) -> None:
    body = api(ln.world.member_a).get(f"/api/loans/{loan.pk}/").json()
    due = body["due"]
    assert body["balance"] == "298089.21" and body["is_borrower"] is True
    assert body["repayment_card"] != loan.repayment_card and body["repayment_card"].endswith(loan.repayment_card[-4:])
    # instalment 3 five days late: 958.50 × 2.6 % × 1.5 ÷ 360 × 5 = 0.52
    assert (due["overdue_count"], due["overdue_principal"], due["overdue_interest"], due["penalty"]) == (
        1, "958.50", "645.86", "0.52")
    assert due["overdue_total"] == "1604.88"
    assert (due["next_number"], due["next_due_on"], due["next_amount"]) == (4, "2026-07-20", "1604.36")
    co = api(ln.world.member_b).get(f"/api/loans/{loan.pk}/").json()
    assert co["is_borrower"] is False and co["documents"] == []  # the co-borrower does not read the borrower's file


def test_the_schedule_flags_the_projected_rows(ln: Any, loan: Any) -> None:
    body = api(ln.world.clerk).get(f"/api/loans/{loan.pk}/schedule/").json()
    rows = body["rows"]
    assert body["stored_through"] == 9 and len(rows) == 240 and body["periods"] == 240
    assert [r["projected"] for r in rows] == [False] * 9 + [True] * 231
    assert [r["state"] for r in rows[:4]] == ["paid", "paid", "overdue", "pending"]
    assert rows[0]["principal_paid"] == "954.36" and rows[9]["state_label"] == "预计"
    assert sum(Decimal(r["principal"]) for r in rows) == Decimal("300000.00")


def test_it_answers_404_to_anyone_who_may_not_read_the_loan(ln: Any, loan: Any) -> None:
    from fund.people.services import member_login_create
    from tests.conftest import PASSWORD, open_member

    stranger = member_login_create(person=open_member(ln.world.clerk, ln.world.unit_a, 78).person, password=PASSWORD)
    for user in (stranger, ln.world.clerk_b, ln.bank_op, ln.world.dev_a, ln.world.outsider):
        for url in (f"/api/loans/{loan.pk}/", f"/api/loans/{loan.pk}/schedule/"):
            assert api(user).get(url).status_code == 404, (user, url)
    assert api(ln.world.member_a).get("/api/loans/999999/schedule/").status_code == 404


def test_a_disbursed_loans_detail_quotes_the_stored_schedule_with_its_first_period_by_days(ln: Any) -> None:
    from datetime import date

    loan = ln.active_loan(principal="300000.00", rate="2.600", months=240, day=20, disbursed_on=date(2026, 3, 5))
    body = api(ln.world.member_a).get(f"/api/loans/{loan.pk}/").json()
    # 5 March → 20 April: 46 days × 300000 × 2.6 % ÷ 360 = 996.67, not a month's 650.00
    assert body["instalments"][0]["interest"] == "996.67" and body["first_payment"] == "1951.03"
    schedule = api(ln.world.member_a).get(f"/api/loans/{loan.pk}/schedule/").json()["rows"]
    assert [r["principal"] for r in schedule[:12]] == [r["principal"] for r in body["instalments"]]
    assert Decimal(body["total_interest"]) == sum(Decimal(r["interest"]) for r in schedule)


def test_a_loan_not_yet_disbursed_answers_an_empty_schedule_and_no_dues(ln: Any) -> None:
    from tests.clients import page

    loan = ln.loan(application=ln.application(state="signed", approved_amount=Decimal("600000.00"),
                                              rate=Decimal("2.600")))
    body = api(ln.world.member_a).get(f"/api/loans/{loan.pk}/schedule/").json()
    assert body["rows"] == [] and body["stored_through"] is None
    assert api(ln.world.member_a).get(f"/api/loans/{loan.pk}/").json()["due"] is None
    member, clerk = page(ln.world.member_a), page(ln.world.clerk)
    assert "贷款发放后" in member.get("/member/loans/").content.decode()
    for client, url in ((member, f"/member/loans/{loan.pk}/"), (member, f"/member/loans/{loan.pk}/schedule.xlsx"),
                        (clerk, f"/staff/loans/{loan.pk}/"), (clerk, f"/staff/loans/{loan.pk}/schedule.xlsx")):
        assert client.get(url).status_code == 200, url
