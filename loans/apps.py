from django.apps import AppConfig


class LoansConfig(AppConfig):
    name = "loans"
    verbose_name = "贷款"

    def ready(self) -> None:
        # Registered by importing: the nav entries and panels, the printed documents (approval opinion, contract,
        # IOU, credit report), the approval flows, and disbursement's payments purpose, notice and beat job.
        from . import nav, panels, pdf, signing_pdf  # noqa: F401
        from .audit_names import register_loan_audit_names
        from .catalogue import register_loan_items
        from .services import approval, disbursement  # noqa: F401
        from .services.other_lines import register_other_lines

        register_loan_audit_names()
        register_loan_items()
        # The loans line as deposits and withdrawals see it: blockers, the "centre" loan source.
        register_other_lines()
        # The loans' steps of the nightly close (日终): overdue and penalty, 自愿扣划, the bank's batch debit and
        # its results, counters, reminders.
        from .close import register_loan_close_steps

        register_loan_close_steps()
