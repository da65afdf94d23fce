"""One intake for every channel a loan application comes through (综合窗口, 个人网厅, 开发企业, 受托银行网点, API).

    application_submit(actor=…, channel=…, account=… | id_number=… [, borrower_name=…], fields={…}, co_borrowers=[…], …)
    application_confirm(actor=buyer, application=…)   # a developer's entry, confirmed by the buyer online
    application_accept(actor=clerk, application=…, materials=[…])   # an online one, accepted at the window

Every field is checked (a Chinese message naming it); the household is worked out from the marriage registry
(one application in flight per household: a partial unique index); the application is assessed (home order,
quota, eligibility: `assessment_for`) outside any transaction, since that asks outside systems; then it is
written in one transaction. The window and a bank outlet accept on the spot (materials ticked, one visit) and
the application goes straight to review (`approval.approval_open`); online, API and a developer's entry once
confirmed wait for a window clerk to accept them. A resubmitted form (same `client_token`) creates one
application. The two halves are also callable apart (`application_submit_prepare` outside any transaction,
`application_submit_accept` in the caller's), so a 一件事 bundle writes the application in its own transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from deposits.models import MemberAccount, MemberState
from deposits.selectors import member_accounts_for_holder_or_staff
from fund.audit.services import audit_log
from fund.integrations.base import IntegrationError, NotFound
from fund.money import format_money
from fund.numbers import next_number
from fund.people.models import Person
from fund.people.roles import roles_of
from fund.validation import (
    clean_resident_id,
)
from fund.workflow.moves import move_status

from ..catalogue import item_for
from ..models import (
    ApplicationState,
    Channel,
    CoBorrower,
    HomeKind,
    LoanApplication,
    Project,
    Relation,
)
from ..models.applications import IN_FLIGHT
from ..states import APPLICATION_MOVES
from .application_input import CoInput, clean_co_borrowers, clean_fields
from .assessment import Assessment, assessment_for
from .notify import application_notify
from .projects import project_lendable

ON_THE_SPOT = (Channel.WINDOW, Channel.BANK)  # accepted as they are submitted
OPEN_ACCOUNT_STATES = (MemberState.NORMAL,)


@dataclass
class Household:
    key: str
    spouse_id_number: str
    spouse_name: str


def next_application_number(on: date | None = None) -> str:
    """DK + the day + a sequence: the business number of a loan application, whichever channel makes it."""
    return next_number("loans_application_number_seq", f"DK{on or timezone.localdate():%Y%m%d}", 6)


def household_of(id_number: str) -> Household:
    """The borrower's household from the marriage registry (outside transactions): the borrower and the spouse,
    their ID numbers sorted and joined, is the key one application in flight is held to."""
    from fund.integrations import marriage_registry

    marriage = marriage_registry().status(id_number=id_number)
    spouse = marriage.spouse_id_number or ""
    return Household(key="+".join(sorted(filter(None, [id_number, spouse]))), spouse_id_number=spouse,
                     spouse_name=marriage.spouse_name or "")


def in_flight_for_household(key: str, exclude: int | None = None) -> LoanApplication | None:
    qs = LoanApplication.objects.filter(household_key=key, state__in=IN_FLIGHT)
    if exclude:
        qs = qs.exclude(pk=exclude)
    return qs.first()


def _in_flight_message(current: LoanApplication | None) -> str:
    which = f"（{current.number}，{current.get_state_display()}）" if current is not None else ""
    return f"借款人家庭已有一笔在办的住房公积金贷款申请{which}，同一家庭同时只能办理一笔，办结或撤回后才能再次申请"


def _co_identities(rows: list[CoInput], household: Household, errors: dict[str, list[str]]) -> list[Any]:
    """The identity registry's record of each co-borrower (outside transactions); the name must match, and a
    spouse must be the registry's spouse."""
    from fund.integrations import identity_registry

    found = []
    messages: list[str] = []
    for i, row in enumerate(rows, start=1):
        who = f"第{i}位共同借款人"
        try:
            identity = identity_registry().lookup(id_number=row.id_number)
        except NotFound:
            messages.append(f"{who}身份证号码在公安系统中查无此人")
            continue
        if identity.name != row.name:
            messages.append(f"{who}姓名与身份证号码不符")
        if not identity.alive:
            messages.append(f"{who}已死亡，不能作为共同借款人")
        if row.relation == Relation.SPOUSE and row.id_number != household.spouse_id_number:
            messages.append(f"{who}不是婚姻登记信息中借款人的配偶")
        found.append(identity)
    if messages:
        errors.setdefault("co_borrowers", []).extend(messages)
    return found


