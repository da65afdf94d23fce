"""The schedule walked in SQL (the yearly job's) gives, to the fen, what `loans.schedule.segment_walk` gives."""

import random
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection, transaction

from loans.models import RepaymentMethod
from loans.schedule import Instalment, segment_new, segment_walk
from loans.services.schedule_sql import WALK_SELECT, Walk, walks_load

pytestmark = pytest.mark.django_db

RATES = [Decimal(r) for r in ("0.000", "1.500", "2.100", "2.350", "2.600", "2.850", "3.025", "3.075", "3.100",
                              "3.250", "3.325", "3.575", "4.165", "4.900", "5.635", "7.777")]


def _cases(count: int) -> list[Walk]:
    """Segments of many principals, rates, terms, methods, days (29–31 too) and first periods, walked from their
    first instalment or one further on (with the Python walk's balance there), through various dates."""
    rng = random.Random(20261203)
    walks = []
    for i in range(count):
        months = rng.choice([1, 2, 12, 60, 119, 120, 180, 240, 300, 360, rng.randint(1, 360)])
        first_number = rng.choice([1, 1, rng.randint(1, 40)])
        day = rng.choice([1, 15, 20, 28, 29, 30, 31, rng.randint(1, 31)])
        first_due = date(rng.randint(2024, 2030), rng.randint(1, 12), 1)
        first_due = first_due.replace(day=min(day, 28))
        balance = Decimal(rng.randint(100, 150_000_000)) / 100
        interest_from = first_due - timedelta(days=rng.randint(5, 45)) if rng.random() < 0.4 else None
        segment = segment_new(balance=balance, rate=rng.choice(RATES),
                              method=rng.choice([RepaymentMethod.EQUAL_PRINCIPAL, RepaymentMethod.EQUAL_INSTALMENT]),
                              first_number=first_number, last_number=first_number + months - 1, first_due=first_due,
                              day=day, interest_from=interest_from)
        whole = segment_walk(segment)
        skip = rng.choice([0, 0, rng.randint(0, len(whole) - 1)])
        start, before = (whole[skip - 1].number + 1, whole[skip - 1].balance_after) if skip else (
            segment.first_number, segment.balance)
        through = whole[min(len(whole) - 1, skip + rng.randint(-1, 400))].due_on + timedelta(days=rng.randint(-3, 3))
        walks.append(Walk(loan_id=i, segment_id=1000 + i, segment=segment, start=start, balance=before,
                          through=through, at_least_one=rng.random() < 0.5))
    return walks


def _python(w: Walk) -> list[Instalment]:
    plan = segment_walk(w.segment, start=w.start, balance=w.balance, through=w.through)
    if not plan and w.at_least_one:
        plan = segment_walk(w.segment, start=w.start, balance=w.balance)[:1]
    return plan


def test_the_sql_walk_gives_the_python_schedule_to_the_fen_for_many_segments() -> None:
    walks = _cases(1500)
    with transaction.atomic(), connection.cursor() as cursor:
        walks_load(cursor, walks)
        cursor.execute(WALK_SELECT)
        rows = cursor.fetchall()
    got: dict[int, list[Instalment]] = {}
    for loan_id, _segment_id, number, due, principal, interest, after in rows:
        got.setdefault(loan_id, []).append(Instalment(number, due, principal, interest, after))
    expected = {w.loan_id: _python(w) for w in walks}
    assert sum(len(p) for p in expected.values()) > 50_000  # whole schedules, not only a few rows each
    mismatched = [w.loan_id for w in walks if got.get(w.loan_id, []) != expected[w.loan_id]]
    assert mismatched == []


def test_the_sql_walk_stores_the_first_instalment_after_the_date_only_when_asked() -> None:
    segment = segment_new(balance=Decimal("100000.00"), rate=Decimal("3.100"), method=RepaymentMethod.EQUAL_INSTALMENT,
                          first_number=13, last_number=240, first_due=date(2028, 1, 31), day=31)
    walks = [Walk(loan_id=1, segment_id=1, segment=segment, start=13, balance=segment.balance,
                  through=date(2027, 12, 31), at_least_one=True),
             Walk(loan_id=2, segment_id=1, segment=segment, start=13, balance=segment.balance,
                  through=date(2027, 12, 31), at_least_one=False)]
    with transaction.atomic(), connection.cursor() as cursor:
        walks_load(cursor, walks)
        cursor.execute(WALK_SELECT)
        rows = cursor.fetchall()
    assert [(r[0], r[2], r[3]) for r in rows] == [(1, 13, date(2028, 1, 31))]
