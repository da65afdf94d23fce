"""Keeping and working the overdue ledger (逾期台账).

`overdue_ledger_step` is the nightly close's step 100 `risk.overdue_ledger`. It runs after loans.counters (60)
brought each loan's overdue counters to the business date D, and in one transaction, set-based:

    1. the figures of every loan overdue on D (periods, days, overdue principal, interest and penalty owing on
       the instalments due before D) into a temporary table;
    2. open cases whose loan owes nothing overdue any more are cleared (销号) that night;
    3. open cases get D's figures; a case whose periods reach a later stage climbs to it (never back);
    4. loans overdue without an open case open one (a later overdue after a clearing opens a new case);
    5. a case that entered a stage on D gets that stage's tasks, due in the policy's working days;
    6. an SMS to each borrower whose case has had none (the first overdue day), recorded as an automatic contact
       and queued after commit in chunks through fund.people.tasks.send_sms_many;
    7. a promise to pay whose date has come is checked: kept when the loan was repaid between the contact and
       that date (or the case is cleared); a broken one opens a follow-up task;
    8. new cases without a collector get one by the branch rule (`collector_rule`).

Every statement writes only what differs, so a second run for D changes nothing and sends nothing. Stage moves
and clearings leave `fund.workflow` StatusChange rows (the case's history), written in the same statements.

The staff services (contact_record, collector_reassign, overdue_notice_print) lock the case, check, and write
with an audit event; bad input is a ValidationError naming the field, nothing written.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from fund.audit.masking import mask_phone
from fund.audit.services import audit_log
from fund.money import format_money
from fund.people.models import Post, StaffProfile
from fund.policy.selectors import policy_value
from fund.validation import clean_into, clean_text
from fund.workdays import add_working_days

from ..models import (
    CHANNEL_TASKS,
    STAGE_TASKS,
    CaseState,
    Channel,
    CollectionContact,
    CollectionTask,
    CollectorAssignment,
    OverdueCase,
    Stage,
)
from ..selectors.overdue import overdue_can_reassign, overdue_can_work

SMS_CHUNK = 500
RESULT_MAX = 500
REASON_MAX = 500

# 1. The loans overdue on D, as loans.counters left them, with what they owe overdue.
_NOW = """
CREATE TEMP TABLE risk_overdue_now ON COMMIT DROP AS
SELECT l.id AS loan_id, l.branch_id, l.bank_id, l.overdue_since, l.periods_overdue, l.days_overdue,
       CASE WHEN l.periods_overdue >= %(legal)s THEN 3 WHEN l.periods_overdue >= %(visit)s THEN 2 ELSE 1 END AS stage,
       COALESCE(SUM(i.principal - i.principal_paid), 0) AS principal,
       COALESCE(SUM(i.interest - i.interest_paid), 0) AS interest,
       COALESCE(SUM(i.penalty - i.penalty_paid), 0) AS penalty
  FROM loans_loan l
  LEFT JOIN loans_instalment i ON i.loan_id = l.id AND i.state IN ('pending', 'overdue') AND i.due_on < %(d)s
 WHERE l.overdue_since IS NOT NULL AND l.periods_overdue > 0 AND l.status = 'active'
 GROUP BY l.id
"""

# 2. 销号: the loan is paid up (or no longer active).
_CLEAR = """
WITH cleared AS (
    UPDATE risk_overduecase c SET state = 'cleared', cleared_on = %(d)s
     WHERE c.state = 'open' AND NOT EXISTS (SELECT 1 FROM risk_overdue_now n WHERE n.loan_id = c.loan_id)
    RETURNING c.id
)
INSERT INTO workflow_statuschange (subject_type_id, subject_id, field, old, new, action, actor_id, at)
SELECT %(ct)s, id, 'state', 'open', 'cleared', 'risk.overdue.cleared', NULL, now() FROM cleared
"""

# 3. D's figures on the open cases; the stage only climbs.
_REFRESH = """
WITH old AS (SELECT id, stage FROM risk_overduecase WHERE state = 'open'),
moved AS (
    UPDATE risk_overduecase c
       SET overdue_since = n.overdue_since, periods_overdue = n.periods_overdue, days_overdue = n.days_overdue,
           overdue_principal = n.principal, overdue_interest = n.interest, overdue_penalty = n.penalty,
           branch_id = n.branch_id, bank_id = n.bank_id, figures_on = %(d)s,
           stage = GREATEST(c.stage, n.stage),
           stage_since = CASE WHEN n.stage > c.stage THEN %(d)s ELSE c.stage_since END
      FROM risk_overdue_now n, old o
     WHERE c.state = 'open' AND n.loan_id = c.loan_id AND o.id = c.id
       AND (c.overdue_since IS DISTINCT FROM n.overdue_since OR c.periods_overdue <> n.periods_overdue
            OR c.days_overdue <> n.days_overdue OR c.overdue_principal <> n.principal
            OR c.overdue_interest <> n.interest OR c.overdue_penalty <> n.penalty OR n.stage > c.stage
            OR c.branch_id <> n.branch_id OR c.bank_id <> n.bank_id)
    RETURNING c.id, o.stage AS old_stage, c.stage AS new_stage
),
escalated AS (
    INSERT INTO workflow_statuschange (subject_type_id, subject_id, field, old, new, action, actor_id, at)
    SELECT %(ct)s, id, 'stage', old_stage::text, new_stage::text, 'risk.overdue.escalated', NULL, now()
      FROM moved WHERE new_stage > old_stage
    RETURNING 1
)
SELECT (SELECT COUNT(*) FROM moved), (SELECT COUNT(*) FROM escalated)
"""

# 4. A case for each overdue loan without an open one.
_OPEN = """
INSERT INTO risk_overduecase (loan_id, branch_id, bank_id, collector_id, state, stage, stage_since, overdue_since,
                              periods_overdue, days_overdue, overdue_principal, overdue_interest, overdue_penalty,
                              figures_on, opened_on, cleared_on, sms_sent_on)
