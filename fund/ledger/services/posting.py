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

from django.db import connection, transaction
from django.utils import timezone

from fund.money import FEN, ZERO
from fund.numbers import next_number

from ..models import (
    Account,
    BusinessType,
    JournalEntry,
    JournalLine,
    SubAccount,
    SubLedgerRow,
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


def check_amount(value: Decimal, what: str) -> Decimal:
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


def entry_number_next(value_date: date) -> str:
    # entry_post_set numbers its entries in SQL with the same format (to_char ... lpad 12)
    return next_number("ledger_entry_number_seq", f"{value_date:%Y%m%d}", 12)


def legs_validate(legs: Sequence[Leg], movements: Sequence[Movement]) -> dict[str, Account]:
    if len(legs) < 2:
        raise PostingError("记账凭证至少需要两条分录")
    total_debit = sum((check_amount(leg.debit, "借方") for leg in legs), ZERO)
    total_credit = sum((check_amount(leg.credit, "贷方") for leg in legs), ZERO)
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
        check_amount(m.amount, "发生额")
        if m.amount == 0:
            raise PostingError("发生额不能为零")
    return accounts


def control_effect(legs: Iterable[Leg], accounts: dict[str, Account]) -> dict[int, Decimal]:
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


def movement_apply(sub: SubAccount, move: Movement, value_date: date) -> tuple[Decimal, Decimal]:
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


BALANCE_FIELDS = (
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
            [[s.pk for s in subs], *([getattr(s, f) for s in subs] for f in BALANCE_FIELDS)],
        )


def same_posting(entry: JournalEntry, business_type: str, legs: Sequence[Leg]) -> JournalEntry:
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
    accounts = legs_validate(legs, movements)
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
            return Posted(same_posting(existing, business_type, legs), created=False)
        JournalLine.objects.bulk_create(
            JournalLine(entry=entry, account=accounts[leg.account], debit=leg.debit, credit=leg.credit) for leg in legs
        )
        by_id = {m.sub_account_id: m for m in movements}
        subs = list(SubAccount.objects.select_for_update().filter(pk__in=by_id).order_by("pk"))
        if len(subs) != len(by_id):
            raise PostingError("分户账不存在")
        effect = control_effect(legs, accounts)
        moved: dict[int, Decimal] = defaultdict(lambda: ZERO)
        rows = []
        for sub in subs:
            move = by_id[sub.pk]
            cur, pri = movement_apply(sub, move, value_date)
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
