"""A unit's applications to defer (缓缴) or to lower its ratios (降比例): submitted by the unit, decided in two
steps by different people through fund.workflow (the staff inbox), in effect for their months, with the
months owed recorded as a back-pay obligation."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from fund.audit.services import audit_log
from fund.dates import add_months, first_of_month, months_between
from fund.numbers import next_number
from fund.people.models import Post
from fund.people.selectors import scoped
from fund.policy.selectors import policy_value
from fund.workflow.flows import FlowSpec, StepSpec, register_flow
from fund.workflow.models import WorkItem
from fund.workflow.moves import move_status
from fund.workflow.services import work_act, work_cancel, work_open, work_open_item, work_refusal

from ..models import (
    ACTIVE_MEMBER_STATES,
    AccountBusiness,
    ApplicationKind,
    ApplicationState,
    BackPayState,
    MemberAccount,
    RatioSource,
    UnitAccount,
    UnitApplication,
    UnitState,
)
from ..states import APPLICATION_MOVES, BACKPAY_MOVES
from .accounts import unit_ratio_change_record
from .contribution import check_ratio, monthly_amounts
from .lifecycle_rules import (
    ACTION_LABELS,
    account_event,
    application_move,
    lock_unit,
    operator_of,
    plain_values,
    require,
    unit_move,
    window_staff,
)

# Deferral and ratio-reduction applications are decided in two steps by different people, through the shared
# flow machinery: they wait in the staff inbox (待办) of the unit's branch, due in working days by policy.
APPLICATION_FLOW = register_flow(FlowSpec(
    name="deposits.unit_application", label="缓缴/降比例审批", deadline_policy="deposit_application_review_days",
    steps=(StepSpec("review", "初审", (Post.REVIEW,)), StepSpec("approve", "审批", (Post.APPROVE, Post.DIRECTOR))),
))

# The longest period one deferral or ratio reduction may cover is the policy `deposit_deferral_max_months`
# (缓缴/降比例最长期限), read for the day the unit applies.

# ---- deferral and ratio reduction -----------------------------------------------------------------------

@transaction.atomic(durable=True)
def unit_application_submit(
    *,
    actor: Any,
    unit: UnitAccount,
    kind: str,
    start_month: date,
    end_month: date,
    reason: str,
    unit_ratio: Decimal | None = None,
    member_ratio: Decimal | None = None,
    today: date | None = None,
) -> UnitApplication:
    """A unit applies to defer (缓缴) or to lower its ratios (降比例) for whole months from this month on."""
    today = today or timezone.localdate()
    unit = lock_unit(unit)
    require(operator_of(actor, unit) or window_staff(actor, unit))
    errors: dict[str, list[str]] = {}
    if kind not in ApplicationKind.values:
        errors["kind"] = ["申请类型应为缓缴或降低缴存比例"]
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = ["请填写申请理由"]
    elif len(reason) > 500:
        errors["reason"] = ["申请理由不能超过500字"]
    start_month, end_month = first_of_month(start_month), first_of_month(end_month)
    if start_month < first_of_month(today):
        errors["start_month"] = ["起始年月不能早于本月"]
    if end_month < start_month:
        errors["end_month"] = ["截止年月不能早于起始年月"]
    elif months_between(start_month, end_month) > (longest := int(policy_value("deposit_deferral_max_months", today))):
        errors["end_month"] = [f"一次申请最长 {longest} 个月"]
    if unit.state != UnitState.NORMAL:
        errors["unit"] = [f"单位账户状态为“{unit.get_state_display()}”，不能申请"]
    elif unit.applications.filter(state__in=["submitted", "reviewed", "approved", "in_effect"]).exists():
        errors["unit"] = ["本单位已有未办结的缓缴或降比例申请"]
    if kind == ApplicationKind.RATIO_REDUCTION:
        if unit_ratio is None:
            errors["unit_ratio"] = ["请填写申请的单位缴存比例"]
        if member_ratio is None:
            errors["member_ratio"] = ["请填写申请的个人缴存比例"]
        if unit_ratio is not None and member_ratio is not None and "start_month" not in errors:
            check_ratio(errors, "unit_ratio", "单位缴存比例", unit_ratio, start_month)
            check_ratio(errors, "member_ratio", "个人缴存比例", member_ratio, start_month)
            if unit_ratio > unit.unit_ratio:
                errors.setdefault("unit_ratio", []).append(f"降比例申请不能高于现行单位缴存比例 {unit.unit_ratio:.0%}")
            if member_ratio > unit.member_ratio:
                errors.setdefault("member_ratio", []).append(f"降比例申请不能高于现行个人缴存比例 {unit.member_ratio:.0%}")
            if unit_ratio == unit.unit_ratio and member_ratio == unit.member_ratio:
                errors.setdefault("unit_ratio", []).append("申请比例与现行比例相同")
    else:
        unit_ratio = member_ratio = None
    if errors:
        raise ValidationError(errors)
    application = UnitApplication(
        number=next_number("deposits_application_number_seq", f"HJ{today:%Y}", 6), unit=unit, kind=kind,
        start_month=start_month, end_month=end_month, reason=reason, unit_ratio=unit_ratio, member_ratio=member_ratio,
        applicant=actor,
    )
    application.full_clean()
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as exc:  # a concurrent application for the same unit committed first
        raise ValidationError({"unit": ["本单位已有未办结的缓缴或降比例申请"]}) from exc
    audit_log(actor=actor, action="deposits.application.submitted", target=application,
              new={"kind": kind, "unit": unit.number, "start_month": start_month, "end_month": end_month,
                   "unit_ratio": unit_ratio, "member_ratio": member_ratio}, reason=reason)
    # 初审 and 审批 wait in the branch's staff inbox, due by the policy's working days.
    work_open(spec=APPLICATION_FLOW, subject=application, branch=unit.employer.branch, applicant=actor, today=today)
    return application


def _lock_application(application: UnitApplication) -> UnitApplication:
    return UnitApplication.objects.select_for_update(of=("self", "unit")).select_related("unit__employer").get(pk=application.pk)


def _open_step(actor: Any, application: UnitApplication, step: str, approve: bool, opinion: str) -> WorkItem:
    """The application's open step `step`, when `actor` may decide it (fund.workflow's rule: the step's post in
    the unit's branch, not the applicant, not whoever decided the step before)."""
    item = work_open_item(application)
    if item is None or item.step != step:
        target = ApplicationState.REVIEWED if step == "review" else ApplicationState.APPROVED
        raise APPLICATION_MOVES.refusal(application.state, target, ACTION_LABELS[step])
    refusal = work_refusal(actor=actor, item=item)
    if refusal:
        raise PermissionDenied(refusal)
    if not approve and not opinion:
        raise ValidationError({"opinion": ["驳回时请填写意见"]})
    return item