SELECT n.loan_id, n.branch_id, n.bank_id, NULL, 'open', n.stage, %(d)s, n.overdue_since, n.periods_overdue,
       n.days_overdue, n.principal, n.interest, n.penalty, %(d)s, %(d)s, NULL, NULL
  FROM risk_overdue_now n
 WHERE NOT EXISTS (SELECT 1 FROM risk_overduecase c WHERE c.loan_id = n.loan_id AND c.state = 'open')
"""

# 5. The tasks of the stage a case entered on D (k: the stage → kind → due date table, passed as arrays).
_TASKS = """
INSERT INTO risk_collectiontask (case_id, kind, stage, opened_on, due_on, done_at, done_by_id, done_contact_id,
                                 promise_id)
SELECT c.id, k.kind, c.stage, %(d)s, k.due_on, NULL, NULL, NULL, NULL
  FROM risk_overduecase c
  JOIN unnest(%(stages)s::int[], %(kinds)s::text[], %(dues)s::date[]) AS k(stage, kind, due_on) ON k.stage = c.stage
 WHERE c.state = 'open' AND c.stage_since = %(d)s
   AND NOT EXISTS (SELECT 1 FROM risk_collectiontask t WHERE t.case_id = c.id AND t.kind = k.kind)
"""

# 6. The first overdue day's text: picked once per case.
_SMS_PICK = """
WITH picked AS (
    UPDATE risk_overduecase c SET sms_sent_on = %(d)s
     WHERE c.state = 'open' AND c.sms_sent_on IS NULL
    RETURNING c.id, c.loan_id, c.periods_overdue, c.overdue_principal + c.overdue_interest + c.overdue_penalty AS owed
)
SELECT k.id, p.phone, p.name, l.contract_number, k.periods_overdue, k.owed
  FROM picked k JOIN loans_loan l ON l.id = k.loan_id JOIN people_person p ON p.id = l.borrower_id
 ORDER BY k.id
