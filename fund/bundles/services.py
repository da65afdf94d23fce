"""Running a bundle (一件事), and the 跨省通办 entry and window queue.

A bundle runs in two phases. First every part's check, outside any transaction: identity at the public
security register, a card at the bank — whatever asks an outside system (fund.integrations refuses to be asked
inside a transaction). Then every part's run in ONE durable transaction: a part that refuses half-way rolls
back what the parts before it wrote, so a refused bundle leaves nothing behind, and the applicant is told which
part refused and on which field. Texts go out only after the commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from fund.audit.masking import mask_phone
from fund.audit.services import audit_log
from fund.catalogue.registry import Channel, ServiceItem, catalogue_item, catalogue_items
from fund.integrations import identity_registry
from fund.integrations.base import IntegrationError, NotFound
from fund.numbers import next_number
from fund.people.models import Person
from fund.people.roles import roles_of
from fund.validation import clean_into, clean_line, clean_mobile, clean_person_name, clean_resident_id
from fund.workflow.moves import move_status

from .models import BundleRun, BundleRunPart, CrossProvinceRequest, CrossState, IdentityCheck
from .registry import Bundle, BundleContext, BundlePart, bundle_get, bundle_parts, cross_province_entry
from .states import CROSS_MOVES

RUN_SEQUENCE = "bundles_run_number_seq"
CROSS_SEQUENCE = "bundles_cross_number_seq"


# 身份核验 --------------------------------------------------------------------------------------------------

def identity_verify(ctx: BundleContext | None, *, id_number: str, name: str) -> Any:
    """The public security register's record of this person, whose name must be the one given. Outside any
    transaction (a part's check calls it). Refusals name the field: id_number (unknown, unreachable) or name."""
    try:
        record = identity_registry().lookup(id_number=id_number)
    except NotFound as exc:
        raise ValidationError({"id_number": ["公安身份核验未通过：查无此身份证号码"]}) from exc
    except IntegrationError as exc:
        raise ValidationError({"id_number": ["公安身份核验系统暂不可用，请稍后再试"]}) from exc
    if record.name != (name or "").strip():
        raise ValidationError({"name": ["公安身份核验未通过：姓名与身份证号码不一致"]})
    if not record.alive:
        raise ValidationError({"id_number": ["公安身份核验未通过：该身份证号码登记为已死亡"]})
    if ctx is not None and record.call_id:
        ctx.identity_call_ids.append(record.call_id)
    return record


# 一件事 ----------------------------------------------------------------------------------------------------

def bundle_portal(actor: Any, bundle: Bundle) -> str:
    """The portal `actor` runs the bundle from: the window (受理 staff), a unit's operator or the member.
    PermissionDenied when none of the bundle's portals is the actor's."""
    roles = roles_of(actor)
    if "staff" in bundle.portals and roles.is_staff:
        if not roles.can_accept:
            raise PermissionDenied("只有受理岗可以在窗口办理一件事")
        return "staff"
    if "unit" in bundle.portals and roles.is_unit_operator:
        return "unit"
    if "member" in bundle.portals and roles.is_member:
        return "member"
    raise PermissionDenied("您不能办理此一件事")


def _named(part: BundlePart, exc: ValidationError) -> ValidationError:
    """The part's refusal with the part named in each message, kept on its fields."""
    if hasattr(exc, "error_dict"):
        return ValidationError({field: [f"{part.label}：{m}" for m in messages]
                                for field, messages in exc.message_dict.items()})
    return ValidationError({"bundle": [f"{part.label}：{m}" for m in exc.messages]})


def bundle_run(*, actor: Any, code: str, inputs: dict[str, Any], client_token: str = "") -> BundleRun:
    """Run the bundle `code` for `actor` with `inputs`: every part's check, then every part in one transaction.
    A repeated `client_token` returns the first run (marked `replayed`). Raises ValidationError (field →
    Chinese messages naming the part), PermissionDenied for a user who may not run it."""
    bundle = bundle_get(str(code or ""))
    if bundle is None:
        raise ValidationError({"bundle": [f"一件事“{code}”不存在"]})
    portal = bundle_portal(actor, bundle)
    client_token = (client_token or "").strip()[:64]
    if client_token:
        first = BundleRun.objects.filter(submitted_by=actor, client_token=client_token).first()
        if first is not None:
            first.replayed = True  # type: ignore[attr-defined]
            return first
    parts = bundle_parts(bundle)
    channel = Channel.WINDOW if portal == "staff" else Channel.ONLINE
    ctx = BundleContext(bundle=bundle, actor=actor, channel=str(channel), inputs=dict(inputs or {}))
    ctx.found["portal"] = portal
    ctx.found["client_token"] = client_token
    for part in parts:  # outside any transaction; a later check may read what an earlier one found
        if part.check is not None:
            try:
                part.check(ctx)
            except ValidationError as exc:
                raise _named(part, exc) from exc
    try:
        return _run_parts(ctx, parts, client_token)
    except IntegrityError as exc:  # the same token committed first by a concurrent request
        if client_token and "bundles_run_client_token" in str(exc):
            first = BundleRun.objects.get(submitted_by=actor, client_token=client_token)
            first.replayed = True  # type: ignore[attr-defined]
            return first
        raise


def _run_parts(ctx: BundleContext, parts: list[BundlePart], client_token: str) -> BundleRun:
    bundle, actor = ctx.bundle, ctx.actor
    with transaction.atomic(durable=True):
        if client_token:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"bundles.token:{actor.pk}:{client_token}"])
            first = BundleRun.objects.filter(submitted_by=actor, client_token=client_token).first()
            if first is not None:
                first.replayed = True  # type: ignore[attr-defined]
                return first
        for part in parts:
            try:
                ctx.results[part.code] = part.run(ctx)
            except ValidationError as exc:
                raise _named(part, exc) from exc
        if ctx.branch_id is None:
            raise ValidationError({"bundle": [f"“{bundle.name}”未能确定申请人，请联系中心"]})
        run = BundleRun.objects.create(
            number=next_number(RUN_SEQUENCE, f"YJS{timezone.localdate():%Y%m%d}", 6), bundle=bundle.code,
            title=f"{bundle.name} · {ctx.applicant_name}"[:200], channel=ctx.channel, branch_id=ctx.branch_id,
            person_id=ctx.person_id, employer_id=ctx.employer_id, lookup_suffix=ctx.lookup_suffix,
            submitted_by=actor, client_token=client_token, identity_call_ids=ctx.identity_call_ids,
        )
        BundleRunPart.objects.bulk_create([
            BundleRunPart(
                run=run, position=index, code=part.code, label=part.label,
                summary=ctx.results[part.code].summary[:300],
                subject_type=ContentType.objects.get_for_model(subject) if subject is not None else None,
                subject_id=subject.pk if subject is not None else None,
            )
            for index, part in enumerate(parts, start=1)
            for subject in [ctx.results[part.code].subject]
        ])
        audit_log(actor=actor, action="bundles.run.done", target=run,
                  new={"bundle": bundle.code, "parts": [p.code for p in parts], "channel": ctx.channel})
        for fn in ctx.on_commit:
            transaction.on_commit(fn, robust=True)
    return run