@transaction.atomic(durable=True)
def unit_application_review(*, actor: Any, application: UnitApplication, approve: bool, opinion: str = "") -> UnitApplication:
    """初审: a reviewer (初审岗) who did not apply passes it on to 审批, or rejects it."""
    application = _lock_application(application)
    opinion = (opinion or "").strip()[:500]
    item = _open_step(actor, application, "review", approve, opinion)
    work_act(actor=actor, item=item, approve=approve, opinion=opinion)
    application_move(
        application, ApplicationState.REVIEWED if approve else ApplicationState.REJECTED, actor=actor,
        action="deposits.application.reviewed" if approve else "deposits.application.rejected",
        verb="初审" if approve else "驳回", note={"opinion": opinion}, reviewer=actor, reviewed_at=timezone.now(),
        review_opinion=opinion,
    )
    return application


@transaction.atomic(durable=True)
def unit_application_approve(
    *, actor: Any, application: UnitApplication, approve: bool, opinion: str = "", today: date | None = None
) -> UnitApplication:
    """审批: an approver (审批岗 or director) other than the applicant and the reviewer decides. Approval records
    the back-pay obligation; a period that has begun takes effect at once, a later one on its first day."""
    today = today or timezone.localdate()
    application = _lock_application(application)
    opinion = (opinion or "").strip()[:500]
    item = _open_step(actor, application, "approve", approve, opinion)
    if not approve:
        work_act(actor=actor, item=item, approve=False, opinion=opinion)
        application_move(application, ApplicationState.REJECTED, actor=actor, action="deposits.application.rejected",
                          verb="驳回", note={"opinion": opinion}, approver=actor, approved_at=timezone.now(),
                          approve_opinion=opinion)
        return application
    unit = lock_unit(application.unit)
    if unit.state != UnitState.NORMAL:
        raise ValidationError({"state": [f"单位账户状态为“{unit.get_state_display()}”，不能批准"]})
    if application.end_month < first_of_month(today):
        raise ValidationError({"state": ["申请期间已过，不能批准，请驳回"]})
    work_act(actor=actor, item=item, approve=True, opinion=opinion)
    application_move(application, ApplicationState.APPROVED, actor=actor, action="deposits.application.approved",
                      verb="审批", note={"backpay_state": BackPayState.OWED, "opinion": opinion}, approver=actor,
                      approved_at=timezone.now(), approve_opinion=opinion, backpay_state=BackPayState.OWED)
    if application.start_month <= first_of_month(today):
        application.unit = unit
        application_start(application=application, actor=actor)
    return application