"""

# 7. Promises whose date has come: kept, or a follow-up task on the open case.
_PROMISES = """
WITH checked AS (
    UPDATE risk_collectioncontact k
       SET promise_kept = (c.state = 'cleared' OR EXISTS (
               SELECT 1 FROM loans_repayment r
                WHERE r.loan_id = c.loan_id AND r.value_date BETWEEN k.contacted_on AND k.promise_on))
      FROM risk_overduecase c
     WHERE c.id = k.case_id AND k.promise_on <= %(d)s AND k.promise_kept IS NULL
    RETURNING k.id, k.case_id, k.promise_kept
),
followed AS (
    INSERT INTO risk_collectiontask (case_id, kind, stage, opened_on, due_on, done_at, done_by_id, done_contact_id,
                                     promise_id)
    SELECT k.case_id, 'promise', c.stage, %(d)s, %(due)s, NULL, NULL, NULL, k.id
      FROM checked k JOIN risk_overduecase c ON c.id = k.case_id
     WHERE NOT k.promise_kept AND c.state = 'open'
    RETURNING 1
)
SELECT (SELECT COUNT(*) FROM checked), (SELECT COUNT(*) FROM followed)
"""


def stage_for(periods: int, on: date) -> int:
    """The stage `periods` overdue periods call for on `on` (the policy thresholds)."""
    if periods >= int(policy_value("risk_collection_legal_periods", on)):
        return Stage.LEGAL
    if periods >= int(policy_value("risk_collection_visit_periods", on)):
        return Stage.VISIT
    return Stage.CALL


def stage_due(stage: int, on: date) -> date:
    """The deadline of a stage's tasks opened on `on`: the policy's working days."""
    days = {Stage.CALL: "risk_collection_call_days", Stage.VISIT: "risk_collection_visit_days",
            Stage.LEGAL: "risk_collection_legal_days"}[Stage(stage)]
    return add_working_days(on, int(policy_value(days, on)))


def overdue_sms_text(*, name: str, contract: str, periods: int, owed: Any) -> str:
    return (f"【住房公积金】{name}您好，您的公积金贷款（合同号{contract}）已逾期{periods}期，逾期本息及罚息合计"
            f"{format_money(owed)}元，请尽快归还，以免影响个人征信。如已还款请忽略。")


def overdue_ledger_step(on: date) -> dict[str, int]:
    params: dict[str, Any] = {
        "d": on, "visit": int(policy_value("risk_collection_visit_periods", on)),
        "legal": int(policy_value("risk_collection_legal_periods", on)),
        "ct": ContentType.objects.get_for_model(OverdueCase).pk,
        "due": stage_due(Stage.CALL, on),
    }
    stages, kinds, dues = [], [], []
    for stage, stage_kinds in STAGE_TASKS.items():
        due = stage_due(stage, on)
        for kind in stage_kinds:
            stages.append(int(stage))
            kinds.append(str(kind))
            dues.append(due)
    params.update(stages=stages, kinds=kinds, dues=dues)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS risk_overdue_now")
            cursor.execute(_NOW, params)
            cursor.execute("ANALYZE risk_overdue_now")
            cursor.execute(_CLEAR, params)
            cleared = cursor.rowcount
            cursor.execute(_REFRESH, params)
            refreshed, escalated = cursor.fetchone()
            cursor.execute(_OPEN, params)
            opened = cursor.rowcount
            cursor.execute(_TASKS, params)
            tasks = cursor.rowcount
            cursor.execute(_PROMISES, params)
            promises, broken = cursor.fetchone()
            cursor.execute(_SMS_PICK, params)
            texts = cursor.fetchall()
            cursor.execute("DROP TABLE risk_overdue_now")
        sms = _sms_record(texts, on)
        assigned = collectors_assign(on)
    return {"opened": opened, "refreshed": refreshed, "escalated": escalated, "cleared": cleared, "tasks": tasks,
            "sms": sms, "promises": promises, "broken_promises": broken, "assigned": assigned}


def _sms_record(rows: list[tuple[Any, ...]], on: date) -> int:
    """Record each case's first overdue text as an automatic contact and queue the texts after commit."""
    messages: list[list[str]] = []
    contacts = []
    for case_id, phone, name, contract, periods, owed in rows:
        if phone:
            messages.append([phone, overdue_sms_text(name=name, contract=contract, periods=periods, owed=owed)])
            result = f"系统发送逾期提醒短信至 {mask_phone(phone)}"
        else:
            result = "借款人未留手机号码，逾期提醒短信未发送"
        contacts.append(CollectionContact(case_id=case_id, channel=Channel.SMS, contacted_on=on, by=None, result=result))
    CollectionContact.objects.bulk_create(contacts)
    from fund.people.tasks import send_sms_many

    for start in range(0, len(messages), SMS_CHUNK):
        transaction.on_commit(functools.partial(send_sms_many.delay, messages[start:start + SMS_CHUNK]), robust=True)
    return len(messages)


# ---- collectors (清收岗) ---------------------------------------------------------------------------------------

COLLECTOR_RULE = ("按管理部分配：新列入台账的贷款，由贷款所属管理部的清收岗（风控/清收岗位、非全中心范围的在岗人员）中"
                  "在办逾期台账最少的一人负责，数量相同的按工号排序；管理部暂无清收岗的，每晚日终再行分配。"
                  "全中心范围的风控岗或分管领导可调整责任人。")


def collector_candidates(branch_ids: list[int] | None = None) -> Any:
    """The 清收岗 of each branch: active staff with the 风控/清收 post, bound to the branch (not centre-wide)."""
    profiles = StaffProfile.objects.filter(posts__contains=[Post.RISK], centre_wide=False, user__is_active=True)
    if branch_ids is not None:
        profiles = profiles.filter(branch_id__in=branch_ids)
    return profiles.select_related("user")


