"""Submitting a withdrawal, and what may stop it at the door.

Refused at once, with the reason, and never reaching a decision: a frozen or closed account, a blacklisted
person, a second withdrawal while one is in flight (a partial unique index, so two simultaneous submissions
cannot both pass), and an application the last approval could never pay (the reason's `door` rules: 06 with
no housing loan in the household, a home already used, nothing left under the rent cap or a cost). Everything
else is for the rules (`decision.py`) to decide, and for people when a rule fails.

A resubmitted form or a retried API call carries the same client token and gets the first withdrawal back,
even while the first is still being written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from deposits.models import MemberAccount, MemberState
from deposits.selectors import member_accounts_for_holder_or_staff
from fund.audit.masking import mask_bank_card
from fund.audit.services import audit_log
from fund.money import clean_amount, format_money
from fund.numbers import next_number
from fund.people.roles import roles_of
from fund.tracking.services import track
from fund.validation import clean_bank_card, clean_into, clean_person_name, clean_resident_id

from ..models import IN_FLIGHT, Channel, Relation, Withdrawal, WithdrawalState
from ..reasons import REASONS, Context, Input, Reason, door_refusals
from .payee import payee_card_check

CLOSED_STATES = (MemberState.MERGED, MemberState.TRANSFERRED_OUT, MemberState.WITHDRAWN, MemberState.OTHER)
ONLINE_CHANNELS = (Channel.ONLINE, Channel.API)


def blacklist_refusal(id_number: str) -> str:
    """The member-facing reason a blacklisted person may not withdraw, or ""."""
    from risk.selectors import blacklist_check

    entry = blacklist_check(id_number=id_number, business="withdrawal", on=timezone.localdate())
    return entry.refusal_message if entry is not None else ""


def in_flight_for(account: MemberAccount) -> Withdrawal | None:
    return Withdrawal.objects.filter(account=account, state__in=IN_FLIGHT).first()


def next_withdrawal_number(on: date | None = None) -> str:
    """TQ + the day + a sequence: the business number of a withdrawal, whoever makes it."""
    return next_number("withdrawals_number_seq", f"TQ{on or timezone.localdate():%Y%m%d}", 6)


def in_flight_blocker(account: MemberAccount) -> str | None:
    """For deposits' transfer-out and merge hooks: the reason an account with a withdrawal in flight must wait."""
    current = in_flight_for(account)
    return f"有办理中的提取业务（{current.number}）" if current is not None else None