# ---- who submits what -----------------------------------------------------------------------------------

def _borrower_account(*, actor: Any, channel: str, account: Any, id_number: str,
                      errors: dict[str, list[str]], name: str = "") -> MemberAccount | None:
    """The borrower's account as the channel names it: the member's own (online, API), one in the window
    clerk's scope, or, for a developer's or a bank's operator, the normal account of the buyer's ID number.
    Anything else is refused on the field (someone else's account is no different from a missing one)."""
    qs = MemberAccount.objects.select_related("person", "unit__employer", "sub_account")
    if channel in (Channel.DEVELOPER, Channel.BANK):
        try:
            number = clean_resident_id(id_number or "").number
        except ValidationError as exc:
            errors["id_number"] = [f"借款人身份证号码：{m}" for m in exc.messages]
            return None
        found = qs.filter(person__id_number=number, state__in=OPEN_ACCOUNT_STATES).first()
        if found is None:
            errors["id_number"] = ["该身份证号码在本中心没有正常缴存的个人账户，不能申请住房公积金贷款"]
        elif (name or "").strip() and name.strip() != found.person.name:
            # A developer or an outlet names the buyer by ID number and name: a typo in either must not put the
            # application on somebody else's account.
            errors["borrower_name"] = ["借款人姓名与身份证号码不符"]
            return None
        return found
    pk = account.pk if isinstance(account, MemberAccount) else account
    try:
        pk = int(str(pk))
    except (TypeError, ValueError):
        errors["account"] = ["请选择借款人的个人账户"]
        return None
    if channel in (Channel.ONLINE, Channel.API):
        found = qs.filter(pk=pk, person_id=getattr(actor, "person_id", None) or -1).first()
    else:
        found = member_accounts_for_holder_or_staff(actor).filter(pk=pk).first()
    if found is None:
        errors["account"] = ["个人账户不存在，或不是可由您办理的账户（网上只能用本人账户申请）"]
        return None
    if found.state not in OPEN_ACCOUNT_STATES:
        errors["account"] = [f"个人账户状态为“{found.get_state_display()}”，不能申请住房公积金贷款"]
    return found


def _channel_party(actor: Any, channel: str) -> dict[str, Any]:
    """Who may submit through `channel`, and what the application records of them."""
    roles = roles_of(actor)
    if channel == Channel.WINDOW:
        if not roles.can_accept:
            raise PermissionDenied("只有受理岗可以在窗口受理贷款申请")
        return {}
    if channel == Channel.BANK:
        if not roles.is_bank_operator:
            raise PermissionDenied("只有受托银行网点的经办人可以在网点受理贷款申请")
        return {"bank_outlet": roles.bank}
    if channel == Channel.DEVELOPER:
        if not roles.is_developer:
            raise PermissionDenied("只有开发企业经办人可以录入购房人的贷款申请")
        return {}
    if channel in (Channel.ONLINE, Channel.API):
        if not roles.is_member:
            raise PermissionDenied("请以缴存职工身份登录后申请")
        return {}
    raise ValidationError({"channel": ["受理渠道不正确"]})


def _project(errors: dict[str, list[str]], raw: Any, *, actor: Any, channel: str, home_kind: str) -> Project | None:
    """The project of a new home: required from a developer (one of its own), and admitted for an off-plan
    home (`project_lendable`)."""
    if raw in (None, ""):
        if channel == Channel.DEVELOPER:
            errors["project"] = ["请选择购房人所购房屋的楼盘"]
        return None
    if home_kind and home_kind != HomeKind.NEW:
        errors["project"] = ["只有新建商品房需要选择楼盘"]
        return None
    pk = raw.pk if isinstance(raw, Project) else raw
    qs = Project.objects.select_related("developer")
    if channel == Channel.DEVELOPER:
        qs = qs.filter(developer__in=roles_of(actor).developers)
    try:
        project = qs.get(pk=int(str(pk)))
    except (Project.DoesNotExist, TypeError, ValueError):
        errors["project"] = ["楼盘不存在，或不是本企业的楼盘" if channel == Channel.DEVELOPER else "楼盘不存在"]
        return None
    reason = project_lendable(project)
    if reason:
        errors["project"] = [reason]
    return project