def collectors_assign(on: date) -> int:
    """Give each open case without a collector the branch's collector with the fewest open cases (ties by
    employee number: a fixed order that staff can read, unlike the collation of Chinese names).
    Runs in the close's transaction; a branch without collectors is tried again the next night."""
    waiting = list(OverdueCase.objects.filter(state=CaseState.OPEN, collector__isnull=True)
                   .order_by("id").values_list("id", "branch_id"))
    if not waiting:
        return 0
    branch_ids = sorted({branch for _, branch in waiting})
    loads = dict(OverdueCase.objects.filter(state=CaseState.OPEN, collector__isnull=False)
                 .values_list("collector").annotate(n=Count("id")).values_list("collector", "n"))
    by_branch: dict[int, list[list[Any]]] = defaultdict(list)
    for profile in collector_candidates(branch_ids):
        user = profile.user
        by_branch[profile.branch_id].append([loads.get(user.pk, 0), profile.employee_number, user.pk])
    chosen: list[tuple[int, int]] = []
    for case_id, branch_id in waiting:
        pool = by_branch.get(branch_id)
        if not pool:
            continue
        pick = min(pool)
        pick[0] += 1
        chosen.append((case_id, pick[2]))
    if not chosen:
        return 0
    with connection.cursor() as cursor:
        cursor.execute("""
            UPDATE risk_overduecase c SET collector_id = v.collector
              FROM unnest(%(cases)s::bigint[], %(users)s::bigint[]) AS v(case_id, collector)
             WHERE c.id = v.case_id AND c.collector_id IS NULL""",
                       {"cases": [c for c, _ in chosen], "users": [u for _, u in chosen]})
    CollectorAssignment.objects.bulk_create(
        CollectorAssignment(case_id=case_id, collector_id=user_id, previous=None, by=None,
                            reason=f"{on:%Y-%m-%d} 日终按规则分配")
        for case_id, user_id in chosen)
    return len(chosen)


def _locked_open(case: OverdueCase, field: str) -> OverdueCase:
    current = OverdueCase.objects.select_for_update().get(pk=case.pk)
    if current.state != CaseState.OPEN:
        raise ValidationError({field: [f"该笔贷款已于 {current.cleared_on:%Y-%m-%d} 销号，不能再登记催收"]})
    return current


def collector_reassign(*, actor: Any, case: OverdueCase, collector: Any, reason: str) -> OverdueCase:
    """调整清收责任人: a centre-wide 风控 officer or a director names another 清收岗 of the case's branch."""
    if not overdue_can_reassign(actor):
        raise PermissionDenied("只有全中心范围的风控岗或分管领导可以调整清收责任人")
    errors: dict[str, list[str]] = {}
    reason = clean_into(errors, "reason", clean_text, reason, label="调整原因", max_length=REASON_MAX) or ""
    try:
        collector_id = int(getattr(collector, "pk", collector))
    except (TypeError, ValueError):
        collector_id = None
    profile = collector_candidates([case.branch_id]).filter(user_id=collector_id).first() if collector_id else None
    if profile is None:
        errors["collector"] = ["请选择本管理部的清收岗人员"]
    elif profile.user_id == case.collector_id:
        errors["collector"] = ["所选人员已是该笔贷款的清收责任人"]
    if errors:
        raise ValidationError(errors)
    assert profile is not None
    with transaction.atomic():
        current = _locked_open(case, "collector")
        previous = current.collector_id
        current.collector_id = profile.user_id
        current.save(update_fields=["collector"])
        CollectorAssignment.objects.create(case=current, collector_id=profile.user_id, previous_id=previous, by=actor,
                                           reason=reason)
        audit_log(actor=actor, action="risk.overdue.reassigned", target=current, old={"collector": previous},
                  new={"collector": profile.user_id}, reason=reason)
    return current


