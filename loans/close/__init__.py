"""The loans' steps of the nightly close (日终), registered with `fund.close.registry` in the order agreed:

    20 loans.overdue          instalments past due become overdue; every overdue instalment's penalty to the date
    30 loans.fund_deduction   自愿扣划: what agreed loans owe, from the fund accounts first
    40 loans.debit            the bank's batch debit for the date is built and sent
    50 loans.debit_results    the bank's answers are applied: paid instalments, 还款明细, one entry for the batch
    60 loans.counters         each loan's overdue counters (the risk line reads them)
    70 loans.reminders        the due-date texts, the policy's days ahead
    90 loans.registry_followup the property registry's lost errands (mortgage requests, releases) queued again

Each takes the business date D and returns what it did as counts; each is idempotent per date (a second run
for D changes nothing and sends nothing), and the set-based ones are a few SQL statements whatever the
number of loans. 10 loans.year_roll and 80 loans.subsidy are the yearly jobs' (services.repricing, subsidy).
"""

from __future__ import annotations

from fund.close.registry import register_close_step

from .counters import counters_step
from .fund_deduction import fund_deduction_step
from .overdue import overdue_step
from .registry_followup import registry_followup_step
from .reminders import reminders_step


def register_loan_close_steps() -> None:
    from ..services.collection import debit_results_step, debit_step

    register_close_step("loans.overdue", label="贷款逾期与罚息", order=20, run=overdue_step)
    register_close_step("loans.fund_deduction", label="公积金自愿扣划还贷", order=30, run=fund_deduction_step)
    register_close_step("loans.debit", label="贷款批量扣款", order=40, run=debit_step)
    register_close_step("loans.debit_results", label="批量扣款结果入账", order=50, run=debit_results_step)
    register_close_step("loans.counters", label="贷款逾期计数", order=60, run=counters_step)
    register_close_step("loans.reminders", label="还款提醒短信", order=70, run=reminders_step)
    register_close_step("loans.registry_followup", label="抵押登记与注销补发", order=90,
                        run=registry_followup_step)


__all__ = ["counters_step", "fund_deduction_step", "overdue_step", "register_loan_close_steps",
           "registry_followup_step", "reminders_step"]
