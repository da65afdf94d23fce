"""The loan seen in the personal hall and at the window: the summary, what is due (overdue with penalty to the
day), the stored schedule with its paid parts and the projected rest marked 预计, the chart; the borrower and a
co-borrower may read it, anyone else gets 404; staff of the loan's branch also see the schedule's versions and,
on demand, the superseded instalments."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction

from loans.models import Instalment, InstalmentState, SegmentReason
from loans.schedule import segment_new
from loans.services.repayment_posting import loan_locked
from loans.services.schedule_store import schedule_start
from tests.clients import page
from tests.clock import travel_to
from tests.loans.schedule_support import TODAY, loan_with_history

pytestmark = pytest.mark.django_db


@pytest.fixture
def loan(ln: Any) -> Any:
    with travel_to(TODAY):
        yield loan_with_history(ln)


def test_the_borrower_sees_what_is_overdue_with_penalty_to_the_day_and_what_is_due_next(ln: Any, loan: Any) -> None:
    body = page(ln.world.member_a).get(f"/member/loans/{loan.pk}/").content.decode()
    # instalment 3: 958.50 + 645.86, five days late: 958.50 × 2.6 % × 1.5 ÷ 360 × 5 = 0.52
    assert "1,604.88" in body and "罚息 0.52 元" in body and "1 期" in body
    # instalment 4, 2026-07-20: 960.58 + 643.78
    assert "1,604.36" in body and "2026-07-20" in body
    assert "298,089.21" in body  # the balance is the loan's sub-account


def test_the_schedule_shows_paid_and_overdue_rows_then_the_projection_flagged(ln: Any, loan: Any) -> None:
    body = page(ln.world.member_a).get(f"/member/loans/{loan.pk}/").content.decode()
    assert body.count("<tr data-projected") == 0  # projected rows carry the muted class before the flag
    assert body.count(" data-projected>") == 240 - 9  # April … December 2026 are stored, the rest projected
    assert body.count(">已还清<") == 2 and body.count(">逾期<") >= 1 and "已生成至第 9 期" in body
    assert "<svg" in body and "每年应还本金与利息" in body  # the chart, drawn on the server


def test_the_card_is_masked_on_the_page(ln: Any, loan: Any) -> None:
    body = page(ln.world.member_a).get(f"/member/loans/{loan.pk}/").content.decode()
    assert loan.repayment_card not in body and loan.repayment_card[-4:] in body


def test_a_co_borrower_may_read_the_loan_but_is_told_the_borrower_repays(ln: Any, loan: Any) -> None:
    co = page(ln.world.member_b)
    body = co.get(f"/member/loans/{loan.pk}/").content.decode()
    assert co.get(f"/member/loans/{loan.pk}/").status_code == 200 and "您是共同借款人" in body
    assert loan.contract_number in co.get("/member/loans/").content.decode()
    assert co.get(f"/member/loans/{loan.pk}/schedule.xlsx").status_code == 200


def test_it_refuses_the_loan_to_another_member_staff_of_another_branch_and_outsiders(ln: Any, loan: Any) -> None:
    from fund.people.services import member_login_create
    from tests.conftest import PASSWORD, open_member

    stranger = member_login_create(person=open_member(ln.world.clerk, ln.world.unit_a, 77).person, password=PASSWORD)
    for user in (stranger, ln.world.outsider, ln.world.dev_a, ln.bank_op):
        client = page(user)
        for url in (f"/member/loans/{loan.pk}/", f"/member/loans/{loan.pk}/schedule.xlsx"):
            assert client.get(url).status_code == 404, (user, url)
        assert client.post(f"/member/loans/{loan.pk}/schedule/print/").status_code == 404
    assert loan.contract_number not in page(stranger).get("/member/loans/").content.decode()
    colleague = page(ln.world.clerk_b)  # staff of the other branch
    for url in (f"/staff/loans/{loan.pk}/", f"/staff/loans/{loan.pk}/schedule.xlsx"):
        assert colleague.get(url).status_code == 404
    assert colleague.post(f"/staff/loans/{loan.pk}/schedule/print/").status_code == 404


def test_the_staff_page_shows_the_schedule_and_due_to_the_loans_branch(ln: Any, loan: Any) -> None:
    with travel_to(TODAY):
        body = page(ln.world.clerk).get(f"/staff/loans/{loan.pk}/").content.decode()
    assert "1,604.88" in body and " data-projected>" in body and "还款计划版本" in body and "贷款发放" in body
    assert loan.repayment_card not in body


def test_a_repricing_keeps_the_old_rows_which_staff_see_on_demand(ln: Any, loan: Any) -> None:
    with travel_to(date(2026, 6, 26)), transaction.atomic():
        locked = loan_locked(loan)
        segment = segment_new(balance=Decimal("297130.71"), rate=Decimal("2.850"), method="annuity", first_number=4,
                              last_number=240, first_due=date(2026, 7, 20), day=20)
        schedule_start(loan=locked, segment=segment, reason=SegmentReason.REPRICED, effective_on=date(2026, 6, 26))
    superseded = Instalment.objects.filter(loan=loan, state=InstalmentState.SUPERSEDED).count()
    assert superseded == 6  # July … December at the old rate
    clerk = page(ln.world.clerk)
    plain = clerk.get(f"/staff/loans/{loan.pk}/").content.decode()
    assert "利率调整" in plain and "2.850%" in plain and "data-superseded" not in plain
    shown = clerk.get(f"/staff/loans/{loan.pk}/?superseded=1").content.decode()
    assert "data-superseded" in shown and shown.count("<td>贷款发放 2026-03-20</td>") == 6


def test_the_hall_lists_the_loan_with_what_is_due_and_the_home_panel_warns_of_the_overdue(ln: Any, loan: Any) -> None:
    member = page(ln.world.member_a)
    listing = member.get("/member/loans/").content.decode()
    assert f"/member/loans/{loan.pk}/" in listing and "1,604.88" in listing
    home = member.get("/member/").content.decode()
    assert "已逾期 1 期" in home and "1,604.88" in home


def test_the_borrowers_page_links_every_step_of_the_loan_and_a_co_borrowers_only_the_statement(
        ln: Any, loan: Any) -> None:
    body = page(ln.world.member_a).get(f"/member/loans/{loan.pk}/").content.decode()
    for step in ("repay", "prepay", "agreements", "statement"):
        assert f"/member/loans/{loan.pk}/{step}/" in body
        assert page(ln.world.member_a).get(f"/member/loans/{loan.pk}/{step}/").status_code == 200
    co = page(ln.world.member_b)
    shown = co.get(f"/member/loans/{loan.pk}/").content.decode()
    assert f"/member/loans/{loan.pk}/repay/" not in shown and f"/member/loans/{loan.pk}/prepay/" not in shown
    if f"/member/loans/{loan.pk}/statement/" in shown:  # offered only where it opens
        assert co.get(f"/member/loans/{loan.pk}/statement/").status_code == 200


def test_a_paid_off_loan_shows_no_projected_instalments_and_no_dues(ln: Any, loan: Any) -> None:
    from loans.allocation import allocate
    from loans.models import RepaymentChannel, RepaymentKind
    from loans.services.repayment_posting import Sources, owing_rows, repayment_post

    with travel_to(TODAY), transaction.atomic():
        locked = loan_locked(loan)
        rows = owing_rows(locked, TODAY)
        owed = sum((o.total for _, o in rows), Decimal(0))
        allocation = allocate(owed, [o for _, o in rows])
        rest = locked.sub_account.balance - allocation.principal_total
        repayment_post(loan=locked, on=TODAY, rows=rows, allocation=allocation, kind=RepaymentKind.PREPAY_FULL,
                       prepaid_principal=rest, sources=Sources(from_card=owed + rest),
                       channel=RepaymentChannel.COUNTER, idempotency_key="tests.schedule.payoff")
    loan.refresh_from_db()
    assert loan.status == "closed"
    body = page(ln.world.member_a).get(f"/member/loans/{loan.pk}/").content.decode()
    assert " data-projected>" not in body and "data-loan-due" not in body and "已结清" in body
