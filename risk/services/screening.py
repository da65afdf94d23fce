"""The screening engine (电子稽核 and fraud detection): rules over registered checks, run on one subject as
its business commits (a Celery task the audit listener queues), over a business date at night (close step
140), and at the payment gate; the hits they find, worked by 稽核 staff; the red-line hold on payments.

Hits are unique per rule + subject + finding key, so any number of screenings of one subject store each
finding once. A check raising does not stop the others: its error is logged and the rest still screen.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from fund.audit.models import AuditEvent
from fund.audit.services import audit_log
from fund.people.models import Post
from fund.people.roles import roles_of
from fund.validation import clean_line, clean_text
from fund.workflow.moves import MoveTable, move_status

from ..models import HIT_STANDING, FoundBy, HitState, ScreeningHit, ScreeningRecord, ScreeningRule
from ..screening.registry import Check, Finding, Level, check_get, checks, checks_for
from ..selectors.hits import hits_for_user, hits_may_work

log = logging.getLogger(__name__)

HIT_MOVES = MoveTable(ScreeningHit, noun="稽核疑点", moves={
    HitState.OPEN: {HitState.CONFIRMED, HitState.DISMISSED, HitState.RECTIFYING},
    HitState.CONFIRMED: {HitState.RECTIFYING, HitState.RECTIFIED},
    HitState.RECTIFYING: {HitState.RECTIFIED},
})

# Default rules start in force from a day before any business the system holds, so the night's sweep of any
# date and the screening of old subjects apply them.
DEFAULT_EFFECTIVE_FROM = date(2000, 1, 1)

# The actions whose subjects are screened as they commit (fund.audit listeners); risk's own are not.
SCREENED_ACTIONS = ("withdrawals.", "loans.application.", "loans.loan.", "deposits.correction.",
                    "deposits.member.changed", "policy.value.", "people.person.")


# ---- rules ------------------------------------------------------------------------------------------------------

def rules_sync() -> int:
    """One default rule per registered check that has none yet (the check's code, label, level and description).
    Returns how many were created. Runs after every migrate, so a newly registered check gets its rule."""
    have = set(ScreeningRule.objects.values_list("code", flat=True))
    missing = [ScreeningRule(code=c.code, check_code=c.code, label=c.label[:80], category=c.category, level=c.level,
                             description=c.description, effective_from=DEFAULT_EFFECTIVE_FROM)
               for c in checks() if c.code not in have]
    ScreeningRule.objects.bulk_create(missing, ignore_conflicts=True)
    return len(missing)


def _in_force(on: date) -> models.QuerySet[ScreeningRule]:
    return ScreeningRule.objects.filter(enabled=True, effective_from__lte=on).filter(
        models.Q(effective_until__isnull=True) | models.Q(effective_until__gt=on))


def rules_may_manage(user: Any) -> bool:
    return roles_of(user).has_post(Post.AUDIT)


def _field(field: str, cleaner: Any, raw: Any, **options: Any) -> str:
    """One input cleaned by its fund.validation rule, its error under the field's name."""
    try:
        return cleaner(raw, **options)
    except ValidationError as exc:
        raise ValidationError({field: list(exc.messages)}) from exc


def _clean_params(check: Check, params: Any) -> dict[str, Any]:
    if params in (None, ""):
        return {}
    if not isinstance(params, dict):
        raise ValidationError({"params": ["参数须为 JSON 对象，如 {\"amount\": \"50000\"}"]})
    unknown = sorted(set(params) - set(check.params))
    if unknown:
        known = "、".join(check.params) or "无"
        raise ValidationError({"params": [f"检查项“{check.label}”没有参数 {'、'.join(unknown)}（可设：{known}）"]})
    for name, value in params.items():
        if not isinstance(value, (str, int, float)) or isinstance(value, bool) or len(str(value)) > 40:
            raise ValidationError({"params": [f"参数 {name} 须为数字或不超过 40 字的文字"]})
    return dict(params)


def rule_add(
    *, actor: Any, check: str, code: str, label: str, level: str, params: Any = None, effective_from: date,
    description: str = "",
) -> ScreeningRule:
    """A centre's own rule over a registered check, with its own params and level."""
    if not rules_may_manage(actor):
        raise PermissionDenied("只有稽核岗可以设置稽核规则")
    spec = check_get(check)
    if spec is None:
        raise ValidationError({"check": ["检查项不存在"]})
    code = (code or "").strip()
    if not code or len(code) > 60 or not all(ch.isalnum() or ch in "._-" for ch in code) or not code.isascii():
        raise ValidationError({"code": ["规则编号须为 1–60 位字母、数字、点、下划线或横线"]})
    if level not in Level.values:
        raise ValidationError({"level": ["风险等级须为 1–4"]})
    label = _field("label", clean_line, label, label="规则名称", max_length=80)
    description = _field("description", clean_text, description, label="规则说明", max_length=500, required=False)
    cleaned = _clean_params(spec, params)
    try:
        with transaction.atomic():
            rule = ScreeningRule.objects.create(
                code=code, check_code=spec.code, label=label, category=spec.category, level=level, params=cleaned,
                effective_from=effective_from, description=description or spec.description, created_by=actor)
            audit_log(actor=actor, action="risk.screening.rule_added", target=rule,
                      new={"check": spec.code, "level": level, "params": cleaned, "effective_from": effective_from})
    except IntegrityError as exc:
        raise ValidationError({"code": [f"规则编号 {code} 已存在"]}) from exc
    return rule


def rule_switch(*, actor: Any, rule: ScreeningRule, on: bool, from_date: date) -> ScreeningRule:
    """Switch a rule on from `from_date` (in force from then, with no end), or off from `from_date` (no longer in
    force that day; at or before its start it is simply disabled)."""
    if not rules_may_manage(actor):
        raise PermissionDenied("只有稽核岗可以设置稽核规则")
    with transaction.atomic():
        rule = ScreeningRule.objects.select_for_update().get(pk=rule.pk)
        old = {"enabled": rule.enabled, "effective_from": rule.effective_from, "effective_until": rule.effective_until}
        if on:
            rule.enabled, rule.effective_from, rule.effective_until = True, from_date, None
        elif from_date <= rule.effective_from:
            rule.enabled, rule.effective_until = False, None
        else:
            rule.effective_until = from_date
        rule.save(update_fields=["enabled", "effective_from", "effective_until", "updated_at"])
        audit_log(actor=actor, action="risk.screening.rule_switched", target=rule, old=old,
                  new={"enabled": rule.enabled, "effective_from": rule.effective_from,
                       "effective_until": rule.effective_until})
    return rule


# ---- screening ----------------------------------------------------------------------------------------------------

def _path(obj: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


def _facts(subject: models.Model, finding: Finding) -> tuple[int | None, str]:
    """The branch and the person's ID number a hit is filed under."""
    branch_id = finding.evidence.get("branch_id")
    if branch_id is None:
        for path in ("branch_id", "account.person.branch_id", "borrower.branch_id", "person.branch_id",
                     "unit.employer.branch_id", "loan.branch_id"):
            branch_id = _path(subject, path)
            if branch_id is not None:
                break
    id_number = str(finding.evidence.get("id_number") or "")
    if not id_number:
        for path in ("account.person.id_number", "borrower.id_number", "person.id_number", "id_number"):
            value = _path(subject, path)
            if isinstance(value, str) and value:
                id_number = value
                break
    return branch_id, id_number[:18]


def _store(rule: ScreeningRule, subject: models.Model, finding: Finding, found_by: str,
           content_type: ContentType) -> ScreeningHit | None:
    """Store a finding once; None when this rule already found it on this subject."""
    key = (finding.key or "")[:120]
    if ScreeningHit.objects.filter(rule=rule, subject_type=content_type, subject_id=subject.pk, key=key).exists():
        return None
    branch_id, id_number = _facts(subject, finding)
    try:
        with transaction.atomic():
            return ScreeningHit.objects.create(
                rule=rule, subject_type=content_type, subject_id=subject.pk, subject_label=str(subject)[:200],
                branch_id=branch_id, id_number=id_number, category=rule.category, level=rule.level,
                summary=finding.summary[:300], evidence=finding.evidence, key=key, found_by=found_by)
    except IntegrityError:  # another screening of the same subject stored it a moment ago
        return None


def _findings(check: Check, rule: ScreeningRule, subject: models.Model) -> list[Finding]:
    try:
        return list(check.screen(subject, {**check.params, **rule.params}) if check.screen else [])
    except Exception:  # one broken check must not stop the others, nor the business behind it
        log.exception("screening check %s failed on %s %s", check.code, subject._meta.label_lower, subject.pk)
        return []


def subject_screen(subject: models.Model, *, found_by: str = FoundBy.COMMIT, on: date | None = None) -> list[ScreeningHit]:
    """Screen one subject with every rule in force whose check screens its model; store new hits and note that it
    was screened. Returns the hits this screening added."""
    on = on or timezone.localdate()
    label = subject._meta.label_lower
    content_type = ContentType.objects.get_for_model(subject)
    by_code = {check.code: check for check in checks_for(label)}
    added: list[ScreeningHit] = []
    if by_code:
        for rule in _in_force(on).filter(check_code__in=list(by_code)):
            for finding in _findings(by_code[rule.check_code], rule, subject):
                hit = _store(rule, subject, finding, found_by, content_type)
                if hit is not None:
                    added.append(hit)
    ScreeningRecord.objects.update_or_create(subject_type=content_type, subject_id=subject.pk,
                                             defaults={"screened_at": timezone.now()})
    return added


def _load(label: str, pk: Any) -> models.Model | None:
    try:
        model = ContentType.objects.get_by_natural_key(*label.split(".", 1)).model_class()
    except ContentType.DoesNotExist:
        return None
    if model is None:
        return None
    return model._default_manager.filter(pk=pk).first()


def subject_screen_by_label(label: str, pk: Any, *, found_by: str = FoundBy.COMMIT) -> int:
    """The Celery task's body: screen the subject if it still exists; the number of new hits."""
    if not checks_for(label):
        return 0
    subject = _load(label, pk)
    return len(subject_screen(subject, found_by=found_by)) if subject is not None else 0


def screening_listener(action: str, target_type: str, target_id: str) -> None:
    """The audit listener: a committed business event queues the screening of its subject (one enqueue, only for
    models some check screens), so the business transaction pays nothing more."""
    if not checks_for(target_type):
        return
    from ..tasks.screening import screen_subject_task

    screen_subject_task.delay(target_type, target_id)


def screening_sweep(business_date: date) -> dict[str, int]:
    """Close step 140: every rule in force runs its check's sweep over the date, and every subject a business
    event touched that day is screened again (the on-commit screening may have been lost with a worker).
    Idempotent: hits are stored once."""
    rules = list(_in_force(business_date))
    hits = swept = 0
    for rule in rules:
        check = check_get(rule.check_code)
        if check is None or check.sweep is None:
            continue
        try:
            found = list(check.sweep(business_date, {**check.params, **rule.params}))
        except Exception:
            log.exception("screening sweep %s failed on %s", check.code, business_date)
            continue
        types: dict[type, ContentType] = {}
        for subject, finding in found:
            content_type = types.setdefault(type(subject), ContentType.objects.get_for_model(subject))
            hits += _store(rule, subject, finding, FoundBy.NIGHTLY, content_type) is not None
    labels = sorted({label for rule in rules if (check := check_get(rule.check_code)) is not None and check.screen
                     for label in check.subjects})
    start = timezone.make_aware(datetime.combine(business_date, time.min))  # the day as a range: the index on `at`
    touched = (AuditEvent.objects.filter(at__gte=start, at__lt=start + timedelta(days=1), target_type__in=labels)
               .values_list("target_type", "target_id").distinct())
    for label, pk in touched.iterator(chunk_size=500):
        one = _load(label, pk)
        if one is not None:
            hits += len(subject_screen(one, found_by=FoundBy.NIGHTLY, on=business_date))
            swept += 1
    return {"rules": len(rules), "subjects": swept, "hits": hits}


# ---- the red-line hold ---------------------------------------------------------------------------------------------

def _related(subject: models.Model) -> list[models.Model]:
    """A payment's business and what it pays for: a loan's disbursement stands for its loan and application."""
    out = [subject]
    loan = getattr(subject, "loan", None) if subject._meta.label_lower == "loans.disbursement" else None
    if loan is not None:
        out.append(loan)
        if getattr(loan, "application", None) is not None:
            out.append(loan.application)
    return out


def _standing_redline(subjects: Iterable[models.Model]) -> ScreeningHit | None:
    query = models.Q(pk__in=[])
    for subject in subjects:
        query |= models.Q(subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk)
    return (ScreeningHit.objects.filter(query, level=Level.REDLINE, state__in=HIT_STANDING)
            .select_related("rule").order_by("id").first())


def payment_gate(payment: Any) -> str | None:
    """fund.payments gate: hold a payment whose business has a standing 底线红线 hit. A business not screened
    since its payment was made is screened first, here, so a 秒批 payout cannot race its own screening."""
    subject = payment.subject
    if subject is None:
        return None
    subjects = _related(subject)
    for one in subjects:
        if not checks_for(one._meta.label_lower):
            continue
        record = ScreeningRecord.objects.filter(subject_type=ContentType.objects.get_for_model(one),
                                                subject_id=one.pk).first()
        if record is None or record.screened_at < payment.created_at:
            subject_screen(one, found_by=FoundBy.GATE)
    hit = _standing_redline(subjects)
    return None if hit is None else f"稽核底线红线疑点待处理：{hit.rule.label}（疑点 {hit.pk}）"


def _release_cleared(hit: ScreeningHit, actor: Any) -> None:
    """After a red-line hit is cleared: release the held payments of its business that nothing else holds."""
    from fund.payments.models import Payment, PaymentState
    from fund.payments.services import payment_release

    subject = hit.subject
    if subject is None:
        return
    wanted = models.Q(subject_type=hit.subject_type, subject_id=hit.subject_id)
    label = subject._meta.label_lower
    if label in ("loans.loanapplication", "loans.loan"):
        from django.apps import apps

        disbursement = apps.get_model("loans", "Disbursement")
        loans = [subject.pk] if label == "loans.loan" else list(
            apps.get_model("loans", "Loan").objects.filter(application=subject).values_list("pk", flat=True))
        wanted |= models.Q(subject_type=ContentType.objects.get_for_model(disbursement),
                           subject_id__in=disbursement.objects.filter(loan_id__in=loans).values("pk"))
    for payment in Payment.objects.filter(wanted, state=PaymentState.HELD):
        payment_subject = payment.subject
        if payment_subject is not None and _standing_redline(_related(payment_subject)) is None:
            payment_release(payment_id=payment.pk, actor=actor, note=f"稽核疑点 {hit.pk} 已处理")


# ---- working the queue -------------------------------------------------------------------------------------------

def _opinion(text: str, *, field: str = "opinion", label: str = "稽核意见") -> str:
    return _field(field, clean_text, text, label=label, max_length=500)


def _move(hit: ScreeningHit, to: str, *, actor: Any, action: str, verb: str, note: dict[str, Any],
          **fields: Any) -> ScreeningHit:
    with transaction.atomic():
        hit = ScreeningHit.objects.select_for_update().get(pk=hit.pk)
        move_status(hit, to, table=HIT_MOVES, action=action, actor=actor, verb=verb, note=note, **fields)
        if hit.level == Level.REDLINE and to in (HitState.DISMISSED, HitState.RECTIFIED):
            transaction.on_commit(lambda: _release_cleared(hit, actor))
    return hit


def hit_confirm(*, actor: Any, hit: ScreeningHit, opinion: str) -> ScreeningHit:
    if not hits_may_work(actor):
        raise PermissionDenied("只有稽核岗可以确认疑点")
    opinion = _opinion(opinion)
    return _move(hit, HitState.CONFIRMED, actor=actor, action="risk.hit.confirmed", verb="确认违规",
                 note={"opinion": opinion}, opinion=opinion, decided_by=actor, decided_at=timezone.now())


def hit_dismiss(*, actor: Any, hit: ScreeningHit, opinion: str) -> ScreeningHit:
    """排除: the finding is not a breach; a red-line hit's held payment goes on."""
    if not hits_may_work(actor):
        raise PermissionDenied("只有稽核岗可以排除疑点")
    opinion = _opinion(opinion)
    return _move(hit, HitState.DISMISSED, actor=actor, action="risk.hit.dismissed", verb="排除",
                 note={"opinion": opinion}, opinion=opinion, decided_by=actor, decided_at=timezone.now())


def hit_request_rectification(*, actor: Any, hit: ScreeningHit, request: str, due: date | None,
                              today: date | None = None) -> ScreeningHit:
    """下发整改: the breach is confirmed and the branch is asked to put it right by `due`."""
    if not hits_may_work(actor):
        raise PermissionDenied("只有稽核岗可以下发整改")
    request = _opinion(request, field="request", label="整改要求")
    if due is None:
        raise ValidationError({"due": ["请填写整改期限"]})
    if due < (today or timezone.localdate()):
        raise ValidationError({"due": ["整改期限不能早于今天"]})
    fields: dict[str, Any] = {"rectify_request": request, "rectify_due": due, "rectify_requested_by": actor}
    if hit.state == HitState.OPEN:
        fields.update(opinion=request, decided_by=actor, decided_at=timezone.now())
    return _move(hit, HitState.RECTIFYING, actor=actor, action="risk.hit.rectifying", verb="下发整改",
                 note={"request": request, "due": due}, **fields)


def hit_rectify(*, actor: Any, hit: ScreeningHit, rectification: str) -> ScreeningHit:
    """整改完成: the branch (or 稽核) records what was done; a red-line hit's held payment goes on."""
    if not (hits_may_work(actor) or hits_for_user(actor).filter(pk=hit.pk).exists()):
        raise PermissionDenied("只有本管理部人员或稽核岗可以登记整改")
    text = _opinion(rectification, field="rectification", label="整改情况")
    return _move(hit, HitState.RECTIFIED, actor=actor, action="risk.hit.rectified", verb="登记整改完成",
                 note={"rectification": text}, rectification=text, rectified_by=actor, rectified_at=timezone.now())
