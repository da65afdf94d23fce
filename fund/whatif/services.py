"""Running a what-if: the director drafts policy values, a worker replays the period's decisions under them.

Nothing a run does can write to a business table: every replay slice runs inside a transaction that is set
READ ONLY before the first statement and always rolled back (`_read_only`), so PostgreSQL itself refuses any
write a replayer (or a rule it calls) might attempt, and even a read that took a lock is released. Only the
run's own rows (progress, results) are written, each slice's in its own short transaction after its replay.
A run redelivered after a lost worker starts over (its own results are derived, and are written again).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from datetime import date, timedelta
from functools import partial
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone

from fund.dates import add_months, first_of_month
from fund.numbers import next_number
from fund.policy.definitions import PolicyScalar
from fund.policy.models import PolicyValue
from fund.policy.selectors import PolicyUnknown, policy_can_manage, policy_definition_get
from fund.workflow.moves import MoveTable, move_status

from .models import RunState, WhatIfResult, WhatIfRun
from .registry import Period, Replayer, ReplayRequest, ReplayResult, in_slices, replayer_get

logger = logging.getLogger(__name__)

RUN_MOVES = MoveTable(WhatIfRun, noun="政策调整模拟", moves={
    RunState.QUEUED: {RunState.RUNNING, RunState.FAILED},
    RunState.RUNNING: {RunState.DONE, RunState.FAILED},
})
SLICE = 200  # applications replayed per read-only transaction (and per progress step)
MAX_DAYS = 366
T = TypeVar("T")


def whatif_can_run(user: Any) -> bool:
    """Who drafts policy may simulate it: the centre-wide director (分管副主任/主任)."""
    return policy_can_manage(user)


def last_full_month(today: date) -> Period:
    start = add_months(first_of_month(today), -1)
    return Period(start, first_of_month(today) - timedelta(days=1))


def draft_parse(values: Mapping[str, object]) -> tuple[dict[str, PolicyScalar], list[str]]:
    """The draft's values, each checked as a scheduled value is: (parsed by policy name, Chinese errors)."""
    parsed: dict[str, PolicyScalar] = {}
    errors: list[str] = []
    for name, raw in values.items():
        try:
            definition = policy_definition_get(name)
        except PolicyUnknown:
            errors.append(f"未定义的政策参数：{name}")
            continue
        try:
            parsed[definition.name] = definition.parse(raw)
        except ValueError as exc:
            errors.append(str(exc))
    return parsed, errors


def whatif_run_create(
    *, actor: Any, values: Mapping[str, object], replayers: Sequence[str], start: date | None = None,
    end: date | None = None, source: PolicyValue | None = None, title: str = "",
) -> WhatIfRun:
    """Queue a what-if (its task is sent after commit). `values` are in stored units (percentages as fractions).
    The period defaults to the last full month. Raises PermissionDenied, or ValidationError naming each field."""
    if not whatif_can_run(actor):
        raise PermissionDenied("只有全中心范围的分管副主任/主任可以进行政策调整模拟")
    today = timezone.localdate()
    errors: dict[str, list[str]] = {}
    parsed, value_errors = draft_parse(values)
    if value_errors:
        errors["values"] = value_errors
    elif not parsed:
        errors["values"] = ["请至少填写一项模拟的政策值"]
    codes = list(dict.fromkeys(str(c) for c in replayers))
    unknown = [c for c in codes if replayer_get(c) is None]
    if unknown:
        errors["replayers"] = [f"未知的模拟业务：{'、'.join(unknown)}"]
    elif not codes:
        errors["replayers"] = ["请至少选择一项要重放的业务"]
    if start is None and end is None:
        start, end = last_full_month(today).start, last_full_month(today).end
    if start is None:
        errors["period_start"] = ["请填写重放起始日"]
    if end is None:
        errors["period_end"] = ["请填写重放截止日"]
    if start is not None and end is not None:
        if end > today:
            errors["period_end"] = [f"重放截止日不能晚于今天（{today:%Y-%m-%d}）：只能重放已作出的审批"]
        elif start > end:
            errors["period_start"] = ["重放起始日不能晚于截止日"]
        elif (end - start).days >= MAX_DAYS:
            errors["period_end"] = [f"重放期间不能超过 {MAX_DAYS} 天"]
    if source is not None and (source.withdrawn_at is not None or source.effective_from <= today):
        errors["source"] = ["所选政策调整已生效或已撤回，请直接填写模拟值"]
    if errors:
        raise ValidationError(errors)
    assert start is not None and end is not None
    stored = {name: _stored(name, value) for name, value in parsed.items()}
    with transaction.atomic():
        run = WhatIfRun.objects.create(
            number=next_number("whatif_run_number", f"MN{today:%Y%m%d}", 4), title=(title or "").strip()[:100],
            values=stored, replayers=codes, period_start=start, period_end=end, source=source, created_by=actor,
        )
        from fund.audit.services import audit_log

        audit_log(actor=actor, action="whatif.run.requested", target=run,
                  new={"values": stored, "replayers": codes, "period": f"{start:%Y-%m-%d}～{end:%Y-%m-%d}"})
        from .tasks import whatif_run_task

        transaction.on_commit(lambda: whatif_run_task.delay(run.pk), robust=True)
    return run


