"""Posting: the only code that writes journal lines, sub-ledger rows and sub-account balances.

Call `entry_post` inside the caller's transaction, so the business change and its money move together.
It locks the affected sub-accounts in primary-key order (one documented order, so two postings never
deadlock), refuses an idempotency key it has already seen by returning the earlier entry unchanged, and
raises `InsufficientBalance` rather than let a sub-account go below zero.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from fund.money import FEN, ZERO
from fund.numbers import next_number

from .models import (
    Account,
    BusinessType,
    JournalEntry,
    JournalLine,
    SubAccount,
    SubLedgerRow,
    interest_period_end,
    interest_period_start,
)


class PostingError(ValueError):
    """A posting that would break a ledger rule; the message is for the clerk, in Chinese."""


class InsufficientBalance(PostingError):
    pass


@dataclass(frozen=True)
class Leg:
    """One general-ledger line: an account code and a debit or a credit."""

    account: str
    debit: Decimal = ZERO
    credit: Decimal = ZERO


@dataclass(frozen=True)
class Movement:
    """A change to one sub-account: positive adds to the balance, negative takes from it.

    Additions go to this year's deposits (当年归集). Deductions take the carried-over balance (上年结转)
    first, then this year's, unless `current_year`/`prior_year` give the split explicitly.
    """

    sub_account_id: int
    amount: Decimal
    summary: str = ""
    current_year: Decimal | None = None
    prior_year: Decimal | None = None


@dataclass(frozen=True)
class Posted:
    entry: JournalEntry
    created: bool


def debit(account: str, amount: Decimal) -> Leg:
    return Leg(account=account, debit=amount)


def credit(account: str, amount: Decimal) -> Leg:
    return Leg(account=account, credit=amount)


def _check_amount(value: Decimal, what: str) -> Decimal:
    if not isinstance(value, Decimal) or not value.is_finite() or value != value.quantize(FEN):
        raise PostingError(f"{what}必须是精确到分的金额")
    return value


# The chart's accounts by code, read once per process: they are created by migration (`chart_seed`) and never
# change id. `chart_forget` empties it (chart_seed and saving or deleting an account call it).
_CHART: dict[str, Account] = {}


def chart_accounts(codes: Iterable[str]) -> dict[str, Account]:
    """The accounts of these codes that exist, by code (unknown codes are left out)."""
    wanted = set(codes)
    if not wanted <= _CHART.keys():
        _CHART.update({a.code: a for a in Account.objects.filter(code__in=wanted - _CHART.keys())})
    return {code: _CHART[code] for code in wanted if code in _CHART}


def chart_forget() -> None:
    _CHART.clear()


def _next_entry_number(value_date: date) -> str:
    # entry_post_set numbers its entries in SQL with the same format (to_char ... lpad 12)
    return next_number("ledger_entry_number_seq", f"{value_date:%Y%m%d}", 12)


def _validate(legs: Sequence[Leg], movements: Sequence[Movement]) -> dict[str, Account]:
    if len(legs) < 2:
        raise PostingError("记账凭证至少需要两条分录")
    total_debit = sum((_check_amount(leg.debit, "借方") for leg in legs), ZERO)
    total_credit = sum((_check_amount(leg.credit, "贷方") for leg in legs), ZERO)
    for leg in legs:
        if (leg.debit > 0) == (leg.credit > 0) or leg.debit < 0 or leg.credit < 0:
            raise PostingError("每条分录须且只能有一个方向的正金额")
    if total_debit != total_credit:
        raise PostingError(f"借贷不平衡：借方 {total_debit}，贷方 {total_credit}")
    accounts = chart_accounts({leg.account for leg in legs})
    unknown = {leg.account for leg in legs} - accounts.keys()
    if unknown:
        raise PostingError(f"未知科目：{'、'.join(sorted(unknown))}")
    ids = [m.sub_account_id for m in movements]
    if len(ids) != len(set(ids)):
        raise PostingError("同一分户在一张凭证中只能出现一次")
    for m in movements:
        _check_amount(m.amount, "发生额")
        if m.amount == 0:
            raise PostingError("发生额不能为零")
    return accounts


def _control_effect(legs: Iterable[Leg], accounts: dict[str, Account]) -> dict[int, Decimal]:
    """What the legs do to each control account, in the direction that raises sub-account balances."""
    effect: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for leg in legs:
        account = accounts[leg.account]
        if account.is_control:
            signed = leg.debit - leg.credit if account.debit_normal else leg.credit - leg.debit
            effect[account.pk] += signed
    return effect


def _split(sub: SubAccount, move: Movement) -> tuple[Decimal, Decimal]:
    """The (当年, 上年) split of a move: as given, or additions to 当年 and deductions from 上年 first."""
    if move.current_year is not None or move.prior_year is not None:
        cur, pri = move.current_year or ZERO, move.prior_year or ZERO
        if cur + pri != move.amount:
            raise PostingError("当年归集与上年结转发生额之和须等于发生额")
        return cur, pri
    if move.amount > 0:
        return move.amount, ZERO
    pri = -min(sub.prior_year, -move.amount)
    return move.amount - pri, pri


def _close_periods(sub: SubAccount, value_date: date) -> None:
    """When `value_date` lies in a later interest period than the running one, close the running period.

    Its 积数 to 30 June inclusive moves to the closed figures and the running ones restart on 1 July
    (see SubAccount). The balance split itself is not touched (callers may post an explicit split read
    from the account): the 当年归集 it holds is marked as waiting to roll (`closed_current_year`). An older
    closed period still unsettled is dropped; whole periods without a posting close with a constant balance.
    """
    running = interest_period_start(sub.accumulated_to)
    new = interest_period_start(value_date)
    if new <= running:
        return
    last_start = date(new.year - 1, 7, 1)
    if last_start == running:
        days = (new - sub.accumulated_to).days
        sub.closed_accumulation = sub.accumulation + sub.balance * days
        sub.closed_accumulation_prior = sub.accumulation_prior + (sub.prior_year + sub.closed_current_year) * days
    else:
        days = (new - last_start).days
        sub.closed_accumulation = sub.closed_accumulation_prior = sub.balance * days
    sub.closed_current_year = sub.current_year
    sub.closed_period_end = new - timedelta(days=1)
    sub.accumulation = sub.accumulation_prior = ZERO
    sub.accumulated_to = new


def _apply(sub: SubAccount, move: Movement, value_date: date) -> tuple[Decimal, Decimal]:
    """Roll the accumulation forward and change the balance; return the (当年, 上年) split of the move.

    The same rules run in SQL in `entry_post_set` (`_SET_CALC`); tests prove the two agree.
    """
    cur, pri = _split(sub, move)
    back_dated = value_date < sub.accumulated_to
    into_closed = False
    if not back_dated:
        _close_periods(sub, value_date)
        days = (value_date - sub.accumulated_to).days
        sub.accumulation += sub.balance * days
        sub.accumulation_prior += (sub.prior_year + sub.closed_current_year) * days
        sub.accumulated_to = value_date
    else:
        running = interest_period_start(sub.accumulated_to)
        new_days = (sub.accumulated_to - max(value_date, running)).days
        into_closed = value_date < running and sub.closed_period_end == running - timedelta(days=1)
        if into_closed:
            # The missed days of the closed, not yet settled period count there.
            old_days = (running - max(value_date, date(running.year - 1, 7, 1))).days
            sub.closed_accumulation += move.amount * old_days
            sub.closed_accumulation_prior += pri * old_days
    pending_before = sub.closed_current_year
    sub.current_year += cur
    sub.prior_year += pri
    sub.balance += move.amount
    if sub.closed_period_end is not None:
        # Money of the closed period still waiting to roll: a deduction reaching into 当年归集 takes it first.
        taken = cur if into_closed else min(cur, ZERO)
        sub.closed_current_year = max(ZERO, min(sub.current_year, pending_before + taken))
    if back_dated:
        # A back-dated posting also counts for the days between its value date and the accumulation date.
        sub.accumulation += move.amount * new_days
        sub.accumulation_prior += (pri + sub.closed_current_year - pending_before) * new_days
    if not sub.allow_negative and (sub.balance < 0 or sub.current_year < 0 or sub.prior_year < 0):
        raise InsufficientBalance(f"账户 {sub.number} 余额不足")
    return cur, pri


_BALANCE_FIELDS = (
    "balance", "current_year", "prior_year", "accumulation", "accumulated_to", "accumulation_prior",
    "closed_period_end", "closed_accumulation", "closed_accumulation_prior", "closed_current_year",
)


def _write_balances(subs: Sequence[SubAccount]) -> None:
    if not subs:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE ledger_subaccount AS s
               SET balance = v.balance, current_year = v.cur, prior_year = v.pri,
                   accumulation = v.acc, accumulated_to = v.acc_to, accumulation_prior = v.acc_pri,
                   closed_period_end = v.c_end, closed_accumulation = v.c_acc,
                   closed_accumulation_prior = v.c_acc_pri, closed_current_year = v.c_cur
              FROM unnest(%s::bigint[], %s::numeric[], %s::numeric[], %s::numeric[], %s::numeric[], %s::date[],
                          %s::numeric[], %s::date[], %s::numeric[], %s::numeric[], %s::numeric[])
                   AS v(id, balance, cur, pri, acc, acc_to, acc_pri, c_end, c_acc, c_acc_pri, c_cur)
             WHERE s.id = v.id
            """,
            [[s.pk for s in subs], *([getattr(s, f) for s in subs] for f in _BALANCE_FIELDS)],
        )


