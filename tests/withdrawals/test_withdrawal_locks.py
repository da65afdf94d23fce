"""A withdrawal's submission locks its account (and the account's unit and sub-account), never the person or the
employer: those rows are what every other transaction's foreign-key checks take a key-share lock on at commit, and
a person locked FOR UPDATE here deadlocked a payout committing beside it (its register row, 我的办件, refers to the
person)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from withdrawals.services import withdrawal_submit

pytestmark = pytest.mark.django_db


def test_the_submission_locks_the_account_not_the_person_or_the_employer(wd):
    with CaptureQueriesContext(connection) as queries:
        withdrawal_submit(actor=wd.world.member_a, account=wd.account, reason="07", channel="online", amount="100.00")
    locks = [q["sql"] for q in queries.captured_queries
             if "FOR UPDATE" in q["sql"] and 'FROM "deposits_memberaccount"' in q["sql"]]
    assert locks
    for sql in locks:
        of = re.search(r"FOR (?:NO KEY )?UPDATE OF (.*)$", sql)
        assert of is not None, sql  # an explicit list, not every joined table
        assert "people_person" not in of.group(1) and "people_employer" not in of.group(1), of.group(1)
