"""Dormant accounts (呆滞账户, Zhuzhou found 57,000 among 300,000): finding them, the campaign that works them,
its notices and outcomes.

- Dormant on a date D: a member account 封存 (state 02) with a balance, sealed (its last 封存 record) on or before
  D − `risk_dormant_years`, and no movement on its sub-ledger since then except the yearly interest (结息 is
  credited to every account, so it is no sign of life). An account with no 封存 record (migrated history) counts
  from its last movement alone. Found in one set-based statement.
- A campaign (`dormant_campaign_start`, a centre-wide officer) lists them once, with the unit the account was
  sealed under and that unit's branch, and texts those with a mobile number.
- Notices (`dormant_notices_send`): once per account and campaign. The row is marked (`notified_at`) in the
  transaction that picks it, the texts are queued after the commit in chunks (fund.people.tasks.send_sms_many),
  so a second run — or the next night's — sends nothing again; a person who gives a phone number later gets
  the notice on the next night.
- Outcomes: staff record 已联系 / 查无此人 (`dormant_outcome_record`); the nightly close step 160
  (`dormant_step`) reads 已提取 (a closing withdrawal, or any withdrawal posted since the campaign began) and
  已转移 (transferred out, merged, or unsealed — moved to a new unit or back to work) from the account itself.
  Each change goes through `move_status` (compare-and-set, history, audit).
"""

from __future__ import annotations

import functools
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone

from fund.validation import clean_line
from fund.workflow.moves import StaleStatus, move_status

from ..models import (
    DORMANT_OUTCOME_MOVES,
    MANUAL_OUTCOMES,
    SETTLED_OUTCOMES,
    DormantAccount,
    DormantCampaign,
    DormantOutcome,
)
from ..selectors.dormant import dormant_cutoff_preview, dormant_may_start, dormant_may_work

CHUNK = 500
DEFAULT_DAYS = 90  # Zhuzhou's drive ran from September to December

# The dormant accounts on a date, with what the campaign keeps of each. Candidates are the sealed accounts
# (few of all), and each one's last 封存 record and last movement are looked up through their indexes.
_FIND = """
INSERT INTO risk_dormantaccount (campaign_id, account_id, unit_id, branch_id, balance, sealed_on, last_movement_on,
                                 outcome, outcome_note, notified_phone)
SELECT %(campaign)s, a.id, a.unit_id, e.branch_id, s.balance, sealed.sealed_on, moved.last_on, 'pending', '', ''
  FROM deposits_memberaccount a
  JOIN ledger_subaccount s ON s.id = a.sub_account_id
  JOIN deposits_unitaccount u ON u.id = a.unit_id
  JOIN people_employer e ON e.id = u.employer_id
  LEFT JOIN LATERAL (SELECT max((ev.at AT TIME ZONE %(tz)s)::date) AS sealed_on
                       FROM deposits_accountevent ev
                      WHERE ev.account_id = a.id AND ev.new_state = '02') sealed ON true
  LEFT JOIN LATERAL (SELECT max(r.value_date) AS last_on
                       FROM ledger_subledgerrow r JOIN ledger_journalentry j ON j.id = r.entry_id
                      WHERE r.sub_account_id = a.sub_account_id AND j.business_type <> 'GJ09') moved ON true
 WHERE a.state = '02' AND s.balance > 0
   AND coalesce(sealed.sealed_on, moved.last_on, a.opened_on) <= %(cutoff)s
   AND coalesce(moved.last_on, a.opened_on) <= %(cutoff)s
ON CONFLICT DO NOTHING
"""

# Rows of running campaigns not yet notified whose person now has a mobile number: marked and returned at once.
_PICK = """
WITH picked AS (
    UPDATE risk_dormantaccount d SET notified_at = %(now)s, notified_phone = p.phone
      FROM risk_dormantcampaign c, deposits_memberaccount a, people_person p
     WHERE c.id = d.campaign_id AND a.id = d.account_id AND p.id = a.person_id
       AND c.started_on <= %(on)s AND c.ends_on >= %(on)s {campaign}
       AND d.notified_at IS NULL AND p.phone <> '' AND d.outcome NOT IN ('withdrawn', 'transferred')
    RETURNING d.id, d.unit_id, d.branch_id, d.balance, p.phone, p.name
)
SELECT k.phone, k.name, k.balance, emp.name, b.name, b.phone
  FROM picked k
  JOIN deposits_unitaccount u ON u.id = k.unit_id
  JOIN people_employer emp ON emp.id = u.employer_id
  JOIN people_branch b ON b.id = k.branch_id
 ORDER BY k.id
"""

