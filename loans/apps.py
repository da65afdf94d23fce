from django.apps import AppConfig


class LoansConfig(AppConfig):
    name = "loans"
    verbose_name = "贷款"

    def ready(self) -> None:
        # Registered by importing: the nav entries and panels, the printed documents (approval opinion, contract,
        # IOU, credit report, the schedule, the payoff certificate), the approval flows, and disbursement's payments
        # purpose, notice and beat job.
        from . import (  # noqa: F401
            nav,
            panels,
            payoff_pdf,
            pdf,
            schedule_pdf,
            signing_pdf,
            whatif,  # noqa: F401  (the policy what-if's replayer of quota calculations)
        )
        from .audit_names import register_loan_audit_names
        from .catalogue import register_loan_items
        from .services import approval, disbursement  # noqa: F401
        from .services.other_lines import register_other_lines

        register_loan_audit_names()
        register_loan_items()
        from . import bundles  # noqa: F401  (registers its 一件事 parts and 跨省通办 entries, after the items)
        # The loans line as deposits and withdrawals see it: blockers, the "centre" loan source.
        register_other_lines()
        # The loans' steps of the nightly close (日终): overdue and penalty, 自愿扣划, the bank's batch debit and
        # its results, counters, reminders.
        from .close import register_loan_close_steps

        register_loan_close_steps()
        # The yearly schedule and re-pricing (first step of the close), the 贴息 refunds (after the debits).
        from fund.close.registry import register_close_step

        from .services import subsidy  # noqa: F401  (registers the payments purpose loans.subsidy)
        from .services.repricing import year_roll_step

        register_close_step("loans.year_roll", label="年度还款计划与利率调整", order=10, run=year_roll_step)
        register_close_step("loans.subsidy", label="年度贴息退付", order=80, run=subsidy.subsidy_step)
        # Reconcile also checks each loan's sub-account against its stored schedule (fund.ledger's hook).
        from fund.ledger.selectors import register_reconcile_check

        from .selectors.reconcile import loan_schedule_discrepancies

        register_reconcile_check("loans.schedule", loan_schedule_discrepancies)
        from . import tracking  # noqa: F401  (我的办件: registers this line's applications with fund.tracking)