# 跨省通办 --------------------------------------------------------------------------------------------------

def cross_province_items() -> list[ServiceItem]:
    """The catalogue's items marked 跨省通办, in guide order."""
    return [item for item in catalogue_items() if Channel.CROSS_PROVINCE in item.channels]


def cross_item_online(item: ServiceItem) -> bool:
    """A member does it in the personal hall: it is offered online and a line says where."""
    return Channel.ONLINE in item.channels and cross_province_entry(item.code) is not None


class TooManyChecks(ValidationError):
    """Too many failed identity checks for this ID number or from this address in the window."""

    def __init__(self, retry_after: int) -> None:
        super().__init__({"id_number": ["身份核验失败次数过多，请稍后再试"]})
        self.retry_after = retry_after


def _window() -> timedelta:
    return timedelta(minutes=int(getattr(settings, "FUND_CROSS_CHECK_WINDOW_MINUTES", 15)))


def _max_failures() -> int:
    return int(getattr(settings, "FUND_CROSS_CHECK_MAX_FAILURES", 5))


def _throttled(id_number: str, ip: str | None) -> bool:
    failures = IdentityCheck.objects.filter(at__gte=timezone.now() - _window(), ok=False)
    if failures.filter(id_number=id_number).count() >= _max_failures():
        return True
    # An address may verify several people (a family), but not try ID numbers endlessly.
    return bool(ip) and failures.filter(ip=ip).count() >= _max_failures() * 4


@dataclass(frozen=True)
class CrossVerified:
    item: ServiceItem
    person: Person
    call_id: int | None


def cross_identity_verify(*, item_code: str, name: str, id_number: str, ip: str | None) -> CrossVerified:
    """A member from outside the province proves who they are: name and ID number at the public security
    register, and a member of this centre by that name. Each attempt is counted; after too many failures for
    the ID number or the address, TooManyChecks (asked nothing). Outside any transaction."""
    errors: dict[str, list[str]] = {}
    item = next((i for i in cross_province_items() if i.code == str(item_code or "")), None)
    if item is None:
        errors["item"] = ["请选择跨省通办事项"]
    resident = clean_into(errors, "id_number", clean_resident_id, id_number)
    name = clean_into(errors, "name", clean_person_name, name) or ""
    if errors:
        raise ValidationError(errors)
    assert resident is not None and item is not None
    number = resident.number
    if _throttled(number, ip):
        raise TooManyChecks(int(_window().total_seconds()))
    try:
        record = identity_verify(None, id_number=number, name=name)
        person = Person.objects.filter(id_number=number).first()
        if person is None or person.name != name:
            raise ValidationError({"id_number": ["本中心未查到您的住房公积金缴存记录，请向缴存地公积金中心申请"]})
    except ValidationError:
        IdentityCheck.objects.create(id_number=number, ip=ip, ok=False)
        raise
    IdentityCheck.objects.create(id_number=number, ip=ip, ok=True)
    return CrossVerified(item=item, person=person, call_id=record.call_id)