# ---- submit -----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PreparedApplication:
    """An application whose checks and assessment (the outside systems: marriage and identity registries, the
    property registry, the credit bureau) have run: the unsaved draft and what the accepting step, inside a
    transaction, writes with it (`application_submit_accept`)."""

    draft: LoanApplication
    values: dict[str, Any]


def application_submit(**kwargs: Any) -> LoanApplication:
    """Check, assess and write one application; raise ValidationError (field → Chinese messages), or
    PermissionDenied for a channel the actor may not use. A repeated `client_token` returns the first
    application, marked `replayed = True`. `application_submit_prepare` (outside any transaction), then
    `application_submit_accept`."""
    prepared = application_submit_prepare(**kwargs)
    return prepared if isinstance(prepared, LoanApplication) else application_submit_accept(prepared)


def application_submit_accept(prepared: PreparedApplication) -> LoanApplication:
    """The part of a submission that writes, in the caller's transaction if there is one (a 一件事 bundle runs it
    with its other parts, so a later part's refusal rolls the application back too)."""
    return _write(draft=prepared.draft, **prepared.values)


def application_submit_prepare(
    *,
    actor: Any,
    channel: str,
    fields: dict[str, Any],
    account: Any = None,
    id_number: str = "",
    co_borrowers: Any = None,
    materials: Any = (),
    client_token: str = "",
    borrower_name: str = "",
) -> LoanApplication | PreparedApplication:
    """Check and assess one application, outside any transaction; raise ValidationError (field → Chinese
    messages), or PermissionDenied for a channel the actor may not use. A repeated `client_token` returns the
    first application, marked `replayed = True`."""
    client_token = (client_token or "").strip()[:64]
    if client_token:
        earlier = LoanApplication.objects.filter(submitted_by=actor, client_token=client_token).first()
        if earlier is not None:
            earlier.replayed = True
            return earlier
    party = _channel_party(actor, channel)
    today = timezone.localdate()
    errors: dict[str, list[str]] = {}
    clean = clean_fields(fields, errors, today=today)
    borrower_account = _borrower_account(actor=actor, channel=channel, account=account, id_number=id_number,
                                         errors=errors, name=borrower_name)
    project = _project(errors, (fields or {}).get("project"), actor=actor, channel=channel,
                       home_kind=clean["home_kind"])
    borrower_id = borrower_account.person.id_number if borrower_account is not None else ""
    co_rows = clean_co_borrowers(co_borrowers, errors, borrower_id, today=today)
    ticked = _ticked(errors, materials, clean["home_kind"], co=bool(co_rows)) if channel in ON_THE_SPOT else []
    if errors:
        raise ValidationError(errors)
    assert borrower_account is not None
    field_name = "id_number" if channel in (Channel.DEVELOPER, Channel.BANK) else "account"

    # Outside systems, before any transaction: the household, the co-borrowers' identities, the assessment.
    try:
        household = household_of(borrower_id)
        current = in_flight_for_household(household.key)
        if current is not None:
            raise ValidationError({field_name: [_in_flight_message(current)]})
        identities = _co_identities(co_rows, household, errors)
        if errors:
            raise ValidationError(errors)
        draft = _draft(actor=actor, channel=channel, account=borrower_account, household=household, clean=clean,
                       project=project, party=party)
        co_borrowers = [
            (Person(id_number=r.id_number, name=r.name), MemberAccount.objects.select_related("sub_account").filter(
                person__id_number=r.id_number, state__in=OPEN_ACCOUNT_STATES).first())
            for r in co_rows
        ]
        assessment = assessment_for(draft, co_borrowers=co_borrowers)
    except IntegrationError as exc:
        raise ValidationError({"detail": [f"外部系统暂时无法核验（{exc}），请稍后再试"]}) from exc
    _assessed(draft, assessment, errors)
    if errors:
        raise ValidationError(errors)
    return PreparedApplication(draft, dict(co_rows=co_rows, identities=identities, ticked=ticked,
                                           client_token=client_token, field_name=field_name, today=today))