def contact_record(*, actor: Any, case: OverdueCase, channel: str, result: str, contacted_on: date | None = None,
                   promise_on: date | None = None, document: Any = None) -> CollectionContact:
    """登记催收记录. Completes the case's open tasks the channel answers (a visit the 上门催收 task …); a promise
    to pay by a date is checked by the close that night."""
    if not overdue_can_work(actor):
        raise PermissionDenied("只有风控/清收岗可以登记催收记录")
    today = timezone.localdate()
    errors: dict[str, list[str]] = {}
    if channel not in Channel.values:
        errors["channel"] = ["请选择联系方式：" + "、".join(str(label) for label in Channel.labels)]
    result = clean_into(errors, "result", clean_text, result, label="催收结果", max_length=RESULT_MAX) or ""
    contacted_on = contacted_on or today
    if not isinstance(contacted_on, date):
        errors["contacted_on"] = ["联系日期格式应为 YYYY-MM-DD"]
    elif contacted_on > today:
        errors["contacted_on"] = [f"联系日期不能晚于今天（{today:%Y-%m-%d}）"]
    elif contacted_on < case.opened_on:
        errors["contacted_on"] = [f"联系日期不能早于列入台账日期（{case.opened_on:%Y-%m-%d}）"]
    if promise_on is not None:
        if not isinstance(promise_on, date):
            errors["promise_on"] = ["承诺还款日期格式应为 YYYY-MM-DD"]
        elif isinstance(contacted_on, date) and promise_on < max(contacted_on, today):
            errors["promise_on"] = ["承诺还款日期不能早于联系日期和今天"]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = _locked_open(case, "channel")
        contact = CollectionContact.objects.create(case=current, channel=channel, contacted_on=contacted_on, by=actor,
                                                   result=result, promise_on=promise_on, document=document)
        done = CollectionTask.objects.filter(case=current, kind__in=CHANNEL_TASKS.get(channel, ()), done_at__isnull=True)
        done_kinds = sorted(done.values_list("kind", flat=True))
        done.update(done_at=timezone.now(), done_by=actor, done_contact=contact)
        audit_log(actor=actor, action="risk.overdue.contacted", target=current,
                  new={"channel": channel, "contacted_on": contacted_on, "promise_on": promise_on,
                       "tasks_done": done_kinds}, reason=result)
    return contact


# ---- 《逾期贷款通知单》 -----------------------------------------------------------------------------------------

def overdue_notice_context(case: OverdueCase) -> dict[str, Any]:
    from fund.audit.masking import mask_id_number

    from ..selectors.overdue import case_instalments

    loan = case.loan
    rows = [{"number": i.number, "due_on": f"{i.due_on:%Y-%m-%d}",
             "principal": format_money(i.principal - i.principal_paid),
             "interest": format_money(i.interest - i.interest_paid), "penalty": format_money(i.penalty - i.penalty_paid)}
            for i in case_instalments(case)]
    return {
        "borrower": loan.borrower.name, "borrower_id": mask_id_number(loan.borrower.id_number),
        "contract_number": loan.contract_number, "principal": format_money(loan.principal),
        "bank": str(loan.bank), "periods": case.periods_overdue, "days": case.days_overdue,
        "overdue_since": f"{case.overdue_since:%Y年%m月%d日}" if case.overdue_since else "",
        "overdue_principal": format_money(case.overdue_principal),
        "overdue_interest": format_money(case.overdue_interest), "overdue_penalty": format_money(case.overdue_penalty),
        "overdue_total": format_money(case.overdue_total), "figures_on": f"{case.figures_on:%Y年%m月%d日}",
        "pay_by": f"{stage_due(Stage.VISIT, timezone.localdate()):%Y年%m月%d日}", "instalments": rows,
        "branch": str(case.branch),
    }


def overdue_notice_print(*, actor: Any, case: OverdueCase) -> Any:
    """Issue the case's 《逾期贷款通知单》 (rendered after commit, verifiable by its code) and record it as a 信函
    contact, which completes the 送达通知单 task. The same notice asked for again the same day is the first
    one, and is not recorded twice."""
    from fund.printing.services import document_request

    from ..overdue_pdf import OVERDUE_NOTICE

    if not overdue_can_work(actor):
        raise PermissionDenied("只有风控/清收岗可以打印逾期贷款通知单")
    case = OverdueCase.objects.select_related("loan__borrower", "loan__bank", "branch").get(pk=case.pk)
    if case.state != CaseState.OPEN:
        raise ValidationError({"case": [f"该笔贷款已于 {case.cleared_on:%Y-%m-%d} 销号，不再发出逾期通知"]})
    with transaction.atomic():
        document = document_request(kind=OVERDUE_NOTICE, context=overdue_notice_context(case), requested_by=actor,
                                    subject=case.loan.borrower)
        if not CollectionContact.objects.filter(case=case, document=document).exists():
            contact_record(actor=actor, case=case, channel=Channel.LETTER, document=document,
                           result=f"打印《逾期贷款通知单》（验证码 {document.code_display}），书面通知借款人")
    return document


def open_tasks_count(case: OverdueCase) -> int:
    return case.tasks.filter(done_at__isnull=True).count()


__all__ = [
    "COLLECTOR_RULE", "collector_candidates", "collector_reassign", "collectors_assign", "contact_record",
    "open_tasks_count", "overdue_ledger_step", "overdue_notice_context", "overdue_notice_print", "overdue_sms_text",
    "stage_due", "stage_for",
]