def _same_posting(entry: JournalEntry, business_type: str, legs: Sequence[Leg]) -> JournalEntry:
    """A repeated key must repeat the same business; the same key with other money is a caller's bug."""
    posted = sorted(entry.lines.values_list("account__code", "debit", "credit"))
    asked = sorted((leg.account, leg.debit, leg.credit) for leg in legs)
    if entry.business_type != business_type or posted != asked:
        raise PostingError(f"幂等键 {entry.idempotency_key} 已用于另一笔不同的业务（凭证 {entry.number}）")
    return entry


def _entry_insert(
    *, business_type: str, reference: str, idempotency_key: str, value_date: date, memo: str, actor: Any,
    reverses: JournalEntry | None,
) -> JournalEntry | None:
    """Insert the entry, numbered from the sequence in the same statement; None when its idempotency key is
    already taken. One statement instead of a lookup, a number and an insert in a savepoint: a posting is
    on the path of every 秒批 withdrawal. A replay uses up a number (voucher numbers are unique, not gapless)."""
    posted_at = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO ledger_journalentry (number, business_type, reference, idempotency_key, value_date,
                                             posted_at, memo, actor_id, reverses_id)
            SELECT to_char(%s::date, 'YYYYMMDD') || lpad(n::text, greatest(12, length(n::text)), '0'),
                   %s, %s, %s, %s, %s, %s, %s, %s
              FROM nextval('ledger_entry_number_seq') AS n
            ON CONFLICT (idempotency_key) DO NOTHING
            RETURNING id, number
            """,
            [value_date, business_type, reference, idempotency_key, value_date, posted_at, memo,
             actor.pk if actor is not None else None, reverses.pk if reverses is not None else None],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    entry = JournalEntry(
        id=row[0], number=row[1], business_type=business_type, reference=reference, idempotency_key=idempotency_key,
        value_date=value_date, posted_at=posted_at, memo=memo, actor=actor, reverses=reverses,
    )
    entry._state.adding = False
    entry._state.db = connection.alias
    return entry


def entry_post(
    *,
    business_type: BusinessType | str,
    reference: str,
    idempotency_key: str,
    value_date: date,
    legs: Sequence[Leg],
    movements: Sequence[Movement] = (),
    actor: Any = None,
    memo: str = "",
    reverses: JournalEntry | None = None,
) -> Posted:
    """Post one balanced entry with its sub-ledger movements, exactly once per idempotency key."""
    accounts = _validate(legs, movements)
    with transaction.atomic():
        entry = _entry_insert(
            business_type=str(business_type), reference=reference[:120], idempotency_key=idempotency_key,
            value_date=value_date, memo=memo[:200], actor=actor if getattr(actor, "pk", None) else None,
            reverses=reverses,
        )
        if entry is None:
            # The key was posted before (or by a concurrent transaction that has now committed): that posting
            # stands, and this call writes nothing.
            existing = JournalEntry.objects.get(idempotency_key=idempotency_key)
            return Posted(_same_posting(existing, business_type, legs), created=False)
        JournalLine.objects.bulk_create(
            JournalLine(entry=entry, account=accounts[leg.account], debit=leg.debit, credit=leg.credit) for leg in legs
        )
        by_id = {m.sub_account_id: m for m in movements}
        subs = list(SubAccount.objects.select_for_update().filter(pk__in=by_id).order_by("pk"))
        if len(subs) != len(by_id):
            raise PostingError("分户账不存在")
        effect = _control_effect(legs, accounts)
        moved: dict[int, Decimal] = defaultdict(lambda: ZERO)
        rows = []
        for sub in subs:
            move = by_id[sub.pk]
            cur, pri = _apply(sub, move, value_date)
            moved[sub.control_id] += move.amount
            rows.append(
                SubLedgerRow(
                    entry=entry, sub_account=sub, value_date=value_date, amount=move.amount,
                    current_year_amount=cur, prior_year_amount=pri, balance_after=sub.balance,
                    summary=move.summary[:120],
                )
            )
        for control_id in set(effect) | set(moved):
            if effect.get(control_id, ZERO) != moved.get(control_id, ZERO):
                raise PostingError("明细账发生额与控制科目发生额不一致")
        _write_balances(subs)
        SubLedgerRow.objects.bulk_create(rows, batch_size=5000)
    return Posted(entry, created=True)


def entry_reverse(*, entry: JournalEntry, value_date: date, actor: Any, reason: str) -> Posted:
    """冲账: post the mirror image of `entry`. An entry is reversed at most once; history stays as it was."""
    if entry.reverses_id is not None:
        raise PostingError("冲正凭证不能再次冲正")
    legs = [Leg(account=line.account.code, debit=line.credit, credit=line.debit) for line in entry.lines.select_related("account")]
    movements = [
        Movement(
            sub_account_id=row.sub_account_id, amount=-row.amount, summary=f"冲正 {entry.number}",
            current_year=-row.current_year_amount, prior_year=-row.prior_year_amount,
        )
        for row in entry.sub_rows.all()
    ]
    return entry_post(
        business_type=BusinessType.REVERSAL,
        reference=f"reversal:{entry.number}",
        idempotency_key=f"reversal:{entry.pk}",
        value_date=value_date,
        legs=legs,
        movements=movements,
        actor=actor,
        memo=f"冲正 {entry.number}：{reason}",
        reverses=entry,
    )


def sub_account_open(*, control_code: str, number: str, name: str, opened_on: date) -> SubAccount:
    control = Account.objects.get(code=control_code, is_control=True)
    return SubAccount.objects.create(
        control=control, number=number, name=name, opened_on=opened_on, accumulated_to=opened_on
    )


# Set-based posting ---------------------------------------------------------------------------------------

def _entry_open(
    *, business_type: str, reference: str, idempotency_key: str, value_date: date, legs: Sequence[Leg],
    accounts: dict[str, Account], actor: Any, memo: str, reverses: JournalEntry | None = None,
) -> tuple[JournalEntry, bool]:
    """Create the entry and its lines, or return the entry a concurrent transaction committed with the key."""
    try:
        with transaction.atomic():
            entry = JournalEntry.objects.create(
                number=_next_entry_number(value_date), business_type=business_type, reference=reference[:120],
                idempotency_key=idempotency_key, value_date=value_date, memo=memo[:200],
                actor=actor if getattr(actor, "pk", None) else None, reverses=reverses,
            )
    except IntegrityError:
        existing = JournalEntry.objects.filter(idempotency_key=idempotency_key).first()
        if existing is None:
            raise
        return _same_posting(existing, business_type, legs), False
    JournalLine.objects.bulk_create(
        JournalLine(entry=entry, account=accounts[leg.account], debit=leg.debit, credit=leg.credit) for leg in legs
    )
    return entry, True


# `_apply` in SQL, over the temp table ledger_set_moves (sub_account_id, amount, cur, pri) and one value date
# %(v)s. Each LATERAL step is one step of the Python: _split, _close_periods, then the accumulation and the
# move itself. Keep the two in step: tests/ledger/test_set_posting.py runs both on random postings.
_SET_CALC = """
CREATE TEMP TABLE ledger_set_calc ON COMMIT DROP AS
SELECT s.id, s.number, s.control_id, s.allow_negative, m.amount, sp.cur, sp.pri,
       n.bal AS balance, n.cy AS current_year, n.py AS prior_year,
       CASE WHEN p.back THEN r.acc + m.amount * d.new_days ELSE r.acc + s.balance * d.fwd_days END AS accumulation,
       CASE WHEN p.back THEN r.acc_to ELSE %(v)s::date END AS accumulated_to,
       CASE WHEN p.back THEN r.acc_pri + (sp.pri + c.cur - r.c_cur) * d.new_days
            ELSE r.acc_pri + (r.py + r.c_cur) * d.fwd_days END AS accumulation_prior,
       r.c_end AS closed_period_end,
       r.c_acc + CASE WHEN d.into_closed THEN m.amount * d.old_days ELSE 0 END AS closed_accumulation,
       r.c_acc_pri + CASE WHEN d.into_closed THEN sp.pri * d.old_days ELSE 0 END AS closed_accumulation_prior,
       c.cur AS closed_current_year
  FROM ledger_set_moves m
  JOIN ledger_subaccount s ON s.id = m.sub_account_id
 CROSS JOIN LATERAL (
       SELECT CASE WHEN m.cur IS NOT NULL OR m.pri IS NOT NULL THEN COALESCE(m.cur, 0)
                   WHEN m.amount > 0 THEN m.amount
                   ELSE m.amount + LEAST(s.prior_year, -m.amount) END,
              CASE WHEN m.cur IS NOT NULL OR m.pri IS NOT NULL THEN COALESCE(m.pri, 0)
                   WHEN m.amount > 0 THEN 0
                   ELSE -LEAST(s.prior_year, -m.amount) END
       ) AS sp(cur, pri)
 CROSS JOIN LATERAL (
       SELECT ledger_interest_period_start(s.accumulated_to), ledger_interest_period_start(%(v)s::date),
              %(v)s::date < s.accumulated_to
       ) AS p(running, new, back)
 CROSS JOIN LATERAL (
       SELECT NOT p.back AND p.new > p.running, (p.new - interval '1 year')::date = p.running,
              (p.new - interval '1 year')::date
       ) AS x(crossing, adjacent, last_start)
 CROSS JOIN LATERAL (
       SELECT s.current_year, s.prior_year,
              CASE WHEN NOT x.crossing THEN s.closed_period_end ELSE p.new - 1 END,
              CASE WHEN NOT x.crossing THEN s.closed_accumulation
                   WHEN x.adjacent THEN s.accumulation + s.balance * (p.new - s.accumulated_to)
                   ELSE s.balance * (p.new - x.last_start) END,
              CASE WHEN NOT x.crossing THEN s.closed_accumulation_prior
                   WHEN x.adjacent THEN s.accumulation_prior
                                        + (s.prior_year + s.closed_current_year) * (p.new - s.accumulated_to)
                   ELSE s.balance * (p.new - x.last_start) END,
              CASE WHEN NOT x.crossing THEN s.closed_current_year ELSE s.current_year END,
              CASE WHEN x.crossing THEN 0 ELSE s.accumulation END,
              CASE WHEN x.crossing THEN 0 ELSE s.accumulation_prior END,
              CASE WHEN x.crossing THEN p.new ELSE s.accumulated_to END
       ) AS r(cy, py, c_end, c_acc, c_acc_pri, c_cur, acc, acc_pri, acc_to)
 CROSS JOIN LATERAL (
       SELECT p.back AND %(v)s::date < p.running AND COALESCE(s.closed_period_end = p.running - 1, false),
              CASE WHEN p.back THEN s.accumulated_to - GREATEST(%(v)s::date, p.running) ELSE 0 END,
              CASE WHEN p.back THEN p.running - GREATEST(%(v)s::date, (p.running - interval '1 year')::date)
                   ELSE 0 END,
              CASE WHEN p.back THEN 0 ELSE %(v)s::date - r.acc_to END
       ) AS d(into_closed, new_days, old_days, fwd_days)
 CROSS JOIN LATERAL (SELECT r.cy + sp.cur, r.py + sp.pri, s.balance + m.amount) AS n(cy, py, bal)
 CROSS JOIN LATERAL (
       SELECT CASE WHEN r.c_end IS NULL THEN r.c_cur
                   ELSE GREATEST(0, LEAST(n.cy, r.c_cur + CASE WHEN d.into_closed THEN sp.cur
                                                               ELSE LEAST(sp.cur, 0) END)) END
       ) AS c(cur)
