"""The statement reads by value date, then posting: the annual interest of 30 June is posted in July, after
July's deposit, and must still sit at 30 June (issue: it sorted above later months)."""

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from deposits.selectors import member_statement
from deposits.selectors.statements import StatementFilter, member_statement_rows
from fund.ledger import chart
from fund.ledger.models import BusinessType
from fund.ledger.services import Movement, credit, debit, entry_post

pytestmark = pytest.mark.django_db


def post(account, amount: str, on: date, business_type: str, key: str) -> None:
    value = Decimal(amount)
    entry_post(business_type=business_type, reference="test", idempotency_key=f"order:{account.pk}:{key}",
               value_date=on, legs=[debit(chart.BANK, value), credit(chart.MEMBER_DEPOSITS, value)],
               movements=[Movement(account.sub_account_id, value)])


@pytest.fixture
def interest_posted_late(world):
    account = world.account_a
    post(account, "1000.00", date(2026, 5, 10), BusinessType.GJ_REMIT, "may")
    post(account, "1000.00", date(2026, 7, 10), BusinessType.GJ_REMIT, "july")
    post(account, "12.34", date(2026, 6, 30), BusinessType.GJ_INTEREST, "interest")  # settled after July's deposit
    return account


def test_the_interest_of_30_june_sits_at_30_june_in_every_statement(world, interest_posted_late):
    newest_first = [r.value_date for r in member_statement_rows(account=interest_posted_late, filters=StatementFilter())]
    assert newest_first == [date(2026, 7, 10), date(2026, 6, 30), date(2026, 5, 10)]
    oldest_first = member_statement_rows(account=interest_posted_late, filters=StatementFilter(), newest_first=False)
    assert [r.value_date for r in oldest_first] == [date(2026, 5, 10), date(2026, 6, 30), date(2026, 7, 10)]
    assert [r.value_date for r in member_statement(interest_posted_late)] == newest_first


def test_rows_of_one_value_date_keep_the_order_they_were_posted(world):
    account = world.account_a
    for key in ("first", "second", "third"):
        post(account, "1.00", date(2026, 6, 30), BusinessType.GJ_REMIT, key)
    rows = list(member_statement_rows(account=account, filters=StatementFilter()))
    assert [r.id for r in rows] == sorted((r.id for r in rows), reverse=True)


def test_the_members_statement_page_shows_the_interest_between_june_and_july(world, interest_posted_late):
    client = Client()
    client.force_login(world.member_a)
    html = client.get("/member/statement/").content.decode()
    assert html.index("2026-07-10") < html.index("2026-06-30") < html.index("2026-05-10")
