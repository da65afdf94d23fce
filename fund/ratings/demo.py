"""Demo ratings: a dozen finished applications rated (good ones, a middling one, two bad ones with their
follow-ups, one handed to the branch's 审批 post). The register is filled by the lines; where it holds too few
finished applications (a line not registered yet), a few window applications of demo members are written
into it directly, with steps done by the demo clerks, so that 好差评 and 窗口考核 show figures."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from fund.people.models import Person
from fund.policy.selectors import policy_value
from fund.tracking.models import Application, ApplicationStep
from fund.tracking.services import application_number

from .models import FollowUp
from .services import FINISHED, follow_up_assign, rating_submit

STARS = (5, 5, 4, 5, 3, 4, 2, 5, 1, 4, 5, 4)
COMMENTS = {5: "办理很快，工作人员很耐心", 4: "比较满意", 3: "等候时间有点长", 2: "材料要求没有一次说清", 1: "跑了两趟才办成"}


def _crafted(ctx: Any, count: int) -> list[Application]:
    """Window applications of demo members, finished today, each with an acceptance step done by a clerk and a
    review step done by the 审批 post (one of them late, one returned once for missing materials)."""
    now = timezone.now()
    today = timezone.localdate()
    clerks = [ctx.staff[name] for name in ("clerk01", "clerk02") if name in ctx.staff]
    approver = ctx.staff.get("approve01")
    person_type = ContentType.objects.get_for_model(Person)
    made = []
    for index, person in enumerate(ctx.people[:count]):
        if Application.objects.filter(subject_type=person_type, subject_id=person.pk).exists():
            continue
        clerk = clerks[index % len(clerks)] if clerks else None
        start = now - timedelta(hours=6, minutes=17 * index)
        app = Application.objects.create(
            number=application_number(start), kind="demo.window", item_code="TQ-01", title=f"提取 · {person.name}",
            subject_type=person_type, subject_id=person.pk, branch=person.branch or ctx.branches[0], person=person,
            lookup_suffix=person.id_number[-4:], channel="window", submitted_at=start, accepted_at=start,
            finished_at=now - timedelta(minutes=5 * index), outcome="done", step_code="done", step_label="已办结",
            step_since=now, handled_by=clerk, visits=1, pages=3, on_the_spot=index % 2 == 0)
        accepted = start + timedelta(minutes=12 + 3 * index)
        ApplicationStep.objects.create(application=app, code="accept", label="受理", entered_at=start, left_at=accepted,
                                       deadline=today, actor=clerk, done_by=clerk)
        if index == 3:  # sent back once for a missing paper, then reviewed
            ApplicationStep.objects.create(application=app, code="return", label="补正", entered_at=accepted,
                                           left_at=accepted + timedelta(minutes=40), actor=clerk, done_by=clerk,
                                           returned=True)
        ApplicationStep.objects.create(application=app, code="review", label="审批", entered_at=accepted,
                                       left_at=now - timedelta(minutes=5 * index), actor=clerk, done_by=approver,
                                       deadline=today - timedelta(days=1) if index == 5 else today)
        ApplicationStep.objects.create(application=app, code="done", label="已办结", entered_at=now, actor=approver)
        made.append(app)
    return made


def seed(ctx: Any) -> None:
    with transaction.atomic():
        # Only what may still be rated: finished within the rating period (服务效能's year of history is older).
        since = timezone.now() - timedelta(days=int(policy_value("rating_invite_days", on=timezone.localdate())))
        finished = list(Application.objects.filter(outcome__in=FINISHED, rating__isnull=True,
                                                   finished_at__gte=since).order_by("id")[:len(STARS)])
        if len(finished) < 6:
            finished += _crafted(ctx, len(STARS) - len(finished))
        for application, stars in zip(finished, STARS, strict=False):
            rating_submit(application=application, stars=stars, comment=COMMENTS[stars], channel="online")
        head = ctx.staff.get("approve01")
        follow_up = FollowUp.objects.select_related("rating__application").filter(branch__code="01").first()
        if head is not None and follow_up is not None and follow_up.rating.application.handled_by_id != head.pk:
            follow_up_assign(actor=ctx.staff.get("director") or head, follow_up=follow_up, assignee=head)
