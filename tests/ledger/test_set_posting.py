"""The set-based posting (`entry_post_set`) keeps exactly the rules of `entry_post`'s `_apply`: the same
balances, split, accumulation (积数) of both parts and period-boundary figures, proved on random postings."""

import itertools
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fund.ledger import chart
from fund.ledger.models import BusinessType, JournalEntry, SubAccount, SubLedgerRow
from fund.ledger.selectors import ledger_reconcile
from fund.ledger.services import (
    BALANCE_FIELDS,
    InsufficientBalance,
    Movement,
    PostingError,
    accumulation_through,
    credit,
    debit,
    entry_post,
    entry_post_set,
    interest_settle_set,
    sub_account_open,
)

pytestmark = pytest.mark.django_db

D = Decimal
_numbers = itertools.count(1)
ONE = "SELECT %s::bigint, %s::numeric, %s::numeric, %s::numeric"


def _sub(opened: date = date(2025, 3, 1)) -> SubAccount:
    return sub_account_open(control_code=chart.MEMBER_DEPOSITS, number=f"S{next(_numbers):07d}", name="李四", opened_on=opened)


def _legs(amount: Decimal) -> list:
    if amount > 0:
        return [debit(chart.BANK, amount), credit(chart.MEMBER_DEPOSITS, amount)]
    return [debit(chart.MEMBER_DEPOSITS, -amount), credit(chart.BANK, -amount)]


def _post_python(sub: SubAccount, amount: Decimal, on: date, key: str, cur=None, pri=None) -> None:
    entry_post(
        business_type=BusinessType.GJ_OTHER, reference="t", idempotency_key=key, value_date=on, legs=_legs(amount),
        movements=[Movement(sub.pk, amount, current_year=cur, prior_year=pri)],
    )


def _post_sql(sub: SubAccount, amount: Decimal, on: date, key: str, cur=None, pri=None) -> None:
    entry_post_set(
        business_type=BusinessType.GJ_OTHER, reference="t", idempotency_key=key, value_date=on, legs=_legs(amount),
        movements_sql=ONE, params=[sub.pk, amount, cur, pri],
    )


def _state(sub: SubAccount) -> dict:
    sub.refresh_from_db()
    return {f: getattr(sub, f) for f in BALANCE_FIELDS}


