"""好差评: inviting a finished application's applicant to rate it, taking the rating (online or by the SMS link),
and the follow-up (差评整改) a bad rating opens.

- `rating_invite` is a step listener of fund.tracking: when an application enters a finished step (办结 or 不予办理)
  it is invited once (a `RatingInvitation` row), and its applicant is texted a signed link (fund.ratings.tokens).
- `rating_submit` takes one rating: 1–5 stars and a comment; one per application (the row is locked and the
  unique constraint is the backstop, so two at once make one); a rating at or below the policy's bad line
  opens one `FollowUp` for the application's branch, due in working days.
- A follow-up's state moves by FOLLOW_UP_MOVES (compare-and-set, history, audit): 待分派 → 整改中 → 已办结.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from fund.audit.services import audit_log
from fund.people.models import Post
from fund.people.roles import roles_of
from fund.policy.selectors import policy_value
from fund.printing.address import public_base_url
from fund.tracking.models import Application, Outcome
from fund.validation import MOBILE, clean_text
from fund.workdays import add_working_days
from fund.workflow.moves import MoveTable, StaleStatus, move_status

from .models import (
    COMMENT_MAX_LENGTH,
    FollowUp,
    FollowUpOutcome,
    FollowUpState,
    Rating,
    RatingChannel,
    RatingInvitation,
)
from .tokens import BadToken, ExpiredToken, application_id_from_token, invite_token

FINISHED = (Outcome.DONE, Outcome.REFUSED)

FOLLOW_UP_MOVES = MoveTable(FollowUp, noun="差评整改", moves={
    FollowUpState.OPEN: {FollowUpState.ASSIGNED, FollowUpState.DONE},
    # Reassigning keeps the task in hand with a new person: a move of its own, with history and audit.
    FollowUpState.ASSIGNED: {FollowUpState.ASSIGNED, FollowUpState.DONE},
})


def rating_period(on: Any = None) -> timedelta:
    """How long after finishing an application may be rated (policy rating_invite_days)."""
    return timedelta(days=int(policy_value("rating_invite_days", on=on)))


def rating_open(application: Application, *, now: Any = None) -> bool:
    """Finished, still within the rating period, not rated yet."""
    now = now or timezone.now()
    if application.outcome not in FINISHED or application.finished_at is None:
        return False
    if application.finished_at + rating_period(timezone.localdate(now)) < now:
        return False
    return not Rating.objects.filter(application_id=application.pk).exists()


def rating_link(application_id: int) -> str:
    """The SMS link: the public address (FUND_PUBLIC_BASE_URL, else the request's) and the signed token."""
    return public_base_url() + reverse("service:ratings_link", args=[invite_token(application_id)])


def _applicant_phone(application: Application) -> str:
    if application.person_id is not None:
        phone = application.person.phone if application.person else ""
    else:
        phone = application.employer.contact_phone if application.employer else ""
    phone = (phone or "").strip()
    return phone if MOBILE.fullmatch(phone) else ""


def rating_step_listener(application_id: int, step_id: int) -> None:
    """fund.tracking's step listener (after commit): a finished application is invited to be rated."""
    rating_invite(application_id)


def rating_invite(application_id: int) -> RatingInvitation | None:
    """After commit, when an application enters a step: once it is finished, invite its applicant to rate it
    (the 待评价 list shows it by itself; the text carries the link). Runs once per application whatever the
    number of steps after (the invitation row is unique); a second finished step does nothing."""
    application = Application.objects.select_related("person", "employer").filter(pk=application_id).first()
    if application is None or application.outcome not in FINISHED:
        return None
    with transaction.atomic():
        invitation, created = RatingInvitation.objects.get_or_create(application=application)
        if not created:
            return None
        phone = _applicant_phone(application)
        if phone:
            days = int(policy_value("rating_invite_days"))
            verdict = "已办结" if application.outcome == Outcome.DONE else "已办理完毕（不予办理）"
            # A link needs the public address (FUND_PUBLIC_BASE_URL or the request's); without one the text
            # points to the hall's 待评价, never to a bare path no phone can open.
            link = rating_link(application.pk)
            where = f"{link} ，{days}天内有效" if link.startswith("http") else f"登录网上服务大厅“待评价”，{days}天内有效"
            text = f"您的住房公积金办件（编号 {application.number}）{verdict}。请对本次服务评价：{where}，每件限评一次。"
            RatingInvitation.objects.filter(pk=invitation.pk).update(texted=True)
            invitation.texted = True
            from fund.people.tasks import send_sms

            transaction.on_commit(lambda: send_sms.delay(phone, text), robust=True)
    return invitation


def _clean_stars(stars: Any) -> int:
    text = "" if stars is None or isinstance(stars, bool) else str(stars).strip()
    if text not in {"1", "2", "3", "4", "5"}:
        raise ValidationError({"stars": ["评价星级应为 1 至 5 星"]})
    return int(text)


def _clean_comment(comment: Any) -> str:
    try:
        return clean_text(comment, label="评价内容", max_length=COMMENT_MAX_LENGTH, required=False)
    except ValidationError as exc:
        raise ValidationError({"comment": exc.messages}) from exc


def rating_submit(*, application: Application, stars: Any, comment: Any = "", channel: str,
                  actor: Any = None) -> Rating:
    """Take one rating of `application` (already scoped to the rater by the caller, or named by a valid token).

    Refused, naming the field: stars outside 1–5, a comment too long; refused as a whole: an application not
    finished, past the rating period, or rated already. A bad rating opens its follow-up in the same
    transaction, so a rating never stands without the task it calls for."""
    value = _clean_stars(stars)
    text = _clean_comment(comment)
    now = timezone.now()
    try:
        with transaction.atomic():
            locked = Application.objects.select_for_update().get(pk=application.pk)
            if Rating.objects.filter(application=locked).exists():
                raise ValidationError("该办件已评价，每件只能评价一次，感谢您的参与")
            if locked.outcome not in FINISHED or locked.finished_at is None:
                raise ValidationError("该办件尚未办结，办结后才能评价")
            if locked.finished_at + rating_period(timezone.localdate(now)) < now:
                raise ValidationError(f"该办件已超过评价有效期（办结后 {rating_period().days} 天）")
            bad = value <= int(policy_value("rating_bad_stars"))
            rating = Rating.objects.create(application=locked, stars=value, comment=text, channel=channel,
                                           rated_by=actor if getattr(actor, "pk", None) else None, bad=bad)
            audit_log(actor=actor, action="ratings.rated", target=locked,
                      new={"stars": value, "rating_channel": channel, "rating_comment": text})
            if bad:
                _follow_up_open(rating, locked)
    except IntegrityError as exc:  # a second rating raced the first past the check: the constraint said no
        raise ValidationError("该办件已评价，每件只能评价一次，感谢您的参与") from exc
    return rating


def _follow_up_open(rating: Rating, application: Application) -> FollowUp:
    days = int(policy_value("rating_followup_days"))
    follow_up = FollowUp.objects.create(rating=rating, branch_id=application.branch_id,
                                        due_on=add_working_days(timezone.localdate(), days))
    audit_log(actor=None, action="ratings.follow_up.opened", target=follow_up,
              new={"stars": rating.stars, "follow_up_due": follow_up.due_on})
    return follow_up


def rating_by_token(token: str) -> Application:
    """The application a link's token names (no sign-in needed); refused with the reason a person can act on."""
    try:
        application_id = application_id_from_token(token, max_age=rating_period() + timedelta(days=1))
    except ExpiredToken as exc:
        raise ValidationError("评价链接已过期，请登录网厅在“待评价”中评价") from exc
    except BadToken as exc:
        raise ValidationError("评价链接无效，请核对短信中的链接") from exc
    application = Application.objects.filter(pk=application_id).first()
    if application is None:
        raise ValidationError("评价链接无效，请核对短信中的链接")
    return application


def rating_submit_by_token(*, token: str, stars: Any, comment: Any = "") -> Rating:
    """The SMS link's rating: the token names the application; it works once (one rating per application)."""
    return rating_submit(application=rating_by_token(token), stars=stars, comment=comment, channel=RatingChannel.SMS)


# ---- follow-ups (差评整改) ------------------------------------------------------------------------------------------

MANAGING_POSTS = (Post.DIRECTOR, Post.APPROVE)


def follow_up_may_assign(user: Any, follow_up: FollowUp) -> bool:
    """The branch's 审批 post or a director (centre-wide ones anywhere) hand a follow-up to someone."""
    roles = roles_of(user)
    if roles.staff is None or not any(roles.has_post(p) for p in MANAGING_POSTS):
        return False
    return roles.staff.centre_wide or roles.staff.branch_id == follow_up.branch_id


def follow_up_may_close(user: Any, follow_up: FollowUp) -> bool:
    """Whoever it is assigned to records the outcome, or one who may assign it."""
    if follow_up.state == FollowUpState.DONE:
        return False
    return (follow_up.assigned_to_id is not None and follow_up.assigned_to_id == getattr(user, "pk", None)) \
        or follow_up_may_assign(user, follow_up)


def _assignee_note(follow_up: FollowUp) -> dict[str, str]:
    person = follow_up.assigned_to
    return {"assignee": (person.get_full_name() or person.get_username()) if person is not None else ""}


def _move(follow_up: FollowUp, to: str, *, actor: Any, action: str, verb: str, note: dict[str, Any],
          **fields: Any) -> FollowUp:
    with transaction.atomic():
        locked = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
        try:
            move_status(locked, to, table=FOLLOW_UP_MOVES, actor=actor, action=action, verb=verb, note=note,
                        was=_assignee_note(locked) if "assigned_to" in fields else None, **fields)
        except StaleStatus as exc:
            raise ValidationError({"state": ["差评整改状态已被他人更改，请刷新后重试"]}) from exc
    return locked


def follow_up_assign(*, actor: Any, follow_up: FollowUp, assignee: Any) -> FollowUp:
    """Hand the follow-up to a staff member of its branch (or a centre-wide one)."""
    if not follow_up_may_assign(actor, follow_up):
        raise PermissionDenied("只有本管理部审批岗或分管领导可以分派差评整改")
    staff = roles_of(assignee).staff if assignee is not None else None
    if staff is None or not (staff.branch_id == follow_up.branch_id or staff.centre_wide):
        raise ValidationError({"assignee": ["请选择本管理部的工作人员"]})
    if follow_up.rating.application.handled_by_id == assignee.pk:
        raise ValidationError({"assignee": ["不能由被评价的经办人本人整改自己的差评，请另选人员"]})
    return _move(follow_up, FollowUpState.ASSIGNED, actor=actor, action="ratings.follow_up.assigned", verb="分派",
                 note={"assignee": assignee.get_full_name() or assignee.get_username()}, assigned_to=assignee, assigned_by=actor,
                 assigned_at=timezone.now())


def follow_up_close(*, actor: Any, follow_up: FollowUp, outcome: str, note: Any) -> FollowUp:
    """Record what was done (核实、整改、回访) and close the follow-up."""
    if not follow_up_may_close(actor, follow_up) and follow_up.state != FollowUpState.DONE:
        raise PermissionDenied("只有整改责任人或本管理部审批岗、分管领导可以办结差评整改")
    errors: dict[str, list[str]] = {}
    if outcome not in FollowUpOutcome.values:
        errors["outcome"] = ["请选择整改结果"]
    try:
        text = clean_text(note, label="整改情况", max_length=500)
    except ValidationError as exc:
        errors["outcome_note"] = exc.messages
        text = ""
    if errors:
        raise ValidationError(errors)
    return _move(follow_up, FollowUpState.DONE, actor=actor, action="ratings.follow_up.closed", verb="办结",
                 note={"follow_up_outcome": outcome, "follow_up_note": text}, outcome=outcome, outcome_note=text,
                 closed_by=actor, closed_at=timezone.now())