def _ticked(errors: dict[str, list[str]], materials: Any, home_kind: str, *, co: bool) -> list[str]:
    """The materials the window (or the outlet) took in: codes of the home kind's catalogue item; every paper
    material needed always (no condition) must be ticked, and the co-borrower's when there is one."""
    if not home_kind:
        return []
    item = item_for(home_kind)
    ticked = [str(m) for m in (materials or []) if isinstance(m, str | int)]
    unknown = [m for m in ticked if m not in {x.code for x in item.materials}]
    if unknown:
        errors["materials"] = [f"材料编码不正确：{'、'.join(unknown)}"]
        return []
    needed = [m for m in item.paper_materials
              if (not m.condition or (co and m.code.startswith("co_"))) and m.code not in ticked]
    if needed:
        errors["materials"] = [f"尚缺材料：{'、'.join(m.name for m in needed)}（可打印一次性告知单交申请人）"]
    return ticked


def _draft(*, actor: Any, channel: str, account: MemberAccount, household: Household, clean: dict[str, Any],
           project: Project | None, party: dict[str, Any]) -> LoanApplication:
    roles = roles_of(actor)
    developer = project.developer if channel == Channel.DEVELOPER and project is not None else None
    if channel == Channel.DEVELOPER and developer is None:
        developer = roles.developer
    return LoanApplication(
        channel=channel, branch_id=account.unit.employer.branch_id, borrower=account.person, account=account,
        household_key=household.key, spouse_id_number=household.spouse_id_number,
        spouse_name=household.spouse_name[:60], project=project, developer=developer, submitted_by=actor,
        **party, **clean,
    )


def _assessed(draft: LoanApplication, assessment: Assessment, errors: dict[str, list[str]]) -> None:
    """Store the assessment on the draft, and refuse at the door what could never be lent: a failed rule, a
    term the borrower's age or the building's does not allow, more than the quota."""
    quota = assessment.quota
    draft.home_order = assessment.home_order.order or ""
    draft.subsidy_eligible = assessment.subsidy.passed
    if assessment.conversion is not None:
        draft.conversion_balance = assessment.conversion.balance
    draft.monthly_debt = assessment.monthly_debt
    draft.quota = quota.amount
    draft.rate = quota.rate
    draft.quota_detail = {
        "limits": [{"code": lim.code, "label": lim.label, "amount": str(lim.amount), "explanation": lim.explanation,
                    "binding": bool(lim.binding)} for lim in quota.limits],
        "max_term_months": quota.max_term_months, "term_problems": list(quota.term_problems),
        "evidence": _jsonable(assessment.evidence),
    }
    draft.eligibility = [{"code": v.code, "label": v.label, "passed": bool(v.passed), "message": v.message,
                          "evidence": _jsonable(v.evidence)} for v in assessment.verdicts]
    failed = [v for v in assessment.verdicts if not v.passed]
    if failed:
        errors["eligibility"] = [f"{v.label}：{v.message}" for v in failed]
    if quota.term_problems:
        errors["term_months"] = list(quota.term_problems)
    elif quota.amount <= 0 and not failed:
        errors["amount_requested"] = ["按现有条件测算的可贷额度为 0，不能申请"]
    elif draft.amount_requested > quota.amount and not failed:
        binding = next((lim.label for lim in quota.limits if lim.binding), "")
        errors["amount_requested"] = [f"申请金额超过可贷额度 {format_money(quota.amount)} 元"
                                      + (f"（受“{binding}”限制）" if binding else "")]


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def _lock_token(actor: Any, client_token: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"loans.token:{actor.pk}:{client_token}"])


def _person_for(identity: Any) -> Person:
    person = Person.objects.filter(id_number=identity.id_number).first()
    if person is None:
        person = Person.objects.create(id_number=identity.id_number, name=identity.name, sex=identity.sex,
                                       birth_date=identity.birth_date)
    return person


