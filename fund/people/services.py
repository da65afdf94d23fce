"""Creating logins and binding them to what they act for. Every change is audited."""

import hashlib
import hmac
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from guardian.shortcuts import assign_perm, get_objects_for_user, remove_perm

from fund.audit.services import audit_log
from fund.validation import CONTROL

from .models import (
    Branch,
    Developer,
    Employer,
    EntrustedBank,
    OneTimeCode,
    PasswordResetRequest,
    Person,
    StaffProfile,
    User,
)

CODE_TTL = timedelta(minutes=10)
CODE_MAX_ATTEMPTS = 5
RESET_WINDOW = timedelta(hours=1)
RESET_MAX_PER_USER = 5
RESET_MAX_PER_IP = 20


def staff_create(
    *, actor: Any, username: str, name: str, branch: Branch, posts: list[str], employee_number: str,
    password: str, centre_wide: bool = False,
) -> User:
    with transaction.atomic():
        user = User(username=username, first_name=name)
        validate_password(password, user)
        user.set_password(password)
        # Auditors read the admin site; other staff work in the staff workspace only.
        user.is_staff = "audit" in posts
        user.full_clean()
        user.save()
        StaffProfile.objects.create(
            user=user, branch=branch, posts=posts, centre_wide=centre_wide, employee_number=employee_number
        )
        audit_log(actor=actor, action="people.staff.created", target=user,
                  new={"branch": branch.code, "posts": posts, "centre_wide": centre_wide})
    return user


def person_branch_follow(*, actor: Any, person: Person, branch: Branch) -> None:
    """Which branch's staff may see a person follows their account: when it moves to a unit of another branch,
    the person moves too, and the move is recorded."""
    if person.branch_id == branch.pk:
        return
    old_branch = person.branch_id
    person.branch = branch
    person.save(update_fields=["branch"])
    audit_log(actor=actor, action="people.person.branch_changed", target=person,
              old={"branch": old_branch}, new={"branch": person.branch_id})


def operator_bind(
    *, actor: Any, user: User, employer: Employer | None = None, developer: Developer | None = None,
    bank: EntrustedBank | None = None,
) -> None:
    """Make `user` the operator of one employer, developer or entrusted bank; any earlier binding of that kind
    ends."""
    targets = [(perm, target) for perm, target in (("people.act_for_employer", employer),
                                                   ("people.act_for_developer", developer),
                                                   ("people.act_for_bank", bank)) if target is not None]
    if len(targets) != 1:
        raise ValueError("bind to exactly one employer, developer or bank")
    perm, target = targets[0]
    with transaction.atomic():
        previous: Employer | Developer | EntrustedBank
        for previous in get_objects_for_user(user, perm, accept_global_perms=False):
            if previous != target:
                remove_perm(perm, user, previous)
        assign_perm(perm, user, target)
        audit_log(actor=actor, action="people.operator.bound", target=user, new={"perm": perm, "object": target.pk})
    user.__dict__.pop("_fund_roles", None)


def operator_create(
    *, actor: Any, username: str, name: str, password: str | None, phone: str = "",
    employer: Employer | None = None, developer: Developer | None = None, bank: EntrustedBank | None = None,
) -> User:
    """An operator's login bound to what they act for. Without a password the login cannot be used until its
    holder sets one by SMS code to `phone` (登录页“忘记密码”): a login made for someone else is never sent with a
    password in it."""
    with transaction.atomic():
        user = User(username=username, first_name=name, phone=phone)
        if password is None:
            user.set_unusable_password()
        else:
            validate_password(password, user)
            user.set_password(password)
        user.full_clean()
        user.save()
        operator_bind(actor=actor, user=user, employer=employer, developer=developer, bank=bank)
    return user


def member_login_create(*, person: Person, password: str | None = None) -> User:
    """A member's login: the user name is the resident ID number. Without a password the login is unusable
    until the member sets one by SMS code."""
    user = User.objects.filter(person=person).first()
    if user is not None:
        return user
    user = User(username=person.id_number, first_name=person.name, person=person, phone=person.phone)
    if password is None:
        user.set_unusable_password()
    else:
        validate_password(password, user)
        user.set_password(password)
    user.save()
    audit_log(actor=None, action="people.member_login.created", target=user, new={"person": person.pk})
    return user


def _hash_code(code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), code.encode(), hashlib.sha256).hexdigest()


