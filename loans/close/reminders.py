"""70 loans.reminders: a text to each borrower with an instalment due `loan_reminder_days` after the business
date (0 = off), once per instalment: the instalment's `reminded_on` is set in the transaction that picks it,
so a second run for the date (or the next day's, for the same instalment) finds it marked and sends nothing.

The texts are queued after the commit, in chunks (one task per `CHUNK` texts, not one per borrower), and the
gateway is called by the worker, never inside the transaction."""

from __future__ import annotations

import functools
from datetime import date, timedelta

from django.db import connection, transaction

from fund.policy.selectors import policy_value

CHUNK = 500

# The loan's status is read per picked instalment, by key (a few thousand): joined, the planner hashes every loan.
_PICK = """
WITH picked AS (
    UPDATE loans_instalment i SET reminded_on = %(d)s
     WHERE i.state = 'pending' AND i.due_on = %(due)s AND i.reminded_on IS NULL
       AND (SELECT l.status FROM loans_loan l WHERE l.id = i.loan_id) = 'active'
    RETURNING i.loan_id, i.number, i.due_on,
              (i.principal - i.principal_paid) + (i.interest - i.interest_paid) AS owed
)
SELECT p.phone, p.name, l.contract_number, k.number, k.due_on, k.owed, l.repayment_card
  FROM picked k JOIN loans_loan l ON l.id = k.loan_id JOIN people_person p ON p.id = l.borrower_id
 ORDER BY k.loan_id
"""


def reminder_text(*, name: str, contract: str, number: int, due_on: date, owed: object, card: str) -> str:
    tail = f"尾号{card[-4:]}的" if card else ""
    return (f"【住房公积金】{name}您好，您的公积金贷款（合同号{contract}）第{number}期应还{owed}元，"
            f"还款日为{due_on:%Y年%m月%d日}，请于当日前在{tail}还款账户中备足资金。")


def reminders_step(on: date) -> dict[str, int]:
    days = int(policy_value("loan_reminder_days", on))
    if days <= 0:
        return {"reminded": 0, "no_phone": 0}
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(_PICK, {"d": on, "due": on + timedelta(days=days)})
            rows = cursor.fetchall()
        messages = [(phone, reminder_text(name=name, contract=contract, number=number, due_on=due_on, owed=owed,
                                          card=card))
                    for phone, name, contract, number, due_on, owed, card in rows if phone]
        chunks = [messages[i:i + CHUNK] for i in range(0, len(messages), CHUNK)]
        from fund.people.tasks import send_sms_many

        for chunk in chunks:
            transaction.on_commit(functools.partial(send_sms_many.delay, chunk), robust=True)
    return {"reminded": len(messages), "no_phone": len(rows) - len(messages)}