_COUNT_NO_PHONE = """
SELECT count(*) FROM risk_dormantaccount d
  JOIN risk_dormantcampaign c ON c.id = d.campaign_id
  JOIN deposits_memberaccount a ON a.id = d.account_id
  JOIN people_person p ON p.id = a.person_id
 WHERE c.started_on <= %(on)s AND c.ends_on >= %(on)s {campaign}
   AND d.notified_at IS NULL AND p.phone = '' AND d.outcome NOT IN ('withdrawn', 'transferred')
"""

# Listed accounts of running campaigns that have left the dormant pool, with the outcome the account shows.
_SETTLED = """
SELECT d.id, d.outcome,
       CASE WHEN a.state = '05' OR EXISTS (
                SELECT 1 FROM ledger_subledgerrow r JOIN ledger_journalentry j ON j.id = r.entry_id
                 WHERE r.sub_account_id = a.sub_account_id AND j.business_type IN ('GJ11', 'GJ12')
                   AND r.value_date >= c.started_on)
            THEN 'withdrawn' ELSE 'transferred' END
  FROM risk_dormantaccount d
  JOIN risk_dormantcampaign c ON c.id = d.campaign_id
  JOIN deposits_memberaccount a ON a.id = d.account_id
 WHERE c.started_on <= %(on)s AND c.ends_on >= %(on)s
   AND d.outcome NOT IN ('withdrawn', 'transferred')
   AND (a.state IN ('01', '03', '04', '05') OR EXISTS (
                SELECT 1 FROM ledger_subledgerrow r JOIN ledger_journalentry j ON j.id = r.entry_id
                 WHERE r.sub_account_id = a.sub_account_id AND j.business_type IN ('GJ11', 'GJ12')
                   AND r.value_date >= c.started_on))
 ORDER BY d.id
"""


def notice_text(*, name: str, balance: Any, unit: str, branch: str, branch_phone: str) -> str:
    where = f"{branch}（电话{branch_phone}）" if branch_phone else branch
    return (f"【住房公积金】{name}您好，您在{unit}缴存的住房公积金账户已长期封存，尚有余额{balance}元。"
            f"符合条件的可申请提取或办理转移接续，请携带身份证到{where}或登录个人网厅办理。")


def _queue_texts(messages: list[list[str]]) -> None:
    from fund.people.tasks import send_sms_many

    for start in range(0, len(messages), CHUNK):
        transaction.on_commit(functools.partial(send_sms_many.delay, messages[start:start + CHUNK]), robust=True)


def _notices(on: date, campaign: DormantCampaign | None) -> dict[str, int]:
    """Mark and queue the notices due (in the caller's transaction): of `campaign`, or of every running one."""
    only = "AND c.id = %(campaign)s" if campaign is not None else ""
    params = {"on": on, "now": timezone.now(), "campaign": campaign.pk if campaign is not None else None}
    with connection.cursor() as cursor:
        cursor.execute(_PICK.format(campaign=only), params)
        rows = cursor.fetchall()
        cursor.execute(_COUNT_NO_PHONE.format(campaign=only), params)
        no_phone = cursor.fetchone()[0]
    _queue_texts([[phone, notice_text(name=name, balance=balance, unit=unit, branch=branch, branch_phone=bphone)]
                  for phone, name, balance, unit, branch, bphone in rows])
    return {"notified": len(rows), "no_phone": no_phone}