postings = st.lists(
    st.tuples(
        st.integers(min_value=-40, max_value=200),  # days after the previous posting (negative: back-dated)
        st.integers(min_value=-300_000, max_value=300_000),  # fen; withdrawals are capped at the balance
        st.sampled_from(["default", "explicit"]),
    ),
    min_size=1, max_size=14,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(postings)
def test_the_sql_path_and_the_python_path_agree(reference_data, steps):
    py, sq = _sub(), _sub()
    day = date(2025, 3, 1)
    balance = D("0.00")
    for n, (delta, fen, how) in enumerate(steps):
        day = max(date(2025, 3, 1), day + timedelta(days=delta))
        amount = D(fen) / 100
        if amount < 0:
            amount = max(amount, -balance)
        if amount == 0:
            continue
        cur = pri = None
        if how == "explicit":
            sub = SubAccount.objects.get(pk=py.pk)
            if amount > 0:
                cur, pri = (amount / 2).quantize(D("0.01")), amount - (amount / 2).quantize(D("0.01"))
            else:  # take from 当年 first, the reverse of the default, within what each part holds
                cur = -min(sub.current_year, -amount)
                pri = amount - cur
        key = f"{py.pk}:{n}"
        outcome = []
        for post, sub in ((_post_python, py), (_post_sql, sq)):
            try:
                post(sub, amount, day, key + sub.number, cur, pri)
                outcome.append("ok")
            except InsufficientBalance:
                outcome.append("insufficient")
        assert outcome[0] == outcome[1], (n, outcome)
        if outcome[0] == "ok":
            balance += amount
        assert _state(py) == _state(sq), n
    rows = [
        list(SubLedgerRow.objects.filter(sub_account=s).order_by("id").values_list(
            "value_date", "amount", "current_year_amount", "prior_year_amount", "balance_after"))
        for s in (py, sq)
    ]
    assert rows[0] == rows[1]


def test_accumulation_is_the_sum_of_daily_closing_balances_across_a_period_boundary(reference_data):
    """A forward-only history crossing 1 July: the closed figure is Σ of the old period's end-of-day balances,
    the running one Σ of the new period's, both as a brute-force walk over the days counts them."""
    sub = _sub(date(2025, 3, 1))
    history = [(date(2025, 3, 5), "960.00"), (date(2025, 5, 20), "1000.00"), (date(2025, 6, 30), "-300.00"),
               (date(2025, 8, 3), "500.00"), (date(2025, 9, 1), "-100.00")]
    for n, (on, amount) in enumerate(history):
        _post_sql(sub, D(amount), on, f"bf{n}") if n % 2 else _post_python(sub, D(amount), on, f"bf{n}")
    sub.refresh_from_db()

    def brute(start: date, end: date) -> Decimal:
        total, day = D("0.00"), start
        while day <= end:
            total += sum((D(a) for on, a in history if on <= day), D("0.00"))
            day += timedelta(days=1)
        return total

    assert sub.closed_period_end == date(2025, 6, 30)
    assert sub.closed_accumulation == brute(date(2025, 3, 1), date(2025, 6, 30))
    assert sub.accumulation == brute(date(2025, 7, 1), date(2025, 8, 31))
    # The old period ended with 1660 of 当年归集, to roll at settlement; the withdrawal of 1 September found
    # nothing carried over yet and took 100 of it (last year's money goes before this year's).
    assert sub.closed_current_year == D("1560.00")
    assert (sub.current_year, sub.prior_year) == (D("2060.00"), D("0.00"))
    assert sub.accumulation_prior == D("1660.00") * 62  # counted as carried over, 1 July – 31 August
    periods = accumulation_through(sub, date(2025, 9, 10))
    assert [(p.period_end, p.total) for p in periods] == [
        (date(2025, 6, 30), brute(date(2025, 3, 1), date(2025, 6, 30))),
        (date(2026, 6, 30), brute(date(2025, 7, 1), date(2025, 9, 10))),
    ]


def test_a_withdrawal_after_the_boundary_consumes_the_money_still_to_roll(reference_data):
    sub = _sub(date(2025, 3, 1))
    _post_python(sub, D("1000.00"), date(2025, 3, 1), "w1")
    _post_python(sub, D("400.00"), date(2025, 7, 10), "w2")  # crosses: 1000 waits to roll, 400 is this year's
    _post_sql(sub, D("-1200.00"), date(2025, 7, 20), "w3")  # nothing carried over yet: takes 当年归集
    sub.refresh_from_db()
    # What rolls is what is left of last period's money: 1000 − 1200 + 400 kept as this year's = 200 new.
    assert sub.closed_current_year == D("0.00")
    assert (sub.current_year, sub.prior_year, sub.balance) == (D("200.00"), D("0.00"), D("200.00"))
    # 上年结转 积数 of the new period: 1000 for 1–19 July (19 days), nothing after.
    assert sub.accumulation_prior == D("19000.00")


def test_a_back_dated_posting_into_the_closed_period_counts_there(reference_data):
    sub = _sub(date(2025, 3, 1))
    _post_python(sub, D("1000.00"), date(2025, 6, 1), "b1")
    _post_python(sub, D("10.00"), date(2025, 7, 11), "b2")
    _post_sql(sub, D("300.00"), date(2025, 6, 21), "b3")  # back-dated: 10 days in June, 10 days in July
    sub.refresh_from_db()
    assert sub.closed_accumulation == D("1000.00") * 30 + D("300.00") * 10
    assert sub.accumulation == D("1300.00") * 10 + D("0")
    assert sub.closed_current_year == D("1300.00")
    assert sub.accumulation_prior == D("1300.00") * 10


def test_a_set_posting_moves_many_accounts_at_once(reference_data):
    subs = [_sub() for _ in range(5)]
    ids = [s.pk for s in subs]
    posted = entry_post_set(
        business_type=BusinessType.GJ_REMIT, reference="bill", idempotency_key="set-1", value_date=date(2025, 4, 15),
        legs=_legs(D("1500.00")), summary="2025年04月汇缴",
        movements_sql="SELECT id, 300.00, NULL::numeric, NULL::numeric FROM ledger_subaccount WHERE id = ANY(%s)",
        params=[ids],
    )
    assert posted.created
    assert SubLedgerRow.objects.filter(entry=posted.entry, summary="2025年04月汇缴").count() == 5
    again = entry_post_set(
        business_type=BusinessType.GJ_REMIT, reference="bill", idempotency_key="set-1", value_date=date(2025, 4, 15),
        legs=_legs(D("1500.00")), movements_sql="SELECT id, 300.00, NULL, NULL FROM ledger_subaccount WHERE id = ANY(%s)",
        params=[ids],
    )
    assert not again.created and again.entry.pk == posted.entry.pk
    assert all(s.balance == D("300.00") for s in SubAccount.objects.filter(pk__in=ids))
    assert ledger_reconcile() == []


@pytest.mark.parametrize(
    ("sql", "amount", "message"),
    [
        ("SELECT %s::bigint, 100.00, NULL::numeric, NULL::numeric UNION ALL SELECT %s, 100.00, NULL, NULL", "200.00", "只能出现一次"),
        ("SELECT %s::bigint, 99.00, NULL::numeric, NULL::numeric WHERE %s > 0", "100.00", "明细账发生额"),
        ("SELECT %s::bigint, 100.001, NULL::numeric, NULL::numeric WHERE %s > 0", "100.00", "精确到分"),
        ("SELECT %s::bigint, 100.00, 60.00, 30.00 WHERE %s > 0", "100.00", "之和须等于"),
        ("SELECT %s::bigint, -100.00, NULL::numeric, NULL::numeric WHERE %s > 0", "-100.00", "余额不足"),
        ("SELECT %s::bigint + 100000, 100.00, NULL::numeric, NULL::numeric WHERE %s > 0", "100.00", "分户账不存在"),
    ],
)
def test_a_bad_set_posting_writes_nothing(reference_data, sql, amount, message):
    sub = _sub()
    with pytest.raises(PostingError, match=message):
        entry_post_set(
            business_type=BusinessType.GJ_OTHER, reference="t", idempotency_key="bad", value_date=date(2025, 4, 1),
            legs=_legs(D(amount)), movements_sql=sql, params=[sub.pk, sub.pk],
        )
    assert not JournalEntry.objects.filter(idempotency_key="bad").exists()
    assert _state(sub)["balance"] == D("0.00")


def test_settlement_uses_closed_figures_and_a_rerun_changes_nothing(reference_data):
    """1 000 from 1 June and 10 more from 11 July, settled for the year to 30 June 2025 after the July posting."""
    sub = _sub(date(2025, 3, 1))
    _post_python(sub, D("1000.00"), date(2025, 6, 1), "s1")
    _post_python(sub, D("10.00"), date(2025, 7, 11), "s2")
    kwargs = dict(
        control_code=chart.MEMBER_DEPOSITS, period_start=date(2024, 7, 1), period_end=date(2025, 6, 30),
        rate=D("0.015"), expense_code=chart.INTEREST_EXPENSE, key_prefix="t.interest:2025", reference="t",
        after_id=sub.pk - 1, limit=10, summary="年终结息",
    )
    done = interest_settle_set(**kwargs)
    # 积数 1000 × 30 days = 30 000; × 1.5 % ÷ 360 = 1.25, all on the 当年 part.
    assert (done.accounts, done.interest_current, done.interest_prior) == (1, D("1.25"), D("0.00"))
    sub.refresh_from_db()
    assert (sub.balance, sub.current_year, sub.prior_year) == (D("1011.25"), D("10.00"), D("1001.25"))
    assert sub.closed_period_end is None and sub.closed_current_year == D("0.00")
    # The interest earns from 1 July: 10 days to 11 July on top of 1000 × 10.
    assert sub.accumulation == D("1000.00") * 10 + D("1.25") * 10
    assert sub.accumulation_prior == D("1001.25") * 10
    again = interest_settle_set(**{**kwargs, "key_prefix": "t.interest:2025:rerun"})
    assert again.interest == D("0.00") and again.entry is None
    sub.refresh_from_db()
    assert sub.balance == D("1011.25")
    assert ledger_reconcile() == []
