"""Withdrawals' replayer for the policy what-if (fund.whatif): each withdrawal decided in the period, decided
again by its reason's own rules and limit (withdrawals.reasons, the functions `withdrawal_decide` runs) from
what is stored.

What a replay reads, and from where:
- the application as submitted (the Withdrawal row: reason, amount asked, details, home), and the day and
  moment it was decided (`decided_at`): rules see the policy of that day and, through `Context.as_of`, only
  the withdrawals, deposits and transfers there were before that moment;
- the balance the decision saw: the account's sub-ledger balance after the last posting before `decided_at`;
- the verdict of every rule that needs an outside system (identity, registries, credit, tax): the one stored
  in its last round of RuleChecks — a replay never calls outside. Those rules (and a limit that needs one,
  such as a purchase's price) keep their recorded result, so drafts of the policies they read (the purchase
  window, the unemployment months) change nothing here; what they decide is in the stored verdicts.

Each is decided twice, under the values in force and under the draft (`fund.whatif.registry`), and reported
with the draft's decision only where the two differ. A person's decision stands otherwise; a person's lowered
amount at 审批 stands unless the draft's limit is below it. Withdrawals refused at the door were never stored
and are not replayed; and each replay sees the other withdrawals as recorded, not as the draft would have
changed them.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from fund.ledger.models import SubLedgerRow
from fund.money import ZERO, format_money
from fund.whatif.registry import (
    Decision,
    Period,
    ReplayRequest,
    ReplayResult,
    applicant_label,
    register_replayer,
)

from .models import TAKEN, RuleCheck, Withdrawal, WithdrawalState
from .reasons import REASONS, Context, Reason
from .services.decision import proposed_amount

DECIDED = (*TAKEN, WithdrawalState.REJECTED)


class NeedsOutside(Exception):
    """The rule asked an outside system: a replay keeps the verdict recorded when it was decided."""


class ReplayContext(Context):
    """The decision's context as it stood when it was made: its day, its moment, its balance; no outside calls."""

    def __init__(self, withdrawal: Withdrawal, *, as_of: datetime, balance: Decimal) -> None:
        super().__init__(withdrawal, timezone.localdate(as_of))
        self.as_of = as_of
        self.details = copy.deepcopy(withdrawal.details or {})  # a rule may note what it found: not on the row
        self._balance = balance

    def _ask(self, key: tuple[str, str], call: Any) -> Any:
        raise NeedsOutside(key[0])

    @property
    def balance(self) -> Decimal:
        return self._balance


@dataclass(frozen=True)
class Decided:
    decision: Decision
    amount: Decimal | None  # None: the whole balance (closing) or a limit only an outside system tells
    note: str


def _decide(w: Withdrawal, spec: Reason, stored: dict[str, RuleCheck], balance: Decimal) -> Decided:
    """The decision `withdrawal_decide` makes, from stored inputs: each rule run again unless it needs an outside
    system (then its stored verdict), the limit, and the amount within the limit and the balance."""
    assert w.decided_at is not None
    ctx = ReplayContext(w, as_of=w.decided_at, balance=balance)
    failed = []
    blacklist = stored.get("blacklist")
    if blacklist is not None and not blacklist.passed:
        failed.append(f"{blacklist.label}：{blacklist.detail}")
    for rule in spec.rules:
        try:
            verdict = rule.check(ctx)
            passed, detail = verdict.passed, verdict.detail
        except NeedsOutside:
            check = stored.get(rule.code)
            passed, detail = (True, "") if check is None else (check.passed, check.detail)
        if not passed:
            failed.append(f"{rule.label}：{detail}")
    try:
        limit = spec.limit(ctx)
    except NeedsOutside:
        limit = None
    # A closing withdrawal pays the whole balance (its interest to the day is added when the money is taken).
    amount = None if limit is None else balance if w.closes_account else proposed_amount(w, limit.amount, balance)
    note = limit.note if limit is not None else ""
    if amount is not None and amount <= 0:
        failed.append(f"可提取金额为 0（{note}）")
    if failed:
        return Decided(Decision.REFUSED, amount, "；".join(failed))
    return Decided(Decision.APPROVED, amount, note)