@transaction.atomic(durable=True)
def dormant_campaign_start(*, actor: Any, name: str, on: date | None = None, ends_on: date | None = None,
                           ) -> DormantCampaign:
    """Start a campaign on `on` (today): list every account dormant that day, then text those with a phone.
    A centre-wide officer or the director; the same account is listed once per campaign."""
    if not dormant_may_start(actor):
        raise PermissionDenied("只有全中心范围的风控岗或分管领导可以发起呆滞账户清理")
    on = on or timezone.localdate()
    ends_on = ends_on or on + timedelta(days=DEFAULT_DAYS)
    errors: dict[str, list[str]] = {}
    try:
        name = clean_line(name, label="行动名称", max_length=60)
    except ValidationError as exc:
        errors["name"] = exc.messages
    if not isinstance(ends_on, date) or ends_on < on:
        errors["ends_on"] = [f"结束日期不能早于开始日期 {on:%Y-%m-%d}"]
    if errors:
        raise ValidationError(errors)
    preview = dormant_cutoff_preview(on)
    cutoff, years = preview["cutoff"], preview["years"]
    campaign = DormantCampaign.objects.create(name=name, started_on=on, ends_on=ends_on, cutoff=cutoff, years=years,
                                              started_by=actor)
    with connection.cursor() as cursor:
        cursor.execute(_FIND, {"campaign": campaign.pk, "cutoff": cutoff, "tz": settings.TIME_ZONE})
        listed = cursor.rowcount
    sent = _notices(on, campaign)
    from fund.audit.services import audit_log

    audit_log(actor=actor, action="risk.dormant.started", target=campaign,
              new={"name": name, "started_on": on, "ends_on": ends_on, "cutoff": cutoff, "years": years,
                   "listed": listed, **sent})
    return campaign


def dormant_notices_send(*, on: date | None = None, campaign: DormantCampaign | None = None) -> dict[str, int]:
    """Text every listed account of the running campaigns (or of `campaign`) not yet told and now with a phone."""
    with transaction.atomic():
        return _notices(on or timezone.localdate(), campaign)


def dormant_outcomes_detect(on: date) -> dict[str, int]:
    """已提取 / 已转移, read from the accounts listed by the campaigns running on `on`."""
    counts = {"withdrawn": 0, "transferred": 0, "stale": 0}
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(_SETTLED, {"on": on})
            rows = cursor.fetchall()
        items = DormantAccount.objects.in_bulk([pk for pk, _, _ in rows])
        for pk, was, outcome in rows:
            try:
                move_status(items[pk], outcome, table=DORMANT_OUTCOME_MOVES, expect=was,
                            action=f"risk.dormant.{outcome}", outcome_on=on, outcome_by=None)
            except StaleStatus:
                # Recorded by staff since the read: the next night reads the account again.
                counts["stale"] += 1
                continue
            counts[outcome] += 1
    return counts


def dormant_step(on: date) -> dict[str, int]:
    """Close step 160 risk.dormant: outcomes first (an account withdrawn today is not texted), then notices."""
    return {**dormant_outcomes_detect(on), **dormant_notices_send(on=on)}


@transaction.atomic(durable=True)
def dormant_outcome_record(*, actor: Any, item: DormantAccount, outcome: str, note: str = "",
                           on: date | None = None) -> DormantAccount:
    """Staff record 已联系 or 查无此人 on a listed account of their branch, with what the contact gave."""
    if not dormant_may_work(actor):
        raise PermissionDenied("您的岗位不能登记呆滞账户清理结果")
    if outcome not in MANUAL_OUTCOMES:
        labels = "、".join(str(DormantOutcome(code).label) for code in MANUAL_OUTCOMES)
        settled = "、".join(str(DormantOutcome(code).label) for code in SETTLED_OUTCOMES)
        raise ValidationError({"outcome": [f"清理结果只能登记为{labels}；{settled}由日终根据账户自动识别"]})
    try:
        note = clean_line(note, label="联系情况", max_length=200, required=False)
    except ValidationError as exc:
        raise ValidationError({"note": exc.messages}) from exc
    locked = DormantAccount.objects.select_for_update().get(pk=item.pk)
    if locked.outcome == outcome:
        raise ValidationError({"outcome": [f"该账户已登记为“{DormantOutcome(outcome).label}”"]})
    move_status(locked, outcome, table=DORMANT_OUTCOME_MOVES, actor=actor, action=f"risk.dormant.{outcome}",
                verb=f"登记为“{DormantOutcome(outcome).label}”", reason=note, note={"note": note},
                outcome_on=on or timezone.localdate(), outcome_by=actor, outcome_note=note)
    return locked
