from django.apps import AppConfig


class LoansConfig(AppConfig):
    name = "loans"
    verbose_name = "贷款"

    def ready(self) -> None:
        from . import evidence_names, nav, panels, signing_pdf  # noqa: F401
        from .audit_names_projects import register_project_audit_names

        register_project_audit_names()
        from .catalogue import register_loan_items

        register_loan_items()
        from . import pdf  # noqa: F401  (registers the approval opinion)
        from .services import approval  # noqa: F401  (registers the approval flows)
        from .signing_names import register_signing_names

        register_signing_names()
        from .disbursement_names import register_disbursement_names

        # Disbursement: the payments purpose, the notice document, the queue's beat job, the audit names; and the
        # loans line as deposits and withdrawals see it (blockers, the "centre" loan source).
        from .services import disbursement  # noqa: F401
        from .services.other_lines import register_other_lines

        register_disbursement_names()
        register_other_lines()
