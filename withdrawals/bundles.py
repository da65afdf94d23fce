"""Withdrawals' part of the 退休一件事 bundle (fund.bundles): the retirement withdrawal (03, 销户提取), and where the
跨省通办 retirement withdrawal is done in the personal hall.

The check finds the account (the member's own, or the one the window clerk names), verifies the member at the
public security register and runs the submission's outside checks (`withdrawal_submit_prepare`: the door rules,
the payee's card at the bank); the run accepts it in the bundle's transaction (`withdrawal_submit_accept`), so
a later part's refusal withdraws it too. Its decision (秒批) is queued on commit, as for any withdrawal.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from deposits.models import ACTIVE_MEMBER_STATES, MemberAccount
from deposits.selectors import member_accounts_for_holder_or_staff
from fund.bundles.registry import (
    BundleContext,
    BundlePart,
    PartResult,
    register_bundle_part,
    register_cross_province_entry,
)
from fund.bundles.services import identity_verify

from .models import Channel, Withdrawal
from .services.application import PreparedSubmission, withdrawal_submit_accept, withdrawal_submit_prepare

RETIREMENT_REASON = "03"


def _account_for(ctx: BundleContext) -> MemberAccount:
    accounts = member_accounts_for_holder_or_staff(ctx.actor).filter(state__in=ACTIVE_MEMBER_STATES)
    if ctx.found.get("portal") == "member":
        account = accounts.filter(person_id=ctx.actor.person_id).order_by("-opened_on", "-id").first()
        if account is None:
            raise ValidationError({"account": ["您没有可办理退休提取的个人账户"]})
        return account
    number = str(ctx.inputs.get("account_number") or "").strip()
    account = accounts.filter(number=number).first() if number else None
    if account is None:
        raise ValidationError({"account_number": ["请填写个人账号" if not number else "未找到该个人账号，或该账户已销户"]})
    return account


def _retirement_check(ctx: BundleContext) -> None:
    account = _account_for(ctx)
    person = account.person
    identity_verify(ctx, id_number=person.id_number, name=person.name)
    ctx.found["member_account"] = account
    token = ctx.found.get("client_token") or ""
    prepared = withdrawal_submit_prepare(
        actor=ctx.actor, account=account, reason=RETIREMENT_REASON,
        channel=Channel.WINDOW if ctx.found.get("portal") == "staff" else Channel.ONLINE,
        payee_card=str(ctx.inputs.get("payee_card") or "").strip(),
        materials=list(ctx.inputs.get("materials") or []),
        client_token=f"bundle:{token}" if token else "",
    )
    ctx.found["withdrawal"] = prepared
    ctx.applicant(branch_id=account.unit.employer.branch_id, person_id=person.pk,
                  suffix=person.id_number, name=person.name)


def _retirement_run(ctx: BundleContext) -> PartResult:
    prepared = ctx.found["withdrawal"]
    withdrawal = prepared if isinstance(prepared, Withdrawal) else withdrawal_submit_accept(prepared)
    assert isinstance(prepared, Withdrawal | PreparedSubmission)
    return PartResult(f"退休提取已受理（{withdrawal.number}），提取全部余额（含利息），付至银行卡尾号 "
                      f"{withdrawal.payee_card[-4:]}", subject=withdrawal)


def register_bundle_parts() -> None:
    """Withdrawals' part and 跨省通办 entry (WithdrawalsConfig.ready, after the reasons' catalogue items)."""
    register_bundle_part(BundlePart("withdrawals.retirement", "退休提取", "TQ-03", run=_retirement_run,
                                    check=_retirement_check))
    register_cross_province_entry("TQ-03", "member:withdrawal_apply", RETIREMENT_REASON)


register_bundle_parts()