def _checks(ids: Sequence[int]) -> dict[int, dict[str, RuleCheck]]:
    """Each withdrawal's verdicts of its last round, by rule."""
    out: dict[int, dict[str, RuleCheck]] = {}
    for check in RuleCheck.objects.filter(withdrawal_id__in=ids).order_by("withdrawal_id", "round", "order"):
        out.setdefault(check.withdrawal_id, {})[check.rule] = check  # later rounds overwrite earlier ones
    return out


def balance_before(sub_account_id: int, moment: datetime) -> Decimal:
    """The sub-account's balance after its last posting before `moment` (a decision's own posting comes after
    its decided_at, in the same transaction)."""
    row = (SubLedgerRow.objects.filter(sub_account_id=sub_account_id, entry__posted_at__lt=moment)
           .order_by("-id").values_list("balance_after", flat=True).first())
    return row if row is not None else ZERO


def withdrawals_decided(period: Period) -> list[int]:
    return list(Withdrawal.objects.filter(
        state__in=DECIDED, decided_at__date__gte=period.start, decided_at__date__lte=period.end,
    ).order_by("decided_at", "id").values_list("pk", flat=True))


def withdrawals_replay(ids: Sequence[int], request: ReplayRequest) -> Iterator[ReplayResult]:
    checks = _checks(ids)
    rows = (Withdrawal.objects.filter(pk__in=ids).select_related("account__person", "account__sub_account")
            .order_by("decided_at", "id"))
    for w in rows:
        spec = REASONS.get(w.reason)
        if spec is None or w.decided_at is None:
            continue
        stored = checks.get(w.pk, {})
        balance = balance_before(w.account.sub_account_id, w.decided_at)
        base = _decide(w, spec, stored, balance)
        with request.draft():
            draft = _decide(w, spec, stored, balance)
        yield _result(w, base, draft)


def _result(w: Withdrawal, base: Decided, draft: Decided) -> ReplayResult:
    old = Decision.APPROVED if w.state in TAKEN else Decision.REFUSED
    old_amount = w.amount if old == Decision.APPROVED else None
    new, note = old, ""
    if draft.decision != base.decision:
        new, note = draft.decision, draft.note
    new_amount: Decimal | None = None
    if new == Decision.APPROVED:
        new_amount = old_amount
        if draft.amount is not None and draft.amount != base.amount:
            if old_amount is None or old_amount == base.amount:
                new_amount = draft.amount
            else:  # a person set another amount: it stands, within the draft's limit
                new_amount = min(old_amount, draft.amount)
            note = note or draft.note
        elif new_amount is None:
            new_amount = draft.amount
    if new_amount != old_amount and not note:
        note = draft.note
    person = w.account.person
    amounts = f"（{format_money(old_amount or ZERO)} → {format_money(new_amount or ZERO)} 元）"
    return ReplayResult(
        subject=f"withdrawals.withdrawal:{w.pk}", number=w.number, applicant=applicant_label(person.name, person.id_number),
        month=timezone.localdate(w.decided_at), old_decision=old, old_amount=old_amount, new_decision=new,
        new_amount=new_amount, old_moved=old_amount or ZERO, new_moved=new_amount or ZERO,
        note=f"{REASONS[w.reason].label}：{note}{amounts if new_amount != old_amount else ''}" if note else "",
    )


# Registered on import (withdrawals' AppConfig.ready imports this module).
register_replayer(
    "withdrawals", "提取审批", subjects=withdrawals_decided, replay=withdrawals_replay,
    policies=("withdrawal_rent_cap_per_year", "withdrawal_rent_min_deposit_months", "withdrawal_repeat_months",
              "withdrawal_same_home_months", "risk_transfer_in_withdrawal_months"),
)
