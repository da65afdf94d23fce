"""What the lives of member and unit accounts share: which action makes which status move (through
deposits.states' move tables), the business record each leaves, who may act, and the row locks."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError

from fund.people.roles import roles_of
from fund.validation import clean_line
from fund.workflow.moves import move_status

from ..models import (
    AccountEvent,
    MemberAccount,
    MemberState,
    UnitAccount,
    UnitApplication,
    UnitState,
)
from ..selectors import unit_accounts_for_user
from ..states import APPLICATION_MOVES, MEMBER_ACCOUNT_MOVES, UNIT_ACCOUNT_MOVES

# ---- which action makes which move -----------------------------------------------------------------------
# The allowed moves of each status are deposits.states' tables; an action names the states it starts from and
# the one it leads to (several actions share a target: 解冻 and 封存 both may lead to 封存), the word a refusal
# uses, and the audit code of its event. `None` as a target means "the state before the freeze", read from
# the freeze's business record.
MEMBER_MOVES: dict[str, dict[str, str | None]] = {
    "seal": {MemberState.NORMAL: MemberState.SEALED},
    "unseal": {MemberState.SEALED: MemberState.NORMAL},  # 启封 in place, or with 内部转移 into a new unit
    "freeze": {MemberState.NORMAL: MemberState.FROZEN, MemberState.SEALED: MemberState.FROZEN},
    "unfreeze": {MemberState.FROZEN: None},
}
UNIT_MOVES: dict[str, dict[str, str]] = {
    "defer": {UnitState.NORMAL: UnitState.DEFERRED},
    "end_deferral": {UnitState.DEFERRED: UnitState.NORMAL},
    "seal": {UnitState.NORMAL: UnitState.SEALED},
    "unseal": {UnitState.SEALED: UnitState.NORMAL},
    "close": {UnitState.NORMAL: UnitState.CLOSED, UnitState.SEALED: UnitState.CLOSED},
}
ACTION_LABELS = {
    "seal": "封存", "unseal": "启封", "freeze": "冻结", "unfreeze": "解冻", "defer": "缓缴", "end_deferral": "结束缓缴",
    "close": "销户", "review": "初审", "approve": "审批", "reject": "驳回", "withdraw": "撤回", "start": "生效",
    "end": "到期",
}
MEMBER_AUDIT = {"seal": "deposits.member.sealed", "unseal": "deposits.member.unsealed",
                "freeze": "deposits.member.frozen", "unfreeze": "deposits.member.unfrozen"}
UNIT_AUDIT = {"defer": "deposits.unit.deferred", "end_deferral": "deposits.unit.deferral_ended",
              "seal": "deposits.unit.sealed", "unseal": "deposits.unit.unsealed", "close": "deposits.unit.closed"}


def member_move(
    account: MemberAccount, action: str, *, actor: Any = None, target: str | None = None, audit: str = "",
    reason: str = "", note: dict[str, Any] | None = None, was: dict[str, Any] | None = None, **fields: Any,
) -> tuple[str, str]:
    """Move a (locked) member account by `action`, through the account's move table."""
    old = account.state
    starts = MEMBER_MOVES[action]
    new = target or starts.get(old)
    if old not in starts or new is None:
        raise MEMBER_ACCOUNT_MOVES.refusal(old, new or old, ACTION_LABELS[action])
    move_status(account, new, table=MEMBER_ACCOUNT_MOVES, action=audit or MEMBER_AUDIT[action], actor=actor,
                verb=ACTION_LABELS[action], reason=reason, note=note, was=was, **fields)
    return old, new


def unit_move(unit: UnitAccount, action: str, *, actor: Any = None, reason: str = "") -> tuple[str, str]:
    """Move a (locked) unit account by `action`, through the unit's move table."""
    old = unit.state
    starts = UNIT_MOVES[action]
    if old not in starts:
        raise UNIT_ACCOUNT_MOVES.refusal(old, old, ACTION_LABELS[action])
    move_status(unit, starts[old], table=UNIT_ACCOUNT_MOVES, action=UNIT_AUDIT[action], actor=actor,
                verb=ACTION_LABELS[action], reason=reason)
    return old, starts[old]


def application_move(
    application: UnitApplication, to: str, *, actor: Any, action: str, verb: str, note: dict[str, Any] | None = None,
    reason: str = "", **fields: Any,
) -> tuple[str, str]:
    old = move_status(application, to, table=APPLICATION_MOVES, action=action, actor=actor, verb=verb, note=note,
                      reason=reason, **fields)
    return old, to


def account_event(
    *, unit: UnitAccount, business_type: str, summary: str, actor: Any, account: MemberAccount | None = None,
    old_state: str = "", new_state: str = "", reason: str = "", detail: dict | None = None,
    from_unit: UnitAccount | None = None,
) -> AccountEvent:
    return AccountEvent.objects.create(
        unit=unit, account=account, business_type=business_type, summary=summary, old_state=old_state,
        new_state=new_state, reason=reason[:200], detail=detail or {}, from_unit=from_unit,
        actor=actor if getattr(actor, "pk", None) else None,
    )


def clean_reason(value: str, field: str = "reason", label: str = "原因") -> str:
    try:
        return clean_line(value, label=label, max_length=200)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from exc


# ---- who may act ----------------------------------------------------------------------------------------
# Views and APIs fetch through the scoped selectors (404 outside scope); these checks are the business rule
# on top — who may do the act — and hold even when a service is called from elsewhere.

def require(allowed: bool, message: str = "您的岗位不能办理此业务") -> None:
    if not allowed:
        raise PermissionDenied(message)


def sees_unit(actor: Any, unit: UnitAccount) -> bool:
    return unit_accounts_for_user(actor).filter(pk=unit.pk).exists()


def window_staff(actor: Any, unit: UnitAccount) -> bool:
    """受理 staff (or a director) whose scope covers the unit."""
    return roles_of(actor).can_accept and sees_unit(actor, unit)


def operator_of(actor: Any, unit: UnitAccount) -> bool:
    return any(e.pk == unit.employer_id for e in roles_of(actor).employers)



# ---- locks ---------------------------------------------------------------------------------------------

def lock_member(account: MemberAccount) -> MemberAccount:
    """Lock the row, then read it with its unit. (Locking with the unit joined would, after waiting on a
    concurrent transfer that changed unit_id, re-check the join against the old unit and find nothing.)"""
    MemberAccount.objects.select_for_update().filter(pk=account.pk).values_list("pk", flat=True).get()
    return MemberAccount.objects.select_related("unit__employer", "person").get(pk=account.pk)


def lock_unit(unit: UnitAccount) -> UnitAccount:
    return UnitAccount.objects.select_for_update(of=("self",)).select_related("employer").get(pk=unit.pk)



def plain_values(values: dict[str, Any]) -> dict[str, Any]:
    return {k: str(v) if isinstance(v, (Decimal, date)) else v for k, v in values.items()}


