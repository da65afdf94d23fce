"""The text an applicant gets when their application enters a step: to the member's phone, or the unit's
contact phone; once per step, however often the task runs."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from .models import ApplicationStep


def step_text(step: ApplicationStep) -> str:
    app = step.application
    due = f"，办理时限 {step.deadline:%Y年%m月%d日}" if step.deadline and app.outcome == "open" else ""
    return (f"【住房公积金】您的办件{app.number}（{app.title[:30]}）已进入“{step.label}”环节{due}。"
            "可登录网厅“我的办件”或凭办件编号与证件号码后四位查询进度。")


def step_phone(step: ApplicationStep) -> str:
    app = step.application
    if app.person is not None:
        return (app.person.phone or "").strip()
    if app.employer is not None:
        return (app.employer.contact_phone or "").strip()
    return ""


def step_notify(*, step_id: int) -> bool:
    """Text the applicant about the step `step_id`, unless they were texted about it already (claimed by
    compare-and-set on `texted_at`, so a retried or doubled task never texts twice), its line texts it
    itself (a decision, a payout), the application has moved on since (the next step's text says where it is
    now), or there is no phone to text. The SMS task is
    queued after commit. Returns whether a text was queued."""
    from fund.people.tasks import send_sms

    with transaction.atomic():
        step = (ApplicationStep.objects.select_related("application__person", "application__employer")
                .filter(pk=step_id).first())
        if step is None or step.left_at is not None or step.texted_at is not None or step.texted_by_line:
            return False
        phone = step_phone(step)
        if not phone:
            return False
        if ApplicationStep.objects.filter(pk=step_id, texted_at__isnull=True).update(texted_at=timezone.now()) != 1:
            return False
        text = step_text(step)
        transaction.on_commit(lambda: send_sms.delay(phone=phone, text=text), robust=True)
    return True