def _stored(name: str, value: PolicyScalar) -> str:
    number, text = policy_definition_get(name).to_stored(value)
    return text if number is None else str(number)


def _read_only(work: Callable[[], T]) -> T:
    """`work()` in a transaction PostgreSQL refuses every write in, rolled back whatever happens."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION READ ONLY")
        try:
            return work()
        finally:
            transaction.set_rollback(True)


def _progress(run: WhatIfRun, **fields: Any) -> None:
    for name, value in fields.items():
        setattr(run, name, value)
    WhatIfRun.objects.filter(pk=run.pk).update(**fields)


def whatif_run_execute(run: WhatIfRun) -> WhatIfRun:
    """Replay the run (the worker's task). Outside any transaction: progress is committed as it goes."""
    if run.state == RunState.QUEUED:
        with transaction.atomic():
            move_status(run, RunState.RUNNING, table=RUN_MOVES, actor=run.created_by, action="whatif.run.started",
                        started_at=timezone.now())
    elif run.state != RunState.RUNNING:  # done or failed: a repeated message does nothing
        return run
    try:
        _compute(run)
    except Exception as exc:
        logger.exception("what-if run %s failed", run.pk)
        run.refresh_from_db()
        with transaction.atomic():
            move_status(run, RunState.FAILED, table=RUN_MOVES, actor=run.created_by, action="whatif.run.failed",
                        error=str(exc)[:500], finished_at=timezone.now())
        raise
    with transaction.atomic():
        move_status(run, RunState.DONE, table=RUN_MOVES, actor=run.created_by, action="whatif.run.done",
                    note={"replayed": run.replayed}, finished_at=timezone.now(), percent=100, stage="完成")
    return run


def _compute(run: WhatIfRun) -> None:
    parsed, errors = draft_parse(run.values)
    if errors:
        raise ValueError("；".join(errors))
    request = ReplayRequest(Period(run.period_start, run.period_end), parsed)
    WhatIfResult.objects.filter(run=run).delete()  # a restart starts over: these are the run's own derived rows
    _progress(run, stage="查找期间内的审批", percent=1, replayed=0)
    plans = []
    for code in run.replayers:
        replayer = replayer_get(code)
        if replayer is None:
            raise ValueError(f"未知的模拟业务：{code}")
        plans.append((replayer, _read_only(partial(_subjects, replayer, request.period))))
    total = sum(len(ids) for _, ids in plans)
    _progress(run, total=total, stage="重放审批", percent=2)
    done = 0
    for replayer, ids in plans:
        for ids_slice in in_slices(ids, SLICE):
            results = _read_only(partial(_replay, replayer, ids_slice, request))
            done += len(ids_slice)
            with transaction.atomic():
                WhatIfResult.objects.bulk_create([
                    WhatIfResult(
                        run=run, replayer=replayer.code, subject=x.subject, number=x.number, applicant=x.applicant[:80],
                        month=first_of_month(x.month), old_decision=x.old_decision, old_amount=x.old_amount,
                        new_decision=x.new_decision, new_amount=x.new_amount, old_moved=x.old_moved,
                        new_moved=x.new_moved, changed=x.changed, note=x.note[:300],
                    ) for x in results
                ])
                _progress(run, replayed=done, stage=f"重放{replayer.label}（{done}/{total}）",
                          percent=min(99, 2 + done * 97 // max(total, 1)))


def _subjects(replayer: Replayer, period: Period) -> list[int]:
    return list(replayer.subjects(period))


def _replay(replayer: Replayer, ids: Sequence[int], request: ReplayRequest) -> list[ReplayResult]:
    return list(replayer.replay(ids, request))


def whatif_run_by_id(run_id: int) -> WhatIfRun | None:
    """The worker's entry."""
    run = WhatIfRun.objects.select_related("created_by").filter(pk=run_id).first()
    if run is None:
        return None
    return whatif_run_execute(run)
