"""130 risk.warnings: the warnings before and around the overdue that the loans line does not already send.

- The due-date reminder is the loans' (70 loans.reminders, `loan_reminder_days` ahead); the first-overdue-day text
  is the overdue ledger's (risk.overdue_ledger). Neither is sent here.
- 征信不良信息告知: a loan whose days overdue reach `risk_credit_notice_days` gets the notice once per overdue
  episode: a `CreditNotice` row and a text to the borrower (queued after the commit, in chunks). The episode
  ends the night the loan has no overdue instalment (or is no longer active): the open notice is marked
  cleared, so a later episode gets a notice of its own. The partial unique key (one open notice per loan) makes
  a second run for the date insert nothing.
- 贷后停缴, monthly (the first close of a month, recorded in `StopScan`): borrowers of active loans disbursed
  before the window whose normal account had no deposit for any of the `risk_stopped_deposit_months` months
  before this one. A 灵活就业 account (under its branch's special unit) is the self-employed case; otherwise the
  unit stopped remitting and is a candidate for the blacklist. Units in 缓缴 (deferral approved by the centre)
  are not listed: they are allowed not to pay.
"""

from __future__ import annotations

import functools
from datetime import date

from django.db import IntegrityError, connection, transaction

from fund.dates import add_months, first_of_month
from fund.policy.selectors import policy_value

from ..models import StopScan

CHUNK = 500

_CLEAR = """
UPDATE risk_creditnotice n SET cleared_on = %(d)s
  FROM loans_loan l
 WHERE l.id = n.loan_id AND n.cleared_on IS NULL AND (l.overdue_since IS NULL OR l.status <> 'active')
"""

_NOTICE_TEXT = """
'【住房公积金】' || p.name || '您好，您的公积金贷款（合同号' || l.contract_number || '）已逾期' || l.days_overdue
|| '天（' || l.periods_overdue || '期）。根据《征信业管理条例》，如不及时还款，本中心将向金融信用信息基础数据库报送'
|| '您的逾期信息，影响您的个人信用记录。请尽快到受托银行或中心窗口还清逾期款项。'
"""

_NOTICE = f"""
INSERT INTO risk_creditnotice (loan_id, borrower_id, branch_id, episode_since, noticed_on, days_overdue,
                               periods_overdue, phone, text)
SELECT l.id, l.borrower_id, l.branch_id, l.overdue_since, %(d)s, l.days_overdue, l.periods_overdue, p.phone,
       {_NOTICE_TEXT}
  FROM loans_loan l JOIN people_person p ON p.id = l.borrower_id
 WHERE l.overdue_since IS NOT NULL AND l.status = 'active' AND l.days_overdue >= %(days)s
ON CONFLICT (loan_id) WHERE cleared_on IS NULL DO NOTHING
RETURNING phone, text
"""

_STOPPED = """
INSERT INTO risk_stoppeddeposit (month, found_on, kind, loan_id, borrower_id, branch_id, account_id, employer_id,
                                 last_month, loan_balance)
SELECT %(month)s, %(d)s, CASE WHEN e.is_special THEN 'self_employed' ELSE 'unit' END, l.id, l.borrower_id,
       l.branch_id, a.id, e.id,
       (SELECT MAX(m.month) FROM deposits_monthlydeposit m WHERE m.account_id = a.id AND m.reversal_id IS NULL),
       s.balance
  FROM loans_loan l
  JOIN ledger_subaccount s ON s.id = l.sub_account_id
  JOIN deposits_memberaccount a ON a.person_id = l.borrower_id AND a.state = '01'
  JOIN deposits_unitaccount u ON u.id = a.unit_id AND u.state <> '03'
  JOIN people_employer e ON e.id = u.employer_id
 WHERE l.status = 'active' AND l.disbursed_on < %(window)s
   AND NOT EXISTS (SELECT 1 FROM deposits_monthlydeposit m
                    WHERE m.account_id = a.id AND m.month >= %(window)s AND m.reversal_id IS NULL)
ON CONFLICT (loan_id, month) DO NOTHING
"""


def notice_text_sql() -> str:
    """The notice's words as SQL over loans_loan l and people_person p (tests read it to compare)."""
    return _NOTICE_TEXT


def warnings_step(on: date) -> dict[str, int]:
    days = int(policy_value("risk_credit_notice_days", on))
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(_CLEAR, {"d": on})
            cleared = cursor.rowcount
            cursor.execute(_NOTICE, {"d": on, "days": days})
            rows = cursor.fetchall()
        messages = [[phone, text] for phone, text in rows if phone]
        from fund.people.tasks import send_sms_many

        for i in range(0, len(messages), CHUNK):
            transaction.on_commit(functools.partial(send_sms_many.delay, messages[i:i + CHUNK]), robust=True)
    return {"notices": len(rows), "texts": len(messages), "cleared": cleared, **stopped_deposit_scan(on)}


def stopped_deposit_scan(on: date) -> dict[str, int]:
    """The monthly 贷后停缴 scan, once per month: the first business date of the month to run it does the work."""
    month = first_of_month(on)
    if StopScan.objects.filter(month=month).exists():
        return {"stopped": 0}
    window = add_months(month, -int(policy_value("risk_stopped_deposit_months", on)))
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(_STOPPED, {"d": on, "month": month, "window": window})
                found = cursor.rowcount
            StopScan.objects.create(month=month, business_date=on, found=found)
    except IntegrityError:
        # Another run of the same month recorded its scan first; its rows stand.
        return {"stopped": 0}
    return {"stopped": found}
