"""Loans' side of fund.bundles: the two parts of the 贷款+不动产抵押登记一件事 bundle (YJS-03), and where a member
does the 跨省通办 loan items in the personal hall (full prepayment and the payoff certificate are on the loan's own
page, reached from 我的贷款).

`loans.application` is the loan application for a new home (DK-01, its materials are the bundle's): its check
finds the borrower's account (the member's own, or the one the window clerk names), verifies the borrower at the
public security register and runs the intake's outside checks and assessment (`application_submit_prepare`:
marriage registry, quota, eligibility, the property registry, the credit bureau); its run writes the application
in the bundle's transaction (`application_submit_accept`). Online it waits for the window's acceptance like any
online application; at the window it is accepted on the spot with the materials ticked.
`loans.mortgage_request` files the mortgage registration with it: its check asks the property registry about the
home (`mortgage_request_check`), its run files the request as 待发送 in the same transaction, and the request is sent
to the registry after commit (services/mortgage_request.py). A refusal of either part writes neither; an
application refused or withdrawn later cancels its request, or releases the registration it made.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from deposits.selectors import member_accounts_for_holder_or_staff
from fund.audit.actions import register_actions, register_audit_keys, register_audit_values
from fund.bundles.registry import (
    BundleContext,
    BundlePart,
    PartResult,
    register_bundle_part,
    register_cross_province_entry,
)
from fund.bundles.services import identity_verify
from fund.integrations.models import MortgageKind
from fund.money import format_money
from fund.workflow.moves import register_move_listener

from .catalogue import item_for
from .models import Channel, HomeKind, LoanApplication, MortgageRequestState, Project
from .services.applications import (
    OPEN_ACCOUNT_STATES,
    PreparedApplication,
    application_submit_accept,
    application_submit_prepare,
)
from .services.mortgage_request import application_ended, mortgage_request_check, mortgage_request_file

# The application's fields the bundle's form asks for (fund/bundles/definitions.py, YJS-03), passed on as typed.
FIELDS = ("home_address", "purchase_contract", "certificate_number", "price", "area", "monthly_income",
          "amount_requested", "term_months")


def _account_for(ctx: BundleContext) -> Any:
    accounts = member_accounts_for_holder_or_staff(ctx.actor).filter(state__in=OPEN_ACCOUNT_STATES)
    if ctx.found.get("portal") == "member":
        account = accounts.filter(person_id=ctx.actor.person_id).order_by("-opened_on", "-id").first()
        if account is None:
            raise ValidationError({"account": ["您没有正常缴存的个人账户，不能申请住房公积金贷款"]})
        return account
    number = str(ctx.inputs.get("account_number") or "").strip()
    account = accounts.filter(number=number).first() if number else None
    if account is None:
        raise ValidationError({"account_number": ["请填写借款人的个人账号" if not number
                                                  else "未找到该个人账号，或该账户不是正常缴存状态"]})
    return account


def _project(ctx: BundleContext) -> int | None:
    """The project named on the form (its name as the developer registered it), or None for a home outside one."""
    name = str(ctx.inputs.get("project") or "").strip()
    if not name:
        return None
    found = list(Project.objects.filter(name=name).values_list("pk", flat=True)[:2])
    if len(found) != 1:
        raise ValidationError({"project": [f"未找到名为“{name}”的楼盘" if not found else f"名为“{name}”的楼盘不止一个，请到窗口办理"]})
    return found[0]


def _application_check(ctx: BundleContext) -> None:
    account = _account_for(ctx)
    person = account.person
    identity_verify(ctx, id_number=person.id_number, name=person.name)
    fields: dict[str, Any] = {name: ctx.inputs.get(name) for name in FIELDS}
    fields["home_kind"] = HomeKind.NEW
    fields["project"] = _project(ctx)
    # The window ticks the bundle's materials; the intake knows them by the new-home item's codes.
    known = {m.code for m in item_for(HomeKind.NEW).materials}
    token = ctx.found.get("client_token") or ""
    ctx.found["loan_application"] = application_submit_prepare(
        actor=ctx.actor, channel=Channel.WINDOW if ctx.found.get("portal") == "staff" else Channel.ONLINE,
        account=account, fields=fields, materials=[m for m in ctx.inputs.get("materials") or () if m in known],
        client_token=f"bundle:{token}" if token else "",
    )
    ctx.found["member_account"] = account
    ctx.applicant(branch_id=account.unit.employer.branch_id, person_id=person.pk, suffix=person.id_number,
                  name=person.name)


def _application_run(ctx: BundleContext) -> PartResult:
    prepared = ctx.found["loan_application"]
    application = prepared if isinstance(prepared, LoanApplication) else application_submit_accept(prepared)
    ctx.found["loan_application"] = application
    then = "已受理，进入审核" if application.accepted_at else "待综合窗口受理"
    return PartResult(f"住房公积金贷款申请已提交（{application.number}），申请 {format_money(application.amount_requested)} 元、"
                      f"{application.term_months} 个月，{then}", subject=application)


def _mortgage_check(ctx: BundleContext) -> None:
    prepared = ctx.found.get("loan_application")
    if prepared is None:
        raise ValidationError({"bundle": ["须与住房公积金贷款申请一并办理"]})
    draft = prepared.draft if isinstance(prepared, PreparedApplication) else prepared
    ctx.found["mortgage_request"] = mortgage_request_check(
        draft, owner_id_numbers=[draft.borrower.id_number, draft.spouse_id_number])


def _mortgage_run(ctx: BundleContext) -> PartResult:
    request = mortgage_request_file(prepared=ctx.found["mortgage_request"], application=ctx.found["loan_application"],
                                    actor=ctx.actor)
    what = "抵押权预告登记（预抵押）" if request.kind == MortgageKind.PRE else "抵押登记"
    return PartResult(f"{what}申请已提交不动产登记机构（业务编号 {request.reference}），登记结果短信告知", subject=request)


def register_bundle_parts() -> None:
    """Loans' parts and 跨省通办 entries (LoansConfig.ready, after the catalogue items)."""
    register_bundle_part(BundlePart("loans.application", "住房公积金贷款申请", "DK-01", run=_application_run,
                                    check=_application_check))
    register_bundle_part(BundlePart("loans.mortgage_request", "不动产抵押登记申请", "", run=_mortgage_run,
                                    check=_mortgage_check))
    # An application refused or withdrawn takes its mortgage request with it.
    register_move_listener("loans.mortgage_request", application_ended)
    register_actions({
        "loans.mortgage_request.filed": "提交抵押登记申请（一件事）",
        "loans.mortgage_request.registered": "抵押登记申请已登记",
        "loans.mortgage_request.refused": "抵押登记申请未办理",
        "loans.mortgage_request.send_failed": "抵押登记申请发送失败",
        "loans.mortgage_request.cancelled": "撤销抵押登记申请（贷款申请已终止）",
        "loans.mortgage_request.released": "注销抵押登记（贷款申请已终止）",
        "loans.mortgage_request.release_failed": "注销抵押登记失败",
    })
    register_audit_values("state", MortgageRequestState, prefix="loans.mortgage_request")
    register_audit_keys({"reference": "业务编号", "application": "贷款申请编号"})
    register_cross_province_entry("DK-04", "member:loan-loans")
    register_cross_province_entry("DK-05", "member:loan-loans")


register_bundle_parts()