"""

_SET_WRITE = """
UPDATE ledger_subaccount AS s
   SET balance = c.balance, current_year = c.current_year, prior_year = c.prior_year,
       accumulation = c.accumulation, accumulated_to = c.accumulated_to, accumulation_prior = c.accumulation_prior,
       closed_period_end = c.closed_period_end, closed_accumulation = c.closed_accumulation,
       closed_accumulation_prior = c.closed_accumulation_prior, closed_current_year = c.closed_current_year
  FROM ledger_set_calc c
 WHERE s.id = c.id
"""


def entry_post_set(
    *,
    business_type: BusinessType | str,
    reference: str,
    idempotency_key: str,
    value_date: date,
    legs: Sequence[Leg],
    movements_sql: str,
    params: Sequence[Any] | dict[str, Any] = (),
    summary: str = "",
    actor: Any = None,
    memo: str = "",
) -> Posted:
    """`entry_post` for batches: one balanced entry whose sub-ledger movements come from SQL.

    `movements_sql` is a query (with `params`) returning rows of (sub_account_id, amount, current_year,
    prior_year); leave the split NULL for the default (additions to 当年归集, deductions from 上年结转
    first). The accumulation, period-boundary and split rules are `_apply`'s, run in a few statements
    over the whole set; the rows are locked in primary-key order; every sub-ledger row gets `summary`.
    Same guarantees as `entry_post`: exactly once per idempotency key, nothing written on any error.
    """
    existing = JournalEntry.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return Posted(_same_posting(existing, business_type, legs), created=False)
    accounts = _validate(legs, ())
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS ledger_set_moves, ledger_set_calc")
        cursor.execute(
            "CREATE TEMP TABLE ledger_set_moves (sub_account_id bigint, amount numeric, cur numeric, pri numeric)"
            " ON COMMIT DROP"
        )
        cursor.execute(f"INSERT INTO ledger_set_moves SELECT * FROM ({movements_sql}) AS m", params)
        cursor.execute("ANALYZE ledger_set_moves")
        cursor.execute(
            """
            SELECT COUNT(*), COUNT(DISTINCT sub_account_id),
                   COALESCE(BOOL_OR(sub_account_id IS NULL OR amount IS NULL), false),
                   COALESCE(BOOL_OR(amount = 0), false),
                   COALESCE(BOOL_OR(amount <> ROUND(amount, 2) OR cur <> ROUND(cur, 2) OR pri <> ROUND(pri, 2)), false),
                   COALESCE(BOOL_OR((cur IS NOT NULL OR pri IS NOT NULL)
                                    AND COALESCE(cur, 0) + COALESCE(pri, 0) <> amount), false)
              FROM ledger_set_moves
            """
        )
        count, distinct, missing, zero, not_fen, bad_split = cursor.fetchone()
        if missing:
            raise PostingError("分户账与发生额不能为空")
        if count != distinct:
            raise PostingError("同一分户在一张凭证中只能出现一次")
        if zero:
            raise PostingError("发生额不能为零")
        if not_fen:
            raise PostingError("发生额必须是精确到分的金额")
        if bad_split:
            raise PostingError("当年归集与上年结转发生额之和须等于发生额")
        entry, created = _entry_open(
            business_type=business_type, reference=reference, idempotency_key=idempotency_key,
            value_date=value_date, legs=legs, accounts=accounts, actor=actor, memo=memo,
        )
        if not created:
            return Posted(entry, created=False)
        cursor.execute(
            """
            SELECT COUNT(*) FROM (
                SELECT id FROM ledger_subaccount WHERE id IN (SELECT sub_account_id FROM ledger_set_moves)
                 ORDER BY id FOR UPDATE
            ) AS locked
            """
        )
        if cursor.fetchone()[0] != count:
            raise PostingError("分户账不存在")
        cursor.execute(_SET_CALC, {"v": value_date})
        cursor.execute(
            """
            SELECT number FROM ledger_set_calc
             WHERE NOT allow_negative AND (balance < 0 OR current_year < 0 OR prior_year < 0)
             ORDER BY id LIMIT 1
            """
        )
        overdrawn = cursor.fetchone()
        if overdrawn:
            raise InsufficientBalance(f"账户 {overdrawn[0]} 余额不足")
        cursor.execute("SELECT control_id, SUM(amount) FROM ledger_set_calc GROUP BY control_id")
        moved = dict(cursor.fetchall())
        effect = _control_effect(legs, accounts)
        for control_id in set(effect) | set(moved):
            if effect.get(control_id, ZERO) != moved.get(control_id, ZERO):
                raise PostingError("明细账发生额与控制科目发生额不一致")
        cursor.execute(_SET_WRITE)
        cursor.execute(
            """
            INSERT INTO ledger_subledgerrow
                   (entry_id, sub_account_id, value_date, amount, current_year_amount, prior_year_amount,
                    balance_after, summary)
            SELECT %s, id, %s, amount, cur, pri, balance, %s FROM ledger_set_calc ORDER BY id
            """,
            [entry.pk, value_date, summary[:120]],
        )
        cursor.execute("DROP TABLE ledger_set_moves, ledger_set_calc")
    return Posted(entry, created=True)


# Interest settlement --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Settled:
    """One chunk of a settlement: how many sub-accounts it covered, where it stopped, what it credited."""

    accounts: int
    last_id: int | None
    interest_current: Decimal
    interest_prior: Decimal
    entry: JournalEntry | None

    @property
    def interest(self) -> Decimal:
        return self.interest_current + self.interest_prior


# For each sub-account of the chunk: which figures hold its period's 积数 (kind), the 积数 of the whole
# and of the 上年结转 part, the interest on the whole (w) and on each part (i: 当年 is the whole less 上年),
# and the account after settlement. See SubAccount.
_SETTLE_CALC = """
CREATE TEMP TABLE ledger_settle_calc ON COMMIT DROP AS
WITH chunk AS MATERIALIZED (
    SELECT * FROM ledger_subaccount
     WHERE control_id = %(control)s AND id > %(after)s
     ORDER BY id LIMIT %(limit)s
       FOR UPDATE
)
SELECT s.id, k.kind, a.total, a.prior, i.cur AS interest_cur, i.pri AS interest_pri,
       s.balance + i.cur + i.pri AS balance,
       CASE WHEN k.kind = 'closed' THEN s.current_year - r.roll ELSE 0 END AS current_year,
       CASE WHEN k.kind = 'closed' THEN s.prior_year + r.roll + i.cur + i.pri
            ELSE s.balance + i.cur + i.pri END AS prior_year,
       CASE WHEN k.kind = 'closed' THEN s.accumulation + (i.cur + i.pri) * (s.accumulated_to - %(next)s::date)
            ELSE 0 END AS accumulation,
       CASE WHEN k.kind = 'closed'
            THEN s.accumulation_prior + (i.cur + i.pri) * (s.accumulated_to - %(next)s::date)
            ELSE 0 END AS accumulation_prior,
       CASE WHEN k.kind = 'closed' THEN s.accumulated_to ELSE %(next)s::date END AS accumulated_to
  FROM chunk s
 CROSS JOIN LATERAL (
       SELECT CASE WHEN s.closed_period_end = %(end)s::date THEN 'closed'
                   WHEN s.accumulated_to <= %(end)s::date THEN 'running'
                   ELSE 'skip' END
       ) AS k(kind)
 CROSS JOIN LATERAL (
       SELECT CASE WHEN k.kind = 'closed' THEN s.closed_accumulation
                   WHEN k.kind = 'skip' THEN 0
                   WHEN s.accumulated_to >= %(start)s::date
                   THEN s.accumulation + s.balance * (%(next)s::date - s.accumulated_to)
                   ELSE s.balance * (%(next)s::date - %(start)s::date) END,
              CASE WHEN k.kind = 'closed' THEN s.closed_accumulation_prior
                   WHEN k.kind = 'skip' THEN 0
                   WHEN s.accumulated_to >= %(start)s::date
                   THEN s.accumulation_prior
                        + (s.prior_year + s.closed_current_year) * (%(next)s::date - s.accumulated_to)
                   ELSE s.balance * (%(next)s::date - %(start)s::date) END
       ) AS a(total, prior)
 CROSS JOIN LATERAL (
       SELECT GREATEST(0, ROUND(a.total * %(rate)s::numeric / 360, 2)),
              GREATEST(0, ROUND(a.prior * %(rate)s::numeric / 360, 2))
       ) AS w(whole, pri)
 CROSS JOIN LATERAL (SELECT w.whole - LEAST(w.whole, w.pri), LEAST(w.whole, w.pri)) AS i(cur, pri)
 CROSS JOIN LATERAL (SELECT GREATEST(0, LEAST(s.closed_current_year, s.current_year))) AS r(roll)