def _write(*, draft: LoanApplication, co_rows: list[CoInput], identities: list[Any], ticked: list[str],
           client_token: str, field_name: str, today: date) -> LoanApplication:
    from .approval import approval_open

    actor = draft.submitted_by
    try:
        with transaction.atomic():
            if client_token:
                _lock_token(actor, client_token)
                first = LoanApplication.objects.filter(submitted_by=actor, client_token=client_token).first()
                if first is not None:
                    first.replayed = True
                    return first
            now = timezone.now()
            draft.number = next_application_number(today)
            draft.client_token = client_token
            draft.materials = ticked
            on_the_spot = draft.channel in ON_THE_SPOT
            draft.state = ApplicationState.DRAFT if draft.channel == Channel.DEVELOPER else ApplicationState.SUBMITTED
            draft.save()
            CoBorrower.objects.bulk_create([
                CoBorrower(application=draft, person=_person_for(identity), relation=row.relation,
                           monthly_income=row.monthly_income,
                           account=MemberAccount.objects.filter(person__id_number=row.id_number,
                                                                state__in=OPEN_ACCOUNT_STATES).first())
                for row, identity in zip(co_rows, identities, strict=True)
            ])
            audit_log(actor=actor, action="loans.application.submitted", target=draft,
                      new={"channel": draft.channel, "amount": draft.amount_requested, "quota": draft.quota,
                           "state": draft.state})
            if on_the_spot:
                move_status(draft, ApplicationState.REVIEWING, table=APPLICATION_MOVES, actor=actor,
                            action="loans.application.accepted", accepted_by=actor, accepted_at=now, visits=1)
                approval_open(draft, today=today)
            elif draft.channel == Channel.DEVELOPER:
                application_notify(draft, f"开发企业已为您录入住房公积金贷款申请（{draft.number}），请登录个人网厅核对并确认。")
            return draft
    except IntegrityError as exc:
        text = str(exc)
        if "loan_application_client_token" in text:
            earlier = LoanApplication.objects.get(submitted_by=actor, client_token=client_token)
            earlier.replayed = True
            return earlier
        if "loan_application_one_per_household" in text:
            raise ValidationError({field_name: [_in_flight_message(in_flight_for_household(draft.household_key))]}) from exc
        raise


# ---- the buyer confirms, the window accepts ----------------------------------------------------------------

@transaction.atomic
def application_confirm(*, actor: Any, application: LoanApplication) -> LoanApplication:
    """The buyer confirms, in the personal hall, what a developer's operator entered: it then waits for the
    window's acceptance like any online application."""
    application = LoanApplication.objects.select_for_update().get(pk=application.pk)
    if application.borrower_id != getattr(actor, "person_id", None):
        raise PermissionDenied("只有借款人本人可以确认")
    if application.state != ApplicationState.DRAFT:
        raise ValidationError({"state": [f"贷款申请状态为“{application.get_state_display()}”，无需确认"]})
    move_status(application, ApplicationState.SUBMITTED, table=APPLICATION_MOVES, actor=actor,
                action="loans.application.confirmed", verb="确认", confirmed_at=timezone.now())
    return application


def application_accept(*, actor: Any, application: LoanApplication, materials: Any = ()) -> LoanApplication:
    """受理 at the window of an application submitted online, by API or confirmed by the buyer: the materials
    are ticked, the applicant's visit counted, and the application goes to review."""
    from .approval import approval_open

    if not roles_of(actor).can_accept:
        raise PermissionDenied("只有受理岗可以受理贷款申请")
    errors: dict[str, list[str]] = {}
    with transaction.atomic():
        application = LoanApplication.objects.select_for_update().get(pk=application.pk)
        if application.state != ApplicationState.SUBMITTED:
            raise ValidationError({"state": [f"贷款申请状态为“{application.get_state_display()}”，不能受理"]})
        ticked = _ticked(errors, materials, application.home_kind, co=application.co_borrowers.exists())
        if errors:
            raise ValidationError(errors)
        move_status(application, ApplicationState.REVIEWING, table=APPLICATION_MOVES, actor=actor,
                    action="loans.application.accepted", verb="受理", accepted_by=actor, accepted_at=timezone.now(),
                    materials=ticked, visits=application.visits + 1)
        approval_open(application)
        return application


@transaction.atomic
def application_withdraw(*, actor: Any, application: LoanApplication, reason: str = "") -> LoanApplication:
    """撤回 before signing: the borrower (own application), the developer who entered a draft, or a window clerk."""
    from fund.workflow.services import work_cancel

    application = LoanApplication.objects.select_for_update().get(pk=application.pk)
    roles = roles_of(actor)
    own = application.borrower_id == getattr(actor, "person_id", None)
    entered = application.state == ApplicationState.DRAFT and application.developer in roles.developers
    if not (own or entered or roles.can_accept):
        raise PermissionDenied("只能撤回本人的贷款申请")
    move_status(application, ApplicationState.WITHDRAWN, table=APPLICATION_MOVES, actor=actor,
                action="loans.application.withdrawn", verb="撤回", ended_at=timezone.now(),
                note={"reason": (reason or "")[:200]})
    work_cancel(subject=application, actor=actor, reason="申请人撤回")
    return application