def cross_request_submit(
    *, item_code: str, name: str, id_number: str, phone: str, province: str = "", note: str = "", ip: str | None,
) -> CrossProvinceRequest:
    """A verified member asks the 通办 window to do an item for them; they are texted the request's number."""
    errors: dict[str, list[str]] = {}
    phone = clean_into(errors, "phone", clean_mobile, phone) or ""
    province = clean_into(errors, "province", clean_line, province, label="现居省份", max_length=20,
                          required=False) or ""
    note = clean_into(errors, "note", clean_line, note, label="诉求说明", max_length=300, required=False) or ""
    if errors:
        raise ValidationError(errors)
    verified = cross_identity_verify(item_code=item_code, name=name, id_number=id_number, ip=ip)
    branch = verified.person.branch
    if branch is None:  # a person on file with no branch yet: no queue would see the request
        raise ValidationError({"id_number": ["未查到您的所属管理部，请拨打 12329 服务热线办理"]})
    with transaction.atomic(durable=True):
        request = CrossProvinceRequest.objects.create(
            number=next_number(CROSS_SEQUENCE, f"KS{timezone.localdate():%Y%m%d}", 5), item_code=verified.item.code,
            item_name=verified.item.name, person=verified.person, branch=branch, phone=phone,
            province=province, note=note, identity_call_id=verified.call_id,
        )
        audit_log(actor=None, action="bundles.cross.submitted", target=request,
                  new={"item": verified.item.code, "phone": mask_phone(phone)})
        text = (f"您的跨省通办申请（{request.number}，{verified.item.name}）已提交，通办窗口工作人员将电话联系您，"
                "全程无需到现场。")
        _text_on_commit(phone, text)
    return request


def _text_on_commit(phone: str, text: str) -> None:
    from fund.people.tasks import send_sms

    transaction.on_commit(lambda: send_sms.delay(phone=phone, text=text), robust=True)


def cross_request_take(*, actor: Any, request: CrossProvinceRequest) -> CrossProvinceRequest:
    """A 受理 clerk of the request's branch takes it up (the caller fetched it through the scoped selector)."""
    if not roles_of(actor).can_accept:
        raise PermissionDenied("只有受理岗可以受理跨省通办申请")
    with transaction.atomic(durable=True):
        move_cross(request, CrossState.TAKEN, actor=actor, action="bundles.cross.taken", verb="受理",
                   taken_by=actor, taken_at=timezone.now())
    return request


def cross_request_finish(*, actor: Any, request: CrossProvinceRequest, done: bool, result: str) -> CrossProvinceRequest:
    """The clerk who took it records the outcome (办结 or 不予办理, with what was done or why); the member is
    texted. A waiting request may be refused without taking it; only the clerk who took one finishes it."""
    if not roles_of(actor).can_accept:
        raise PermissionDenied("只有受理岗可以办理跨省通办申请")
    errors: dict[str, list[str]] = {}
    result = clean_into(errors, "result", clean_line, result, label="办理结果", max_length=300) or ""
    if request.state == CrossState.TAKEN and request.taken_by_id != actor.pk:
        errors["state"] = ["该申请由其他工作人员受理，只能由受理人办结"]
    if errors:
        raise ValidationError(errors)
    to = CrossState.DONE if done else CrossState.REFUSED
    with transaction.atomic(durable=True):
        move_cross(request, to, actor=actor, action="bundles.cross.done" if done else "bundles.cross.refused",
                   verb="办结" if done else "不予办理", reason=result, result=result, finished_at=timezone.now())
        outcome = "已办结" if done else "不予办理"
        _text_on_commit(request.phone, f"您的跨省通办申请（{request.number}，{request.item_name}）{outcome}：{result}")
    return request


def move_cross(request: CrossProvinceRequest, to: str, *, actor: Any, action: str, verb: str, reason: str = "",
               **fields: Any) -> None:
    move_status(request, to, table=CROSS_MOVES, action=action, actor=actor, verb=verb, reason=reason, **fields)


def cross_item(code: str) -> ServiceItem | None:
    try:
        item = catalogue_item(code)
    except KeyError:
        return None
    return item if Channel.CROSS_PROVINCE in item.channels else None