"""

_SETTLE_WRITE = """
UPDATE ledger_subaccount AS s
   SET balance = c.balance, current_year = c.current_year, prior_year = c.prior_year,
       accumulation = c.accumulation, accumulation_prior = c.accumulation_prior, accumulated_to = c.accumulated_to,
       closed_period_end = NULL, closed_accumulation = 0, closed_accumulation_prior = 0, closed_current_year = 0
  FROM ledger_settle_calc c
 WHERE s.id = c.id AND c.kind <> 'skip'
"""


def interest_settle_set(
    *,
    control_code: str,
    period_start: date,
    period_end: date,
    rate: Decimal,
    expense_code: str,
    key_prefix: str,
    reference: str,
    after_id: int,
    limit: int,
    actor: Any = None,
    memo: str = "",
    summary: str = "",
) -> Settled:
    """Settle the interest period ending `period_end` for the next `limit` sub-accounts under a control
    account with id > `after_id`, in one entry (Dr expense / Cr control) keyed f"{key_prefix}:{first id}".

    The interest is round(积数 × rate ÷ 360) half up to the fen on the whole 积数 (SPEC §2.1 rounds the
    total); the 上年结转 part is its own 积数 rounded the same way and the 当年归集 part the rest, so the parts
    always add up to the rounded total (rounded apart they could be a fen off it); a sub-ledger row (amount = both, split columns = the interest on each part) only where there is
    interest. Every account of the period then rolls: the interest and the period's 当年归集 go to
    上年结转, the closed figures clear, the running ones restart on 1 July (see SubAccount). An account
    already settled for the period, or opened after it, is left as it is, so a rerun posts nothing; a
    chunk whose key was already used is not touched at all. Call inside the caller's transaction.
    """
    accounts = _validate([debit(expense_code, FEN), credit(control_code, FEN)], ())
    control = accounts[control_code]
    next_start = period_end + timedelta(days=1)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS ledger_settle_calc")
        cursor.execute(
            _SETTLE_CALC,
            {"control": control.pk, "after": after_id, "limit": limit, "start": period_start, "end": period_end,
             "next": next_start, "rate": rate},
        )
        cursor.execute(
            "SELECT COUNT(*), MIN(id), MAX(id), COALESCE(SUM(interest_cur), 0), COALESCE(SUM(interest_pri), 0)"
            "  FROM ledger_settle_calc"
        )
        count, first_id, last_id, interest_cur, interest_pri = cursor.fetchone()
        if not count:
            return Settled(0, None, ZERO, ZERO, None)
        key = f"{key_prefix}:{first_id}"
        existing = JournalEntry.objects.filter(idempotency_key=key).first()
        if existing is not None:
            return Settled(count, last_id, ZERO, ZERO, existing)
        entry = None
        total = interest_cur + interest_pri
        if total > 0:
            legs = [debit(expense_code, total), credit(control_code, total)]
            entry, created = _entry_open(
                business_type=BusinessType.GJ_INTEREST, reference=reference, idempotency_key=key,
                value_date=period_end, legs=legs, accounts=accounts, actor=actor, memo=memo,
            )
            if not created:
                return Settled(count, last_id, ZERO, ZERO, entry)
            cursor.execute(
                """
                INSERT INTO ledger_subledgerrow
                       (entry_id, sub_account_id, value_date, amount, current_year_amount, prior_year_amount,
                        balance_after, summary)
                SELECT %s, id, %s, interest_cur + interest_pri, interest_cur, interest_pri, balance, %s
                  FROM ledger_settle_calc WHERE interest_cur + interest_pri > 0 ORDER BY id
                """,
                [entry.pk, period_end, summary[:120]],
            )
        cursor.execute(_SETTLE_WRITE)
        cursor.execute("DROP TABLE ledger_settle_calc")
    return Settled(count, last_id, interest_cur, interest_pri, entry)


# Interest to a day ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PeriodAccumulation:
    """积数 not yet settled for one interest period: the whole and the 上年结转 part."""

    period_end: date
    total: Decimal
    prior: Decimal

    @property
    def current(self) -> Decimal:
        return self.total - self.prior


def accumulation_through(sub: SubAccount, day: date) -> list[PeriodAccumulation]:
    """The unsettled 积数 of `sub` through `day` inclusive, per interest period (a closed period waiting
    for its settlement, then the running one), as a posting on the next day would see it. Pure: the
    account is not changed. `day` may not precede the last posting's value date by more than a day."""
    after = day + timedelta(days=1)
    if after < sub.accumulated_to:
        raise PostingError(f"计息截止日不能早于 {sub.accumulated_to - timedelta(days=1):%Y-%m-%d}")
    probe = SubAccount(pk=sub.pk, number=sub.number, allow_negative=True, **{f: getattr(sub, f) for f in _BALANCE_FIELDS})
    _apply(probe, Movement(sub.pk, ZERO), after)
    periods = []
    if probe.closed_period_end is not None:
        periods.append(PeriodAccumulation(probe.closed_period_end, probe.closed_accumulation, probe.closed_accumulation_prior))
    if interest_period_start(after) == after and probe.closed_period_end == day:
        return periods
    periods.append(PeriodAccumulation(interest_period_end(day), probe.accumulation, probe.accumulation_prior))
    return periods