def _clean_details(reason: Reason, details: dict[str, Any], errors: dict[str, list[str]]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    details = details or {}

    def put(spec: Input, value: str) -> None:
        (clean.setdefault(spec.group, {}) if spec.group else clean)[spec.name] = value

    for spec in reason.inputs:
        raw = spec.stored(details)
        if isinstance(raw, str):
            raw = raw.strip()
        if raw in (None, ""):
            if spec.required:
                errors[spec.name] = [f"请填写{spec.label}"]
            continue
        if spec.kind == "money":
            value = clean_into(errors, spec.name, clean_amount, raw, label=spec.label, required=False)
            if value is not None:
                put(spec, str(value))
        elif spec.kind == "choice":
            if str(raw) not in {key for key, _ in spec.choices}:
                errors[spec.name] = [f"{spec.label}只能是：" + "、".join(label for _, label in spec.choices)]
            else:
                put(spec, str(raw))
        else:
            if not isinstance(raw, str | int):
                errors[spec.name] = [f"{spec.label}格式不正确"]
                continue
            text = str(raw)
            if any(ord(ch) < 32 or ord(ch) == 127 for ch in text):
                errors[spec.name] = [f"{spec.label}不能含有控制字符"]
            elif len(text) > spec.max_length or len(text.upper()) > spec.max_length:  # a home's number is compared in capitals
                errors[spec.name] = [f"{spec.label}不能超过 {spec.max_length} 个字符"]
            else:  # a document's part (a medical record's) is compared across applications: spaces folded
                put(spec, " ".join(text.split()) if spec.group else text)
    if reason.key in ("01",) and not (clean.get("certificate_number") or clean.get("invoice_number")):
        errors.setdefault("certificate_number", ["请填写不动产权证号或购房发票号码"])
    return clean


@dataclass(frozen=True)
class PreparedSubmission:
    """A submission whose outside checks (the door rules, the payee's card at the bank) have run: what the
    accepting step, inside a transaction, needs (`withdrawal_submit_accept`)."""

    values: dict[str, Any]


def withdrawal_submit(**kwargs: Any) -> Withdrawal:
    """`withdrawal_submit_prepare` (outside any transaction), then `withdrawal_submit_accept`."""
    prepared = withdrawal_submit_prepare(**kwargs)
    return prepared if isinstance(prepared, Withdrawal) else withdrawal_submit_accept(prepared)


def withdrawal_submit_accept(prepared: PreparedSubmission) -> Withdrawal:
    """The part of a submission that writes, in the caller's transaction if there is one (a 一件事 bundle runs it
    with its other parts, so a later part's refusal rolls the withdrawal back too)."""
    return _accept(**prepared.values)


def withdrawal_submit_prepare(
    *,
    actor: Any,
    account: MemberAccount,
    reason: str,
    channel: str,
    amount: Any = None,
    relation: str = Relation.SELF,
    other_id_number: str = "",
    other_name: str = "",
    details: dict[str, Any] | None = None,
    payee_name: str = "",
    payee_card: str = "",
    materials: list[str] | tuple[str, ...] = (),
    client_token: str = "",
) -> Withdrawal | PreparedSubmission:
    """Check an application before accepting it; raise ValidationError (field → Chinese messages).

    A repeated `client_token` returns the first withdrawal, marked `replayed = True` (the API answers 200),
    whatever has happened since: the token is looked at before anything else, and again under a lock of its
    own before the account's checks, so a replay racing its first submission waits for it and gets it back.
    An application that can never succeed (the reason's `door` rules) is refused with the reason, and a payee
    card the bank does not know is refused on its field; both ask an outside system, so they run here, before
    the transaction."""
    client_token = (client_token or "").strip()[:64]
    # The same form or call again, and the account's withdrawal in flight, in one read. The second is
    # reported under the account's lock below; one committed after this read meets the partial unique index.
    seen = Q(account_id=account.pk, state__in=IN_FLIGHT)
    if client_token:
        seen |= Q(submitted_by=actor, client_token=client_token)
    current = None
    for earlier in Withdrawal.objects.filter(seen).order_by("-id")[:2]:
        if client_token and earlier.client_token == client_token and earlier.submitted_by_id == actor.pk:
            earlier.replayed = True
            return earlier
        current = earlier

    # Who may submit through which channel: before any outside system is asked on the account's behalf.
    if channel in ONLINE_CHANNELS:
        if account.person_id != getattr(actor, "person_id", None):
            raise PermissionDenied("只能为本人账户申请提取")
    elif channel == Channel.WINDOW:
        if not roles_of(actor).can_accept or not member_accounts_for_holder_or_staff(actor).filter(pk=account.pk).exists():
            raise PermissionDenied("只有受理岗可以在窗口受理提取")
    else:
        raise ValidationError({"channel": ["办理渠道不正确"]})

    spec = REASONS.get(str(reason or ""))
    if spec is None:
        raise ValidationError({"reason": [f"提取原因“{reason}”不存在，可选：" + "、".join(REASONS)]})
    errors: dict[str, list[str]] = {}
    clean = _clean_details(spec, details or {}, errors)
    refusals: list[str] = []
    # Not when something else refuses it anyway (the checks below say so without asking anyone outside).
    refused = errors or current is not None or account.state in (MemberState.FROZEN, *CLOSED_STATES) \
        or (channel in ONLINE_CHANNELS and not spec.online)
    if spec.door and not refused:
        refusals = _door(spec, account, clean)
    if not (refused or refusals):  # the card the payout will go to must be one the bank knows, in the payee's name
        payee_card_check(spec=spec, account=account, payee_card=payee_card, payee_name=payee_name,
                         other_name=other_name, errors=errors)
    return PreparedSubmission(dict(
        actor=actor, account=account, spec=spec, channel=channel, amount=amount, relation=relation,
        other_id_number=other_id_number, other_name=other_name, clean=clean, payee_name=payee_name,
        payee_card=payee_card, materials=materials, client_token=client_token, current=current,
        errors=errors, refusals=refusals,
    ))


def _door(spec: Reason, account: MemberAccount, clean: dict[str, Any]) -> list[str]:
    """The reason's door rules against the application as it would be saved (outside any transaction: they
    may ask the credit bureau). The rules read a copy of the details, so nothing they note is kept."""
    draft = Withdrawal(account=account, reason=spec.key, details=dict(clean),
                       home_key=spec.home_key(clean) if spec.home_key else "")
    return door_refusals(spec, Context(draft, timezone.localdate()))


def _lock_token(actor: Any, client_token: str) -> None:
    """Until the transaction ends, no other submission with this actor's token gets past this point: the one
    that comes second waits, then finds the first and returns it (no check of the account can refuse it)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"withdrawals.token:{actor.pk}:{client_token}"])


@transaction.atomic
def _accept(
    *, actor: Any, account: MemberAccount, spec: Reason, channel: str, amount: Any, relation: str,
    other_id_number: str, other_name: str, clean: dict[str, Any], payee_name: str, payee_card: str,
    materials: list[str] | tuple[str, ...], client_token: str, current: Withdrawal | None,
    errors: dict[str, list[str]], refusals: list[str],
) -> Withdrawal:
    """The part of `withdrawal_submit` under the token's and the account's locks; `errors` and `refusals` are
    what was found before them."""
    if client_token:
        _lock_token(actor, client_token)
        first = Withdrawal.objects.filter(submitted_by=actor, client_token=client_token).first()
        if first is not None:
            first.replayed = True
            return first
    if channel in ONLINE_CHANNELS and not spec.online:
        errors["reason"] = [f"“{spec.label}”需要核验纸质材料，请到综合窗口办理"]

    account = MemberAccount.objects.select_for_update(of=("self", "unit", "sub_account")).select_related("person", "unit__employer", "sub_account").get(pk=account.pk)
    person = account.person
    if account.state == MemberState.FROZEN:
        raise ValidationError({"account": ["个人账户已冻结，不能办理提取"]})
    if account.state in CLOSED_STATES:
        raise ValidationError({"account": [f"个人账户已{account.get_state_display()}，不能办理提取"]})
    refusal = blacklist_refusal(person.id_number)
    if refusal:
        raise ValidationError({"account": [refusal]})
    if current is not None:
        raise ValidationError({"account": [f"您已有一笔提取（{current.number}）正在办理，办结后才能再次申请"]})
    if account.sub_account.balance <= 0:
        errors["account"] = ["个人账户余额为零，无可提取金额"]
    if refusals:
        errors.setdefault("reason", []).extend(refusals)

    requested = clean_into(errors, "amount", clean_amount, amount, label="提取金额", required=False)
    if requested is not None and requested > account.sub_account.balance:
        errors["amount"] = [f"提取金额不能超过账户余额 {format_money(account.sub_account.balance)} 元"]
    if requested is not None and spec.closes_account:
        errors["amount"] = ["销户提取按账户全部余额（含利息）办理，无需填写金额"]

    relation = str(relation or Relation.SELF)
    if spec.heirs:
        relation = Relation.HEIR
    if relation not in spec.relations:
        allowed = "、".join(Relation(r).label for r in spec.relations)
        errors["relation"] = [f"“{spec.label}”只能由以下关系办理：{allowed}"]
    other = ""
    if relation != Relation.SELF:
        try:
            other = clean_resident_id(other_id_number or "").number
        except ValidationError as exc:
            errors["other_id_number"] = [f"关系人身份证号码：{m}" for m in exc.messages]
        if other and other == person.id_number:
            errors["other_id_number"] = ["关系人不能是缴存人本人"]
        other_name = clean_into(errors, "other_name", clean_person_name, other_name, label="关系人姓名") or ""
    else:
        other_name = ""  # no one else is named on a member's own withdrawal

    if spec.heirs:
        payee_name = (other_name or "").strip()
        if not (payee_card or "").strip():
            errors["payee_card"] = ["请填写继承人的银行卡号"]
    payee_name = (payee_name or person.name).strip()[:60]
    card = (payee_card or account.bank_card or "").strip()
    if not card:
        errors["payee_card"] = ["请填写收款银行卡号"]
    else:
        try:
            card = clean_bank_card(card)
        except ValidationError as exc:
            errors["payee_card"] = list(exc.messages)

    ticked = [str(m) for m in (materials or [])]
    if channel == Channel.WINDOW:
        known = {m.code for m in spec.item.materials}
        unknown = [m for m in ticked if m not in known]
        if unknown:
            errors["materials"] = [f"材料编码不正确：{'、'.join(unknown)}"]
        missing = [m.name for m in spec.item.paper_materials if not m.condition and m.code not in ticked]
        if missing:
            errors["materials"] = [f"尚缺材料：{'、'.join(missing)}（可打印一次性告知单交申请人）"]
    if errors:
        raise ValidationError(errors)

    withdrawal = Withdrawal(
        number=next_withdrawal_number(),
        account=account, branch_id=account.unit.employer.branch_id, reason=spec.key, reason_code=spec.code,
        channel=channel, relation=relation, other_id_number=other, other_name=(other_name or "").strip()[:60],
        amount_requested=requested, closes_account=spec.closes_account, payee_name=payee_name, payee_card=card,
        details=clean, home_key=spec.home_key(clean) if spec.home_key else "", materials=ticked,
        submitted_by=actor, client_token=client_token,
    )
    try:
        with transaction.atomic():
            withdrawal.save()
    except IntegrityError as exc:
        text = str(exc)
        if "withdrawal_client_token" in text:
            earlier = Withdrawal.objects.get(submitted_by=actor, client_token=client_token)
            earlier.replayed = True
            return earlier
        if "withdrawal_one_in_flight" in text:
            raise ValidationError({"account": ["您已有一笔提取正在办理，办结后才能再次申请"]}) from exc
        raise
    audit_log(actor=actor, action="withdrawals.submitted", target=withdrawal,
              new={"reason": spec.key, "channel": channel, "amount": requested, "card": mask_bank_card(card)})
    from ..tasks import withdrawal_decide_task

    transaction.on_commit(lambda: withdrawal_decide_task.delay(withdrawal.pk), robust=True)
    return withdrawal


@transaction.atomic
def withdrawal_cancel(*, actor: Any, withdrawal: Withdrawal, reason: str = "") -> Withdrawal:
    """撤回 before any money moves: the member (own application) or a window clerk."""
    from fund.workflow.services import work_cancel

    withdrawal = Withdrawal.objects.select_for_update().select_related("account").get(pk=withdrawal.pk)
    roles = roles_of(actor)
    own = withdrawal.account.person_id == getattr(actor, "person_id", None)
    if not own and not roles.can_accept:
        raise PermissionDenied("只能撤回本人的提取申请")
    old = withdrawal.state
    if old not in (WithdrawalState.SUBMITTED, WithdrawalState.REVIEW):
        raise ValidationError({"state": [f"提取状态为“{withdrawal.get_state_display()}”，不能撤回"]})
    now = timezone.now()
    if Withdrawal.objects.filter(pk=withdrawal.pk, state=old).update(state=WithdrawalState.CANCELLED, ended_at=now) != 1:
        raise ValidationError({"state": ["状态已变化，请刷新后重试"]})
    withdrawal.state, withdrawal.ended_at = WithdrawalState.CANCELLED, now
    work_cancel(subject=withdrawal, actor=actor, reason="申请人撤回")
    audit_log(actor=actor, action="withdrawals.cancelled", target=withdrawal, old={"state": old},
              new={"state": WithdrawalState.CANCELLED, "reason": (reason or "")[:200]})
    track(withdrawal, actor=actor)  # moved by a plain UPDATE above: 我的办件 hears of it here
    return withdrawal