@transaction.atomic(durable=True)
def unit_application_withdraw(*, actor: Any, application: UnitApplication) -> UnitApplication:
    """撤回 before 初审: the applicant or the unit's operator. Its open step leaves the staff inbox."""
    application = _lock_application(application)
    require(application.applicant_id == actor.pk or operator_of(actor, application.unit))
    application_move(application, ApplicationState.WITHDRAWN, actor=actor, action="deposits.application.withdrawn",
                      verb="撤回")
    work_cancel(subject=application, actor=actor, reason="申请人撤回")
    return application


@transaction.atomic(durable=True)
def unit_backpay_settle(*, actor: Any, application: UnitApplication, note: str = "") -> UnitApplication:
    """Mark a back-pay obligation 已补缴 once the 补缴 bills for its months are paid (受理 staff)."""
    application = _lock_application(application)
    require(window_staff(actor, application.unit))
    if application.backpay_state != BackPayState.OWED:
        raise ValidationError({"state": ["该申请没有待补缴义务"]})
    if application.state not in (ApplicationState.ENDED, ApplicationState.IN_EFFECT):
        raise ValidationError({"state": ["申请尚未生效，不能登记补缴完成"]})
    move_status(application, BackPayState.SETTLED, table=BACKPAY_MOVES, actor=actor,
                action="deposits.application.backpay_settled", verb="登记补缴完成", reason=note[:500],
                backpay_settled_at=timezone.now())
    return application


def _recompute_members(unit: UnitAccount, on: date) -> int:
    """New ratios: every active member's monthly amounts from their base (monthly_amounts rounds per policy)."""
    members = list(unit.members.select_for_update().filter(state__in=ACTIVE_MEMBER_STATES).order_by("pk"))
    for member in members:
        member.unit_monthly, member.member_monthly = monthly_amounts(
            base=member.base, unit_ratio=unit.unit_ratio, member_ratio=unit.member_ratio, on=on
        )
    MemberAccount.objects.bulk_update(members, ["unit_monthly", "member_monthly"], batch_size=1000)
    return len(members)


def _set_ratios(
    unit: UnitAccount, unit_ratio: Decimal, member_ratio: Decimal, on: date, *, source: str, actor: Any,
    application: UnitApplication | None = None,
) -> int:
    """The unit's ratios from month `on`: the current figures, the ratio history (so a later 补缴 for an
    earlier month still finds that month's ratios) and every member's monthly amounts, in one transaction."""
    unit.unit_ratio, unit.member_ratio = unit_ratio, member_ratio
    unit.save(update_fields=["unit_ratio", "member_ratio"])
    unit_ratio_change_record(unit=unit, effective_month=on, source=source, actor=actor, application=application)
    return _recompute_members(unit, on)


def application_start(*, application: UnitApplication, actor: Any = None) -> UnitApplication:
    """Non-durable core: the approved period begins. Deferral: unit 正常 → 缓缴 (no 汇缴 bill, no deposit);
    ratio reduction: the unit's ratios change and members' monthly amounts are recomputed."""
    unit = lock_unit(application.unit)
    if application.kind == ApplicationKind.DEFERRAL:
        old, new = unit_move(unit, "defer", actor=actor, reason=application.number)
        account_event(unit=unit, business_type=AccountBusiness.DEFERRAL, summary="缓缴开始", actor=actor, old_state=old,
               new_state=new, reason=application.reason,
               detail={"application": application.number, "from": f"{application.start_month:%Y-%m}",
                       "to": f"{application.end_month:%Y-%m}"})
        fields: dict[str, Any] = {}
    else:
        if unit.state != UnitState.NORMAL:
            raise ValidationError({"state": [f"单位账户状态为“{unit.get_state_display()}”，不能生效"]})
        assert application.unit_ratio is not None and application.member_ratio is not None
        before = {"unit_ratio": unit.unit_ratio, "member_ratio": unit.member_ratio}
        fields = {"previous_unit_ratio": unit.unit_ratio, "previous_member_ratio": unit.member_ratio}
        count = _set_ratios(unit, application.unit_ratio, application.member_ratio, application.start_month,
                            source=RatioSource.REDUCTION, actor=actor, application=application)
        after = {"unit_ratio": unit.unit_ratio, "member_ratio": unit.member_ratio, "members_recomputed": count}
        account_event(unit=unit, business_type=AccountBusiness.OTHER, summary="降低缴存比例", actor=actor,
               reason=application.reason, detail={"application": application.number, "old": plain_values(before), "new": plain_values(after)})
        audit_log(actor=actor, action="deposits.unit.ratio_reduced", target=unit, old=before, new=after,
                  reason=application.number)
    application_move(application, ApplicationState.IN_EFFECT, actor=actor, action="deposits.application.started",
                      verb="生效", effective_at=timezone.now(), **fields)
    return application


