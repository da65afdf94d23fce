"""合并销户: merging one person's duplicate account into the account they keep (一人一户).

Which duplicates exist: the partial unique index `one_active_account_per_person` allows one account per
person among 正常, 封存 and 冻结, so a second account that still holds money can only be one in state
99 其他 — historic data taken over from an older system, or an account a cross-unit mistake left behind and
that was parked there. The rules here do not lean on that: they take any two accounts of one person.

- source (并出账户): 正常, 封存 or 其他; not 冻结 (a judicial freeze covers its balance) and not closed.
- target (并入账户): 正常 or 封存 — the account the person keeps; a frozen or closed one may not take money.
- nothing may still post to or take from the source: no unpaid remittance or back-pay bill line, no open
  cross-region transfer, nothing a `MERGE_BLOCKERS` check names (withdrawals register "in flight" there).

The merge is one transaction: the source's interest is settled to the day (as for a transfer-out, so no
later annual settlement pays those days again), the whole balance moves to the target in one balanced
entry (Dr 201 source / Cr 201 target, business type GJ06 内部转移 — the standard's code for money moving
between two accounts inside the centre; it has no code of its own for a merge, and 99 其他 would say less),
the source closes as 03 合并销户, both accounts get a business record, and the audit trail a row.

The split carried to the target is what the money would be had it always been there: deposits of this
interest year stay 当年归集; everything older — including deposits of a period that ended on 30 June and
is not yet settled — and the interest just paid are 上年结转 (as the annual settlement credits interest).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from fund.ledger import chart
from fund.ledger.models import BusinessType, SubAccount, interest_period_start
from fund.ledger.services import Movement, credit, debit, entry_post, sub_account_interest_close
from fund.money import ZERO
from fund.people.roles import roles_of
from fund.workflow.moves import StaleStatus, move_status

from ..models import (
    AccountBusiness,
    AccountEvent,
    AccountMerge,
    BillState,
    CrossRegionTransfer,
    MemberAccount,
    MemberState,
    RemittanceBillLine,
)
from ..selectors import member_accounts_for_user
from ..states import MEMBER_ACCOUNT_MOVES
from .interest import interest_to_date

# Other lines register a check here: fn(account) -> str | None, the reason the source may not be merged yet
# (withdrawals: "有办理中的提取业务"). Called under the source's row lock.
MERGE_BLOCKERS: list[Callable[[MemberAccount], str | None]] = []

SOURCE_STATES = (MemberState.NORMAL, MemberState.SEALED, MemberState.OTHER)
TARGET_STATES = (MemberState.NORMAL, MemberState.SEALED)
STALE = "账户状态已被他人更改，请刷新后重试"


def _state_label(state: str) -> str:
    return dict(MemberState.choices).get(state, state)


def member_account_merge_blockers(*, source: MemberAccount, target: MemberAccount) -> dict[str, list[str]]:
    """Why `source` may not be merged into `target`, by field ("source", "target"); empty when it may."""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if source.pk == target.pk:
        add("target", "并入账户不能与并出账户相同")
    elif source.person_id != target.person_id:
        add("target", "并入账户与并出账户不属于同一职工（身份证号码不一致），不能合并")
    if source.state == MemberState.FROZEN:
        add("source", "并出账户已冻结，解冻后才能合并")
    elif source.state not in SOURCE_STATES:
        add("source", f"并出账户状态为“{_state_label(source.state)}”，不能合并")
    if source.pk != target.pk and target.state not in TARGET_STATES:
        add("target", f"并入账户状态为“{_state_label(target.state)}”，须为正常或封存")
    open_bills = sorted(set(
        RemittanceBillLine.objects.filter(account=source, bill__state__in=[BillState.DRAFT, BillState.CONFIRMED])
        .values_list("bill__number", flat=True)
    ))
    if open_bills:
        add("source", f"并出账户有未入账的汇补缴单（{'、'.join(open_bills[:3])}），请先入账或作废")
    if CrossRegionTransfer.objects.filter(account=source, finished_at__isnull=True).exists():
        add("source", "并出账户有办理中的异地转移接续业务")
    for check in MERGE_BLOCKERS:
        reason = check(source)
        if reason:
            add("source", reason)
    return errors


def _may_merge(actor: Any, *accounts: MemberAccount) -> bool:
    """受理 staff (or a director) whose scope covers both accounts."""
    if not roles_of(actor).can_accept:
        return False
    visible = member_accounts_for_user(actor).filter(pk__in=[a.pk for a in accounts]).count()
    return visible == len({a.pk for a in accounts})


def _pending_roll(sub: SubAccount, today: date) -> Decimal:
    """The part of 当年归集 that belongs to an interest year already ended (to roll into 上年结转)."""
    if interest_period_start(sub.accumulated_to) < interest_period_start(today):
        return sub.current_year  # no posting since that year ended: all of it is older
    if sub.closed_period_end is not None:
        return max(ZERO, min(sub.closed_current_year, sub.current_year))
    return ZERO


@dataclass(frozen=True)
class MergePreview:
    """What a merge today would do, computed without posting."""

    principal: Decimal
    interest_current: Decimal
    interest_prior: Decimal
    current_year: Decimal  # carried to the target as 当年归集
    prior_year: Decimal  # carried as 上年结转 (interest included)
    blockers: dict[str, list[str]] = field(default_factory=dict)

    @property
    def interest(self) -> Decimal:
        return self.interest_current + self.interest_prior

    @property
    def amount(self) -> Decimal:
        return self.principal + self.interest


def _compute(sub: SubAccount, today: date) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    """(interest 当年, interest 上年, carried 当年, roll) for a source sub-account as it stands."""
    interest_current, interest_prior = interest_to_date(sub, today - timedelta(days=1))
    roll = _pending_roll(sub, today)
    return interest_current, interest_prior, sub.current_year - roll, roll


def member_account_merge_preview(
    *, source: MemberAccount, target: MemberAccount, today: date | None = None
) -> MergePreview:
    """Interest to the day and the amounts a merge today would move, with its blockers. Pure."""
    today = today or timezone.localdate()
    sub = SubAccount.objects.get(pk=source.sub_account_id)
    blockers = member_account_merge_blockers(source=source, target=target)
    try:
        interest_current, interest_prior, carried_current, _ = _compute(sub, today)
    except ValueError as exc:  # PostingError: postings dated after today
        blockers.setdefault("source", []).append(str(exc))
        interest_current = interest_prior = ZERO
        carried_current = sub.current_year
    principal = sub.balance
    return MergePreview(
        principal=principal, interest_current=interest_current, interest_prior=interest_prior,
        current_year=carried_current,
        prior_year=principal + interest_current + interest_prior - carried_current, blockers=blockers,
    )


def _lock(*accounts: MemberAccount) -> dict[int, MemberAccount]:
    """Lock the member rows in primary-key order (the one order every merge takes), then read them."""
    ids = sorted({a.pk for a in accounts})
    list(MemberAccount.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))
    return MemberAccount.objects.select_related("person", "unit__employer").in_bulk(ids)


@transaction.atomic
def member_account_merge_core(
    *, actor: Any, source: MemberAccount, target: MemberAccount, reason: str = "", today: date | None = None
) -> tuple[AccountMerge, bool]:
    """Merge `source` into `target` (合并销户) as the module describes; (the merge, whether it is new).

    Idempotent: a source is merged once. Asking again for the same pair returns the first merge and posts
    nothing; asking to merge it elsewhere is refused.
    """
    today = today or timezone.localdate()
    reason = (reason or "").strip()
    if len(reason) > 200:
        raise ValidationError({"reason": ["合并原因不能超过200字"]})
    if not _may_merge(actor, source, target):
        raise PermissionDenied("您的岗位不能办理此业务")
    locked = _lock(source, target)
    source, target = locked[source.pk], locked[target.pk]
    done = AccountMerge.objects.select_related("target").filter(source=source).first()
    if done is not None:
        if done.target_id == target.pk:
            return done, False
        raise ValidationError({"source": [f"该账户已于{done.merged_on:%Y-%m-%d}合并至个人账户 {done.target.number}"]})
    errors = member_account_merge_blockers(source=source, target=target)
    if errors:
        raise ValidationError(errors)

    # Both sub-accounts, in primary-key order like every posting.
    subs = SubAccount.objects.select_for_update().filter(
        pk__in=[source.sub_account_id, target.sub_account_id]
    ).order_by("pk")
    sub = next(s for s in subs if s.pk == source.sub_account_id)
    principal = sub.balance
    # Interest to the day before: today's closing balance is the target's, which earns from today.
    interest_current, interest_prior, carried_current, roll = _compute(sub, today)
    interest_entry = sub_account_interest_close(
        sub_account_id=sub.pk, value_date=today, current=interest_current, prior=interest_prior,
        expense_code=chart.INTEREST_EXPENSE, reference=f"deposits.merge:{source.number}",
        idempotency_key=f"deposits.merge_interest:{source.pk}", actor=actor, summary="合并销户结息",
    )
    sub.refresh_from_db()
    amount = sub.balance
    carried_prior = amount - carried_current
    entry = None
    if amount > 0:
        entry = entry_post(
            business_type=BusinessType.GJ_TRANSFER_INTERNAL,
            reference=f"deposits.merge:{source.number}",
            idempotency_key=f"deposits.merge:{source.pk}",
            value_date=today,
            legs=[debit(chart.MEMBER_DEPOSITS, amount), credit(chart.MEMBER_DEPOSITS, amount)],
            movements=[
                Movement(sub.pk, -amount, summary=f"合并销户，并入 {target.number}",
                         current_year=-sub.current_year, prior_year=-sub.prior_year),
                Movement(target.sub_account_id, amount, summary=f"合并转入（原账户 {source.number}）",
                         current_year=carried_current, prior_year=carried_prior),
            ],
            actor=actor,
            memo=f"合并销户 {source.person.name} {source.number}→{target.number}",
        ).entry
    old_state = source.state
    merge = AccountMerge.objects.create(
        source=source, target=target, source_state=old_state, principal=principal,
        interest=interest_current + interest_prior, amount=amount, current_year=carried_current,
        prior_year=carried_prior, interest_entry=interest_entry, entry=entry, reason=reason, merged_on=today,
        actor=actor,
    )
    detail = {
        "merge": merge.pk, "principal": str(principal), "interest": str(merge.interest), "amount": str(amount),
        "current_year": str(carried_current), "prior_year": str(carried_prior), "rolled": str(roll),
        "entry": entry.number if entry else "", "interest_entry": interest_entry.number if interest_entry else "",
    }
    actor_or_none = actor if getattr(actor, "pk", None) else None
    AccountEvent.objects.create(
        unit=source.unit, account=source, business_type=AccountBusiness.TRANSFER_INTERNAL,
        summary=f"合并销户，并入 {target.number}"[:60], old_state=old_state, new_state=MemberState.MERGED,
        reason=reason, detail={**detail, "target": target.number}, actor=actor_or_none,
    )
    AccountEvent.objects.create(
        unit=target.unit, account=target, business_type=AccountBusiness.TRANSFER_INTERNAL,
        summary=f"合并转入，原账户 {source.number}"[:60], old_state=target.state, new_state=target.state,
        reason=reason, detail={**detail, "source": source.number}, actor=actor_or_none,
    )
    try:
        move_status(source, MemberState.MERGED, table=MEMBER_ACCOUNT_MOVES, action="deposits.member.merged",
                    actor=actor, expect=old_state, verb="合并销户", reason=reason, was={"balance": principal},
                    note={"target": target.number, **detail})
    except StaleStatus as exc:
        raise ValidationError({"source": [STALE]}) from exc
    return merge, True


def member_account_merge(**kwargs: Any) -> tuple[AccountMerge, bool]:
    with transaction.atomic(durable=True):
        return member_account_merge_core(**kwargs)


member_account_merge.__doc__ = member_account_merge_core.__doc__