def _user_for_reset(key: str, phone: str) -> User | None:
    """The login whose phone on file is `phone`, or None. The phone is checked before anything is written:
    a member without a login gets one only when the pair matches."""
    phone = phone.strip()
    if not phone:
        return None
    user = User.objects.filter(username__iexact=key).first() or User.objects.filter(person__id_number=key).first()
    if user is not None:
        known_phone = user.phone or (user.person.phone if user.person else "")
        return user if known_phone and known_phone == phone else None
    person = Person.objects.filter(id_number=key).first()
    if person is None or not person.phone or person.phone != phone or not person.fund_accounts.exists():
        return None
    # A member who has never signed in: the reset sets their first password.
    try:
        with transaction.atomic():
            return member_login_create(person=person)
    except IntegrityError:
        # A concurrent request created it (or the ID number is taken as someone's user name).
        return User.objects.filter(person=person).first()


def _reset_is_limited(*, user: User, since: Any) -> bool:
    # Locks the login's row, so two requests for one account count one after the other.
    User.objects.select_for_update().filter(pk=user.pk).first()
    sent = OneTimeCode.objects.filter(user=user, purpose="password_reset", created_at__gte=since).count()
    return sent >= RESET_MAX_PER_USER


def password_reset_request(*, username: str, phone: str, ip: str | None = None) -> bool:
    """Send a 6-digit code to the phone on file, from a task once the request's writes are committed.

    At most RESET_MAX_PER_USER codes per login and RESET_MAX_PER_IP requests per address in RESET_WINDOW.
    Answers True only when a code was queued; the caller shows the same page whatever the answer, so the
    form cannot be used to find out who is registered. The return value is for logging only.
    """
    from .tasks import send_sms

    # No login name holds a control character: one shows as "?" in the record, and then matches no one.
    key = CONTROL.sub("?", username.strip().upper())
    now = timezone.now()
    since = now - RESET_WINDOW
    with transaction.atomic():
        by_ip = ip is not None and PasswordResetRequest.objects.filter(ip=ip, at__gte=since).count() >= RESET_MAX_PER_IP
        log = PasswordResetRequest.objects.create(username=key[:150], ip=ip)
        if by_ip:
            return False
        user = _user_for_reset(key, phone)
        if user is None or _reset_is_limited(user=user, since=since):
            return False
        code = f"{secrets.randbelow(10**6):06d}"
        OneTimeCode.objects.filter(user=user, purpose="password_reset", used_at__isnull=True).update(used_at=now)
        OneTimeCode.objects.create(
            user=user, purpose="password_reset", code_hash=_hash_code(code), expires_at=now + CODE_TTL
        )
        PasswordResetRequest.objects.filter(pk=log.pk).update(sent=True)
        to = phone.strip()
        text = f"【{settings.FUND_CENTRE_NAME}】您的密码重置验证码为 {code}，10分钟内有效。如非本人操作请忽略。"
        transaction.on_commit(lambda: send_sms.delay(to, text), robust=True)
    return True


def password_reset_confirm(*, username: str, code: str, new_password: str) -> User:
    """Check the SMS code (single use, 10 minutes, 5 tries) and set the new password."""
    key = username.strip().upper()
    user = User.objects.filter(username__iexact=key).first() or User.objects.filter(person__id_number=key).first()
    otp = None
    if user is not None:
        otp = (
            OneTimeCode.objects.filter(
                user=user, purpose="password_reset", used_at__isnull=True, expires_at__gt=timezone.now()
            )
            .order_by("-id")
            .first()
        )
    if user is None or otp is None or otp.attempts >= CODE_MAX_ATTEMPTS:
        raise ValidationError({"code": ["验证码已失效，请重新获取"]})
    if not hmac.compare_digest(otp.code_hash, _hash_code(code.strip())):
        # Counted outside any transaction the caller may roll back, so guessing stays limited.
        OneTimeCode.objects.filter(pk=otp.pk).update(attempts=F("attempts") + 1)
        raise ValidationError({"code": ["验证码不正确"]})
    try:
        validate_password(new_password, user)
    except ValidationError as exc:
        raise ValidationError({"new_password1": exc.messages}) from exc
    with transaction.atomic():
        # Compare-and-set: a code is used once even if two requests race.
        if not OneTimeCode.objects.filter(pk=otp.pk, used_at__isnull=True).update(used_at=timezone.now()):
            raise ValidationError({"code": ["验证码已失效，请重新获取"]})
        user.set_password(new_password)
        user.save(update_fields=["password"])
        audit_log(actor=user, action="people.password.reset", target=user, new={"via": "sms"})
    return user