def application_end(*, application: UnitApplication, actor: Any = None) -> UnitApplication:
    """Non-durable core: the period is over. Deferral: 缓缴 → 正常; ratio reduction: the previous ratios return."""
    unit = lock_unit(application.unit)
    if application.kind == ApplicationKind.DEFERRAL:
        old, new = unit_move(unit, "end_deferral", actor=actor, reason=application.number)
        account_event(unit=unit, business_type=AccountBusiness.DEFERRAL, summary="缓缴期满恢复正常", actor=actor,
               old_state=old, new_state=new, detail={"application": application.number})
    elif unit.state != UnitState.CLOSED and application.previous_unit_ratio is not None:
        assert application.previous_member_ratio is not None
        before = {"unit_ratio": unit.unit_ratio, "member_ratio": unit.member_ratio}
        count = _set_ratios(unit, application.previous_unit_ratio, application.previous_member_ratio,
                            add_months(application.end_month, 1), source=RatioSource.REDUCTION_END, actor=actor,
                            application=application)
        after = {"unit_ratio": unit.unit_ratio, "member_ratio": unit.member_ratio, "members_recomputed": count}
        account_event(unit=unit, business_type=AccountBusiness.OTHER, summary="降比例期满恢复原比例", actor=actor,
               detail={"application": application.number, "old": plain_values(before), "new": plain_values(after)})
        audit_log(actor=actor, action="deposits.unit.ratio_restored", target=unit, old=before, new=after,
                  reason=application.number)
    application_move(application, ApplicationState.ENDED, actor=actor, action="deposits.application.ended",
                      verb="到期", ended_at=timezone.now())
    return application


def unit_applications_due_run(*, today: date | None = None) -> dict[str, int]:
    """The daily job: approved periods that have begun take effect; periods whose last month is over end.
    Each application in its own transaction; running it twice the same day changes nothing more."""
    today = today or timezone.localdate()
    month = first_of_month(today)
    done = {"started": 0, "ended": 0, "skipped": 0}
    due_start = UnitApplication.objects.filter(state=ApplicationState.APPROVED, start_month__lte=month).values_list("pk", flat=True)
    due_end = UnitApplication.objects.filter(state=ApplicationState.IN_EFFECT, end_month__lt=month).values_list("pk", flat=True)
    for key, pks, step in (("started", list(due_start), application_start), ("ended", list(due_end), application_end)):
        for pk in pks:
            try:
                with transaction.atomic():
                    application = UnitApplication.objects.select_for_update().get(pk=pk)
                    if application.state != (ApplicationState.APPROVED if key == "started" else ApplicationState.IN_EFFECT):
                        continue
                    step(application=application, actor=None)
            except ValidationError:
                done["skipped"] += 1  # the unit moved meanwhile (e.g. sealed); staff see it in the queue
            else:
                done[key] += 1
    return done


# ---- reads for the pages and the API ---------------------------------------------------------------------

def unit_applications_for_user(user: Any) -> QuerySet[UnitApplication]:
    queryset = UnitApplication.objects.select_related("unit__employer__branch", "applicant", "reviewer", "approver")
    return scoped(queryset, user, branch="unit__employer__branch", employer="unit__employer")


def application_steps(application: UnitApplication) -> list[dict[str, Any]]:
    """For includes/steps.html: 提交 → 初审 → 审批 → 生效 → 到期, each with who holds it by post (the unit's
    operator, the branch's 初审岗 and 审批岗, the system), never a person's name: the unit sees these steps."""
    state = application.state
    order = ["submitted", "reviewed", "approved", "in_effect", "ended"]
    labels = ["提交申请", "初审", "审批", "生效", "到期"]
    branch = application.unit.employer.branch.name
    holders = ["单位经办人", f"{branch}{Post.REVIEW.label}岗", f"{branch}{Post.APPROVE.label}岗", "期间开始自动生效",
               "期满自动到期"]
    whens = [application.submitted_at, application.reviewed_at, application.approved_at, application.effective_at,
             application.ended_at]
    if state in (ApplicationState.REJECTED, ApplicationState.WITHDRAWN):
        failed_at = 2 if application.approver_id else (1 if application.reviewer_id else (1 if state == "rejected" else 0))
        steps = []
        for i, label in enumerate(labels[:failed_at + 1]):
            if i < failed_at:
                steps.append({"label": label, "state": "done", "when": whens[i], "holder": holders[i]})
            else:
                steps.append({"label": f"{label}（{application.get_state_display()}）", "state": "failed",
                              "when": whens[i] if state == "rejected" else None, "holder": holders[i]})
        return steps
    reached = order.index(state)
    out = []
    for i, label in enumerate(labels):
        out.append({"label": label, "state": "done" if i <= reached else ("current" if i == reached + 1 else "todo"),
                    "when": whens[i] if i <= reached else None, "holder": holders[i]})
    return out


def backpay_months(application: UnitApplication) -> list[date]:
    months, month = [], application.start_month
    while month <= application.end_month:
        months.append(month)
        month = add_months(month, 1)
    return months