def sub_account_interest_close(
    *,
    sub_account_id: int,
    value_date: date,
    current: Decimal,
    prior: Decimal,
    expense_code: str,
    reference: str,
    idempotency_key: str,
    actor: Any = None,
    summary: str = "结息",
) -> JournalEntry | None:
    """Pay an account about to close its unsettled interest and clear its 积数, so that no later settlement
    pays those days again.

    The caller computes `current`/`prior` (the interest on each part through the day before `value_date`,
    e.g. with `accumulation_through`) under this account's row lock, in the same transaction. The interest is
    credited on `value_date` (business type 年终结息, Dr `expense_code` / Cr the control account); then the
    running and closed 积数 are zeroed and restart on `value_date`. Idempotent by key like `entry_post`.
    """
    sub = SubAccount.objects.select_for_update().select_related("control").get(pk=sub_account_id)
    entry = None
    total = _check_amount(current, "利息") + _check_amount(prior, "利息")
    if total > 0:
        entry = entry_post(
            business_type=BusinessType.GJ_INTEREST,
            reference=reference,
            idempotency_key=idempotency_key,
            value_date=value_date,
            legs=[debit(expense_code, total), credit(sub.control.code, total)],
            movements=[Movement(sub.pk, total, summary=summary, current_year=current, prior_year=prior)],
            actor=actor,
            memo=f"{summary} {sub.number}",
        ).entry
    SubAccount.objects.filter(pk=sub.pk).update(
        accumulation=ZERO, accumulation_prior=ZERO, closed_period_end=None, closed_accumulation=ZERO,
        closed_accumulation_prior=ZERO, closed_current_year=ZERO,
        accumulated_to=max(value_date, sub.accumulated_to),
    )
    return entry
